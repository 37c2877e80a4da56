import { useQuery } from '@tanstack/react-query';
import { AGE_BUCKETS, type MetricsQuery } from '@deskwatch/shared';
import { percent, SEVERITY_LABEL, span, TYPE_LABEL } from '../../format';
import { useTRPC } from '../../trpc';

const counts = (m: Record<string, number>, label: (k: string) => string = (k) => k) =>
  Object.entries(m)
    .map(([k, n]) => `${label(k)} ${n}`)
    .join(' · ') || 'none';

/**
 * The glance's other cards (issue #18): escalations, CSAT, agents, recurring problems and the
 * backlog by status category and age, over the same period and filters as the cards above.
 */
export function MoreCards({ q }: { q: MetricsQuery }) {
  const trpc = useTRPC();
  const cards = useQuery(trpc.flags.cards.queryOptions(q));
  const c = cards.data;
  if (!c) return null;
  const e = c.escalations;
  return (
    <section className="more-cards" data-testid="more-cards">
      <h2>Backlog now</h2>
      <div className="card" data-testid="card-backlog-breakdown">
        <strong>{c.backlog.open} open</strong>
        <div className="muted">
          By status: {counts(c.backlog.byCategory, (k) => k.replace(/_/g, ' '))}
        </div>
        <div className="muted">
          By age: {AGE_BUCKETS.map((b) => `${b} ${c.backlog.byAge[b]}`).join(' · ')}
        </div>
      </div>

      <h2>Escalations</h2>
      <div className="card" data-testid="card-escalations">
        <strong>{e.total} requested</strong>
        <div className="muted">
          By type: {counts(e.byType, (k) => TYPE_LABEL[k as keyof typeof TYPE_LABEL] ?? k)}
        </div>
        <div className="muted">
          By severity: {counts(e.bySeverity, (k) => SEVERITY_LABEL[k] ?? k)}
        </div>
        <div>
          Approved {percent(e.approvalRate)} of {e.approved + e.denied} decided · median decision{' '}
          {span(e.medianDecisionMs)}
        </div>
        <div>Waited past a level&apos;s timeout: {e.waitedPastTimeout}</div>
        {e.repeat.length > 0 && (
          <ul className="plain">
            {e.repeat.map((r) => (
              <li key={r.ticketId}>
                {r.subject} — escalated {r.count} times
              </li>
            ))}
          </ul>
        )}
      </div>

      <h2>CSAT</h2>
      <div className="card muted" data-testid="card-csat">
        No satisfaction ratings yet. {c.csat.source}
      </div>

      <h2>Agents</h2>
      <div className="card" data-testid="card-agents">
        {c.agents.length === 0 && <p className="muted">No assigned tickets in this period.</p>}
        <ul className="plain">
          {c.agents.map((a) => (
            <li key={a.assignee ?? ''}>
              <strong>{a.assignee ?? 'Unassigned'}</strong>
              <div className="muted">
                handled {a.handled} · open {a.open} · first response {span(a.firstResponseMedianMs)}{' '}
                · breaches {a.breaches} · reopened {percent(a.reopenRate)}
              </div>
            </li>
          ))}
        </ul>
      </div>

      <h2>Recurring problems</h2>
      <div className="card" data-testid="card-recurring">
        <div>
          Reopen rate {percent(c.recurring.reopenRate)} ({c.recurring.reopened} of{' '}
          {c.recurring.solved} solved)
        </div>
        {c.recurring.tags.length === 0 && (
          <p className="muted">No tag rose against the previous period.</p>
        )}
        <ul className="plain">
          {c.recurring.tags.map((t) => (
            <li key={t.tag}>
              {t.tag}: {t.current} (was {t.previous})
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
