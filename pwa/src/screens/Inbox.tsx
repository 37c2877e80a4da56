import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AlertView, EscalationView } from '@deskwatch/server';
import { METRIC_LABELS } from '@deskwatch/shared';
import {
  ago,
  dueText,
  label,
  PRIORITY_LABEL,
  SEVERITY_LABEL,
  STATE_LABEL,
  TYPE_LABEL,
} from '../format';
import { conflictText, type QueuedDecision } from '../outbox';
import { navigate } from '../router';
import { useTRPC } from '../trpc';
import { Unavailable } from '../Unavailable';
import { dismissDecision, useOutbox } from '../useOutbox';
import { ExternalLink } from '../ExternalLink';

const RESOLVED_LABEL = {
  met: 'Met',
  met_late: 'Met late',
  no_longer_applies: 'No longer applies',
} as const;

function Card({ e, queued }: { e: EscalationView; queued?: QueuedDecision }) {
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
          <span className="pills">
            {queued?.status === 'queued' && (
              <span className="pill queued" data-testid="queued-pill">
                {queued.decision === 'approve' ? 'Approval' : 'Denial'} queued, will send
              </span>
            )}
            <span className={`pill ${e.severity}`}>{label(SEVERITY_LABEL, e.severity)}</span>
          </span>
        </div>
        <div className="muted">
          {TYPE_LABEL[e.type]} · {e.requestedBy} · {ago(e.createdAt)}
        </div>
        <div className="reason">{e.reason}</div>
        {e.state !== 'pending' && (
          <div className="muted">
            {label(STATE_LABEL, e.state)} by {e.decidedBy ?? 'nobody'}
            {e.comment ? `: ${e.comment}` : ''}
          </div>
        )}
      </a>
    </li>
  );
}

function Alert({ a, onAck }: { a: AlertView; onAck: () => void }) {
  const what = a.kind === 'sla_breach' ? 'breached' : `at ${a.level.replace('warn:', '')}`;
  const tone = a.resolved ? 'resolved' : a.kind === 'sla_breach' ? 'breached' : 'warning';
  return (
    <li>
      <div
        className={`card alert ${tone}`}
        data-testid="sla-alert"
        data-level={a.level}
        data-resolved={a.resolved ?? undefined}
      >
        <div className="row">
          <ExternalLink href={a.ticketUrl}>
            <strong>{a.ticketSubject}</strong>
          </ExternalLink>
          <span className="pills">
            {a.resolved && (
              <span className="pill resolved" data-testid="resolved">
                {RESOLVED_LABEL[a.resolved]}
              </span>
            )}
            <span
              className={`pill ${a.priority}`}
              data-testid="alert-priority"
              title="Priority when the alert fired"
            >
              {label(PRIORITY_LABEL, a.priority)}
            </span>
          </span>
        </div>
        <div>
          {METRIC_LABELS[a.metric] ?? a.metric} {what}
          {a.dueAt ? `, due ${dueText(a.dueAt)}` : ''}
        </div>
        <div className="muted">
          {ago(a.firedAt)}
          {a.lateMs > 0 ? ` · sent ${Math.round(a.lateMs / 60_000)} min late` : ''}
          {a.skipped.length > 0
            ? ` · not sent in time: ${a.skipped.map((l) => l.replace('warn:', '')).join(', ')}`
            : ''}
          {a.acknowledgedBy ? ` · acknowledged by ${a.acknowledgedBy}` : ''}
        </div>
        {!a.acknowledgedBy && !a.resolved && <button onClick={onAck}>Acknowledge</button>}
      </div>
    </li>
  );
}

/** An agent's own escalations: what they asked for, and what came of it. */
function MyEscalations() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.escalations.mine.queryOptions());
  if (!mine.data)
    return (
      <main>
        <h1>My escalations</h1>
        <Unavailable query={mine} what="Your escalations" />
      </main>
    );
  const pending = mine.data.filter((e) => e.state === 'pending');
  const decided = mine.data.filter((e) => e.state !== 'pending');
  return (
    <main data-testid="my-escalations">
      <h1>
        My escalations {pending.length > 0 && <span className="count">{pending.length}</span>}
      </h1>
      {mine.data.length === 0 && (
        <p className="muted">
          You have not escalated anything yet. Escalate from a ticket's overlay in your ticketing
          tool (pair your browser with "Connect extension").
        </p>
      )}
      {pending.length > 0 && (
        <>
          <h2>Waiting for a decision</h2>
          <ul className="cards">
            {pending.map((e) => (
              <Card key={e.id} e={e} />
            ))}
          </ul>
        </>
      )}
      {decided.length > 0 && (
        <>
          <h2>Decided</h2>
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

/** Decisions queued on this device that came back refused, or decided by someone else first. */
function Outcomes({ items }: { items: QueuedDecision[] }) {
  const done = items.filter((d) => d.status !== 'queued');
  if (done.length === 0) return null;
  return (
    <ul className="plain">
      {done.map((d) => (
        <li
          key={d.escalationId}
          className="error conflict"
          role="alert"
          data-testid="decision-conflict"
        >
          <strong>{d.ticketSubject}:</strong>{' '}
          {d.status === 'conflict'
            ? conflictText(d)
            : `your queued decision was refused: ${d.message}`}{' '}
          <button type="button" onClick={() => void dismissDecision(d.escalationId)}>
            OK
          </button>
        </li>
      ))}
    </ul>
  );
}

export function Inbox({ role }: { role: string }) {
  if (role === 'agent') return <MyEscalations />;
  return <ManagerInbox />;
}

function ManagerInbox() {
  const trpc = useTRPC();
  const list = useQuery(trpc.escalations.list.queryOptions({}));
  const alerts = useQuery(trpc.alerts.list.queryOptions());
  const qc = useQueryClient();
  const outbox = useOutbox();
  const ack = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() }),
    }),
  );
  const pending = (list.data ?? []).filter((e) => e.state === 'pending');
  const decided = (list.data ?? []).filter((e) => e.state !== 'pending').slice(0, 20);
  // What the escalation screen needs is kept on the device too: opened offline, a pending
  // escalation still shows its ticket's SLA clocks.
  const pendingTickets = [...new Set(pending.slice(0, 20).map((e) => e.ticketId))].join(',');
  useEffect(() => {
    for (const ticketId of pendingTickets ? pendingTickets.split(',') : [])
      void qc.prefetchQuery(trpc.tickets.get.queryOptions({ ticketId }));
  }, [pendingTickets, qc, trpc]);
  const open = (alerts.data ?? []).filter((a) => !a.resolved);
  const resolved = (alerts.data ?? []).filter((a) => a.resolved).slice(0, 20);
  const queuedFor = (id: string) => outbox.find((d) => d.escalationId === id);
  return (
    <main>
      <h1>
        Waiting for you {pending.length > 0 && <span className="count">{pending.length}</span>}
      </h1>
      <Outcomes items={outbox} />
      {!list.data && <Unavailable query={list} what="The inbox" />}
      {list.data && pending.length === 0 && <p className="muted">Nothing to approve. Nice.</p>}
      <ul className="cards">
        {pending.map((e) => (
          <Card key={e.id} e={e} queued={queuedFor(e.id)} />
        ))}
      </ul>
      {open.length > 0 && (
        <>
          <h2>SLA alerts</h2>
          <ul className="cards" data-testid="open-alerts">
            {open.map((a) => (
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
      {resolved.length > 0 && (
        <>
          <h2>Resolved alerts</h2>
          <ul className="cards" data-testid="resolved-alerts">
            {resolved.map((a) => (
              <Alert key={a.id} a={a} onAck={() => ack.mutate({ alertId: a.id })} />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
