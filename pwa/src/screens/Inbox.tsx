import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertView, EscalationView } from '@deskwatch/server';
import { METRIC_LABELS } from '@deskwatch/shared';
import { ago, TYPE_LABEL } from '../format';
import { navigate } from '../router';
import { useTRPC } from '../trpc';
import { ExternalLink } from '../ExternalLink';

function Card({ e }: { e: EscalationView }) {
  return (
    <li>
      <a
        className="card"
        data-testid="escalation-card"
        data-state={e.state}
        data-severity={e.severity}
        href={`/escalations/${e.id}`}
        onClick={(ev) => {
          ev.preventDefault();
          navigate(`/escalations/${e.id}`);
        }}
      >
        <div className="row">
          <strong>{e.ticketSubject}</strong>
          <span className={`pill ${e.severity}`}>{e.severity}</span>
        </div>
        <div className="muted">
          {TYPE_LABEL[e.type]} · {e.requestedBy} · {ago(e.createdAt)}
        </div>
        <div className="reason">{e.reason}</div>
        {e.state !== 'pending' && (
          <div className="muted">
            {e.state} by {e.decidedBy ?? 'nobody'}
          </div>
        )}
      </a>
    </li>
  );
}

function Alert({ a, onAck }: { a: AlertView; onAck: () => void }) {
  const what = a.kind === 'sla_breach' ? 'breached' : `at ${a.level.replace('warn:', '')}`;
  return (
    <li>
      <div
        className={`card alert ${a.kind === 'sla_breach' ? 'breached' : 'warning'}`}
        data-testid="sla-alert"
        data-level={a.level}
      >
        <div className="row">
          <ExternalLink href={a.ticketUrl}>
            <strong>{a.ticketSubject}</strong>
          </ExternalLink>
          <span className={`pill ${a.priority}`}>{a.priority}</span>
        </div>
        <div>
          {METRIC_LABELS[a.metric] ?? a.metric} {what}
          {a.dueAt
            ? `, due ${new Date(a.dueAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`
            : ''}
        </div>
        <div className="muted">
          {ago(a.firedAt)}
          {a.lateMs > 0 ? ` · sent ${Math.round(a.lateMs / 60_000)} min late` : ''}
          {a.skipped.length > 0
            ? ` · not sent in time: ${a.skipped.map((l) => l.replace('warn:', '')).join(', ')}`
            : ''}
          {a.acknowledgedBy ? ` · acknowledged by ${a.acknowledgedBy}` : ''}
        </div>
        {!a.acknowledgedBy && <button onClick={onAck}>Acknowledge</button>}
      </div>
    </li>
  );
}

export function Inbox({ role }: { role: string }) {
  const trpc = useTRPC();
  const isManager = role !== 'agent';
  const list = useQuery({ ...trpc.escalations.list.queryOptions({}), enabled: isManager });
  const alerts = useQuery({ ...trpc.alerts.list.queryOptions(), enabled: isManager });
  const qc = useQueryClient();
  const ack = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() }),
    }),
  );
  if (!isManager) {
    return (
      <main>
        <h1>Inbox</h1>
        <p>Escalations go to managers. Use "Connect extension" to pair your browser.</p>
      </main>
    );
  }
  const pending = (list.data ?? []).filter((e) => e.state === 'pending');
  const decided = (list.data ?? []).filter((e) => e.state !== 'pending').slice(0, 20);
  return (
    <main>
      <h1>
        Waiting for you {pending.length > 0 && <span className="count">{pending.length}</span>}
      </h1>
      {list.isError && !list.data && <p className="error">{list.error.message}</p>}
      {list.data && pending.length === 0 && <p className="muted">Nothing to approve. Nice.</p>}
      <ul className="cards">
        {pending.map((e) => (
          <Card key={e.id} e={e} />
        ))}
      </ul>
      {(alerts.data?.length ?? 0) > 0 && (
        <>
          <h2>SLA alerts</h2>
          <ul className="cards">
            {alerts.data!.map((a) => (
              <Alert key={a.id} a={a} onAck={() => ack.mutate({ alertId: a.id })} />
            ))}
          </ul>
        </>
      )}
      {decided.length > 0 && (
        <>
          <h2>Recently decided</h2>
          <ul className="cards">
            {decided.map((e) => (
              <Card key={e.id} e={e} />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
