import { z } from 'zod';
import { priority, statusCategory } from '../domain.js';

/** One entry of a ticket's event log, as the SLA engine reads it. `at` is epoch ms. */
export const ticketEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), at: z.number() }),
  z.object({ type: z.literal('status'), at: z.number(), category: statusCategory }),
  z.object({ type: z.literal('priority'), at: z.number(), priority }),
  z.object({
    type: z.literal('message'),
    at: z.number(),
    author: z.enum(['agent', 'customer', 'bot']),
    public: z.boolean(),
  }),
]);
export type TicketEvent = z.infer<typeof ticketEvent>;

/** Events in time order; at equal instants the log order is kept (stable sort). */
export function sortEvents(events: readonly TicketEvent[]): TicketEvent[] {
  // Array.prototype.sort is stable, and logs usually arrive sorted: check before copying.
  for (let i = 1; i < events.length; i++)
    if (events[i]!.at < events[i - 1]!.at) return [...events].sort((a, b) => a.at - b.at);
  return events as TicketEvent[];
}
