import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useState } from 'react';
import type { EscalationView } from '@deskwatch/server';
import { METRIC_LABELS } from '@deskwatch/shared';
import {
  ago,
  CATEGORY_LABEL,
  clockText,
  dueText,
  label,
  PRIORITY_LABEL,
  SEVERITY_LABEL,
  STATE_LABEL,
  TYPE_LABEL,
} from '../format';
import { conflictText } from '../outbox';
import { useTRPC } from '../trpc';
import { Unavailable, useOnline } from '../Unavailable';
import { dismissDecision, queueDecision, useOutbox } from '../useOutbox';
import { ExternalLink } from '../ExternalLink';

/** A call that never reached the server (offline, connection dropped): no error code came back. */
const unreachable = (e: unknown) => e instanceof TRPCClientError && !e.data?.code;

function useNow(everyMs: number) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** The ticket's SLA clocks, beside the decision: how urgent the ticket is decides the answer. */
function TicketSla({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const t = useQuery(trpc.tickets.get.queryOptions({ ticketId }));
  const now = useNow(1000);
  if (!t.data)
    return (
      <section className="sla" data-testid="ticket-sla">
        <h2>SLA</h2>
        <Unavailable query={t} what="This ticket's SLA" />
      </section>
    );
  const { ticket, sla, calendar } = t.data;
  const targets = sla.targets;
  return (
    <section className="sla" data-testid="ticket-sla">
      <h2>SLA</h2>
      <p className="muted">
        {label(PRIORITY_LABEL, sla.priority)} priority · {label(CATEGORY_LABEL, sla.category)}
        {ticket.status && ticket.status.toLowerCase() !== sla.category ? ` (${ticket.status})` : ''}
      </p>
      {targets.length === 0 && <p className="muted">No SLA clock applies to this ticket.</p>}
      <ul className="plain timers">
        {targets.map((x) => {
          const state = x.stoppedAt !== null ? 'met' : x.breached ? 'breached' : x.status;
          return (
            <li key={x.metric} data-testid="sla-timer" data-metric={x.metric} data-state={state}>
              <span>{METRIC_LABELS[x.metric] ?? label({}, x.metric)}</span>
              <strong className={`clock ${state}`}>
                {clockText(x, sla.computedAt, now, x.clock === 'calendar' || calendar === null)}
              </strong>
              {x.dueAt !== null && x.stoppedAt === null && (
                <span className="muted" data-testid="due">
                  due {dueText(x.dueAt)}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function Escalation({ id, startDenying }: { id: string; startDenying: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const online = useOnline();
  const me = useQuery(trpc.auth.me.queryOptions());
  // The inbox's list has every escalation it showed: offline, a screen never opened reads from it.
  const fromList = qc
    .getQueryData(trpc.escalations.list.queryKey({}))
    ?.find((x: EscalationView) => x.id === id);
  const esc = useQuery({
    ...trpc.escalations.get.queryOptions({ escalationId: id }),
    placeholderData: fromList,
  });
  const outbox = useOutbox();
  const queued = outbox.find((d) => d.escalationId === id);
  const [denying, setDenying] = useState(startDenying);
  const [comment, setComment] = useState('');
  const decide = useMutation(
    trpc.escalations.decide.mutationOptions({
      // Offline it fails at once and is queued, rather than pausing with the buttons greyed.
      networkMode: 'always',
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.escalations.pathKey() }),
    }),
  );
  if (!esc.data)
    return (
      <main>
        <Unavailable query={esc} what="This escalation" />
      </main>
    );
  const e = esc.data;

  async function submit(decision: 'approve' | 'deny', why: string) {
    const entry = {
      escalationId: id,
      decision,
      comment: why,
      by: me.data?.name ?? '',
      ticketSubject: e.ticketSubject,
    };
    if (!navigator.onLine) return queueDecision(entry);
    try {
      await decide.mutateAsync({ escalationId: id, decision, comment: why });
    } catch (err) {
      if (unreachable(err)) {
        decide.reset();
        await queueDecision(entry);
      }
    }
  }

  const canDecide = e.state === 'pending' && (!queued || queued.status !== 'queued');
  return (
    <main data-testid="escalation" data-state={e.state}>
      <h1>{e.ticketSubject}</h1>
      <dl>
        <dt>Type</dt>
        <dd data-testid="type">{TYPE_LABEL[e.type]}</dd>
        <dt>Severity</dt>
        <dd>
          <span className={`pill ${e.severity}`}>{label(SEVERITY_LABEL, e.severity)}</span>
        </dd>
        <dt>Requested by</dt>
        <dd>
          {e.requestedBy}, {ago(e.createdAt)}
        </dd>
        <dt>Reason</dt>
        <dd className="reason">{e.reason}</dd>
        <dt>Ticket</dt>
        <dd>
          <ExternalLink href={e.ticketUrl}>Open in the ticketing tool</ExternalLink>{' '}
          <a href={`/tickets/${e.ticketId}/sources`}>Sources</a>
        </dd>
        <dt>State</dt>
        <dd data-testid="state">
          {label(STATE_LABEL, e.state)}
          {e.decidedBy ? ` by ${e.decidedBy}` : ''}
          {e.comment ? `: ${e.comment}` : ''}
        </dd>
      </dl>
      <TicketSla ticketId={e.ticketId} />
      {queued?.status === 'queued' && (
        <div className="queued" role="status" data-testid="queued-decision">
          <strong>{queued.decision === 'approve' ? 'Approval' : 'Denial'} queued, will send</strong>{' '}
          {online
            ? 'now that the connection is back.'
            : 'when this phone is back online. You can close the app.'}
          <button type="button" onClick={() => void dismissDecision(id)}>
            Cancel it
          </button>
        </div>
      )}
      {queued?.status === 'conflict' && (
        <div className="error conflict" role="alert" data-testid="decision-conflict">
          {conflictText(queued)}{' '}
          <button type="button" onClick={() => void dismissDecision(id)}>
            OK
          </button>
        </div>
      )}
      {queued?.status === 'failed' && (
        <div className="error" role="alert" data-testid="decision-failed">
          Your queued {queued.decision === 'approve' ? 'approval' : 'denial'} was refused:{' '}
          {queued.message}{' '}
          <button type="button" onClick={() => void dismissDecision(id)}>
            OK
          </button>
        </div>
      )}
      {decide.error && !unreachable(decide.error) && (
        <p className="error" role="alert" data-testid="decide-error">
          {decide.error.data?.code === 'CONFLICT' && e.decidedBy
            ? `${e.decidedBy} decided first (${label(STATE_LABEL, e.state).toLowerCase()}); your decision was not recorded.`
            : decide.error.message}
        </p>
      )}
      {canDecide && !denying && (
        <div className="actions">
          <button
            className="primary big"
            disabled={decide.isPending}
            onClick={() => void submit('approve', '')}
          >
            Approve
          </button>
          <button className="danger big" onClick={() => setDenying(true)}>
            Deny…
          </button>
        </div>
      )}
      {canDecide && denying && (
        <form
          onSubmit={(ev) => {
            ev.preventDefault();
            void submit('deny', comment.trim());
          }}
        >
          <label>
            Reason for denying{' '}
            <textarea
              name="comment"
              required
              value={comment}
              onChange={(ev) => setComment(ev.target.value)}
              autoFocus
            />
          </label>
          <div className="actions">
            <button className="danger big" disabled={decide.isPending || comment.trim() === ''}>
              Deny
            </button>
            <button type="button" onClick={() => setDenying(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
