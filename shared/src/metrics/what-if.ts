import type { SlaMetric } from '../sla/metrics.js';
import { compliance, type Period } from './definitions.js';
import type { TicketMetricFacts } from './facts.js';

export interface ComplianceFigures {
  met: number;
  breached: number;
  /** met / (met + breached), null when nothing concluded in the period. */
  rate: number | null;
}

export interface WhatIfTicket {
  ticketId: string;
  /** The metrics whose breach appears (or disappears) under the draft. */
  metrics: SlaMetric[];
}

export interface WhatIfComparison {
  period: Period;
  current: ComplianceFigures;
  draft: ComplianceFigures;
  /** Tickets with a breach in the period under the draft that the current settings do not have. */
  newlyBreached: WhatIfTicket[];
  /** Tickets with a breach in the period under the current settings that the draft does not have. */
  noLongerBreached: WhatIfTicket[];
}

const breachedPairs = (c: ReturnType<typeof compliance>) =>
  new Set(c.breaches.map((b) => `${b.ticketId}\n${b.metric}`));

function difference(a: Set<string>, b: Set<string>): WhatIfTicket[] {
  const byTicket = new Map<string, SlaMetric[]>();
  for (const key of a) {
    if (b.has(key)) continue;
    const [ticketId, metric] = key.split('\n') as [string, SlaMetric];
    byTicket.set(ticketId, [...(byTicket.get(ticketId) ?? []), metric]);
  }
  return [...byTicket]
    .map(([ticketId, metrics]) => ({ ticketId, metrics }))
    .sort((x, y) => (x.ticketId < y.ticketId ? -1 : x.ticketId > y.ticketId ? 1 : 0));
}

/**
 * What a settings change would have done: the same tickets' facts computed under the current
 * and the draft settings, compared by SLA compliance over `period` (see `compliance`). A
 * ticket counts as newly breached when the draft misses a target of a metric the current
 * settings meet (or do not conclude) in the period, and the other way round.
 * @example
 * compareCompliance(currentFacts, draftFacts, { from: now - 30 * DAY, to: now }, now)
 * // { current: { met: 9, breached: 1, rate: 0.9 }, draft: { met: 7, breached: 3, rate: 0.7 }, newlyBreached: [...], ... }
 */
export function compareCompliance(
  current: readonly TicketMetricFacts[],
  draft: readonly TicketMetricFacts[],
  period: Period,
  now: number,
): WhatIfComparison {
  const before = compliance(current, period, now);
  const after = compliance(draft, period, now);
  const figures = (c: typeof before): ComplianceFigures => ({
    met: c.met,
    breached: c.breached,
    rate: c.rate,
  });
  return {
    period,
    current: figures(before),
    draft: figures(after),
    newlyBreached: difference(breachedPairs(after), breachedPairs(before)),
    noLongerBreached: difference(breachedPairs(before), breachedPairs(after)),
  };
}
