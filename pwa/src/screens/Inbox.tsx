import { useQuery } from '@tanstack/react-query';
import type { EscalationView, SlaAlert } from '@deskwatch/server';
import { formatDuration } from '@deskwatch/shared';
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

const METRIC = {
  first_response: 'First response',
  next_response: 'Next response',
  periodic_update: 'Periodic update',
  resolution: 'Resolution',
} as const;

function Alert({ a }: { a: SlaAlert }) {
  const t = a.target;
  const when =
    a.level === 'breached'
      ? `breached, ${formatDuration(-t.remainingMs)} over`
      : `${formatDuration(t.remainingMs)} left (${Math.round(t.percentUsed)}% used)`;
  return (
    <li>
      <a
        className={`card alert ${a.level}`}
        data-testid="sla-alert"
        data-level={a.level}
        href={a.ticket.url}
        target="_blank"
        rel="noreferrer"
      >
        <div className="row">
          <strong>{a.ticket.subject}</strong>
          <span className={`pill ${a.ticket.priority}`}>{a.ticket.priority}</span>
        </div>
        <div>
          {METRIC[t.metric]} {when}
          {t.pausedBy ? ' (paused)' : ''}
        </div>
        <div className="muted">{a.ticket.requester}</div>
      </a>
    </li>
  );
}

export function Inbox({ role }: { role: string }) {
  const trpc = useTRPC();
  const isManager = role !== 'agent';
  const list = useQuery({ ...trpc.escalations.list.queryOptions({}), enabled: isManager });
  const alerts = useQuery({ ...trpc.tickets.alerts.queryOptions(), enabled: isManager });
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
              <Alert key={`${a.ticket.id}:${a.target.metric}`} a={a} />
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
