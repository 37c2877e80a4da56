import { DONE_CATEGORIES, type Priority, type StatusCategory } from '../constants.js';
import type { Calendar } from '../sla/calendar.js';
import type { TicketEvent } from '../sla/events.js';
import type { SlaPolicy } from '../sla/policy.js';
import { computeSlaCycles, sortEvents, type SlaCycle } from '../sla/state.js';

/** A ticket's status category from `from` until the next span's `from`. */
export interface StatusSpan {
  from: number;
  category: StatusCategory;
}

/**
 * What metrics need of one ticket, derived from its event log by the SLA engine: its status over
 * time and every cycle of every target. Stored per ticket and replaced whenever the ticket's
 * log or policy changes, so a workspace's figures are sums over these without re-reading logs.
 */
export interface TicketMetricFacts {
  ticketId: string;
  source: string;
  priority: Priority;
  tags: string[];
  assignee: string | null;
  createdAt: number;
  /** From when the status is known, when not since creation: earlier status is unknown. */
  knownFrom: number | null;
  statuses: StatusSpan[];
  cycles: SlaCycle[];
}

export interface FactsTicket {
  id: string;
  source: string;
  priority: Priority;
  tags: string[];
  assignee: string | null;
  createdAt: number;
  statusKnownFrom: number | null;
}

/** The status spans of a log at `now`: `new` from creation, then each change of category. */
export function statusSpans(
  events: readonly TicketEvent[],
  createdAt: number,
  now: number,
): StatusSpan[] {
  const out: StatusSpan[] = [{ from: createdAt, category: 'new' }];
  for (const e of sortEvents(events)) {
    if (e.at > now) break;
    if (e.type !== 'status') continue;
    const from = Math.max(e.at, createdAt);
    const last = out[out.length - 1]!;
    if (last.category === e.category) continue;
    if (last.from === from) {
      last.category = e.category;
      // Merging can leave two equal neighbours.
      const prev = out[out.length - 2];
      if (prev && prev.category === last.category) out.pop();
    } else out.push({ from, category: e.category });
  }
  return out;
}

/** A ticket's metric facts at `now`, from its event log, its policy and its calendar. */
export function ticketMetricFacts(
  ticket: FactsTicket,
  events: readonly TicketEvent[],
  policy: SlaPolicy,
  calendar: Calendar,
  now: number,
): TicketMetricFacts {
  return {
    ticketId: ticket.id,
    source: ticket.source,
    priority: ticket.priority,
    tags: ticket.tags,
    assignee: ticket.assignee,
    createdAt: ticket.createdAt,
    knownFrom: ticket.statusKnownFrom,
    statuses: statusSpans(events, ticket.createdAt, now),
    cycles: computeSlaCycles(events, policy, calendar, now, {
      statusKnownFrom: ticket.statusKnownFrom,
    }),
  };
}

export const isDone = (c: StatusCategory) => DONE_CATEGORIES.includes(c);
