import { useQuery } from '@tanstack/react-query';
import { ago } from '../../format';
import { useTRPC } from '../../trpc';

/** Admin: a connector's quarantined deliveries, with the reason; payloads shown as text only. */
export function ConnectorQuarantine({ connectorId }: { connectorId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.connectors.quarantined.queryOptions({ connectorId }));
  if (q.isError) return <p className="error">{q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted">Nothing is quarantined.</p>;
  return (
    <ul className="quarantine" data-testid="quarantine">
      {q.data.map((d) => (
        <li key={d.id}>
          <p>
            <strong>{ago(d.receivedAt)}</strong>
            {d.deliveryId ? ` · delivery ${d.deliveryId}` : ''}
          </p>
          <p className="warning" data-testid="quarantine-reason">
            {d.reason}
          </p>
          <pre className="payload" data-testid="quarantine-payload">
            {d.payload}
          </pre>
        </li>
      ))}
    </ul>
  );
}
