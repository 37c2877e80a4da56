import { badgeFromRow, type TicketBadge } from './tickets.js';

/** Tickets whose last badge is kept: a few open lists' worth. */
const MAX_TICKETS = 5000;

/**
 * `badgeFromRow`, remembered per ticket for as long as its stored state is the same text: a list
 * page asks for the same rows every few seconds while their state rarely changes, and parsing
 * each row's state was the largest cost of a badges read after the database's own. Comparing the
 * stored text costs far less than parsing it. Bounded: when full it starts over.
 */
export function badgeMemo(max = MAX_TICKETS) {
  const memo = new Map<string, { externalId: string; state: string; badge: TicketBadge | null }>();
  return (externalId: string, ticketId: string, state: string): TicketBadge | null => {
    const hit = memo.get(ticketId);
    if (hit && hit.state === state && hit.externalId === externalId) return hit.badge;
    if (!hit && memo.size >= max) memo.clear();
    const badge = badgeFromRow(externalId, ticketId, state);
    memo.set(ticketId, { externalId, state, badge });
    return badge;
  };
}
