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
