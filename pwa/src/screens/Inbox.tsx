import { useQuery } from '@tanstack/react-query';
import type { EscalationView } from '@deskwatch/server';
import { ago, TYPE_LABEL } from '../format';
import { navigate } from '../router';
import { useTRPC } from '../trpc';

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

export function Inbox({ role }: { role: string }) {
  const trpc = useTRPC();
  const isManager = role !== 'agent';
  const list = useQuery({ ...trpc.escalations.list.queryOptions({}), enabled: isManager });
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
