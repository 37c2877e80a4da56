import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  actionTokenDecisionInput,
  decideEscalationInput,
  ESCALATION_STATES,
  requestEscalationInput,
  ticketRef,
} from '@deskwatch/shared';
import type { EscalationView } from '../services/escalations.js';
import { authedProcedure, managerProcedure, publicProcedure, router } from '../trpc.js';

/** The tickets one browser's tabs show; a browser rarely has more than a few dozen open. */
const watchTicketsInput = z
  .object({ ticketIds: z.array(z.string().min(1).max(64)).min(1).max(200) })
  .strict();

export const escalationsRouter = router({
  request: authedProcedure
    .input(requestEscalationInput)
    .mutation(({ ctx, input }) => ctx.services.escalations.request(ctx.caller, input)),

  decide: managerProcedure
    .input(decideEscalationInput)
    .mutation(({ ctx, input }) =>
      ctx.services.escalations.decide(
        ctx.caller,
        input.escalationId,
        input.decision,
        input.comment,
      ),
    ),

  decideWithToken: publicProcedure
    .input(actionTokenDecisionInput)
    .mutation(({ ctx, input }) =>
      ctx.services.escalations.decideWithToken(input.token, input.decision, input.comment),
    ),

  list: managerProcedure
    .input(z.strictObject({ state: z.enum(ESCALATION_STATES).optional() }).default({}))
    .query(({ ctx, input }) => ctx.services.escalations.list(ctx.caller, input.state)),

  /** The caller's own escalations (an agent's "My escalations"), newest first. */
  mine: authedProcedure.query(({ ctx }) => ctx.services.escalations.mine(ctx.caller)),

  get: authedProcedure
    .input(z.strictObject({ escalationId: z.string().min(1).max(64) }))
    .query(async ({ ctx, input }) => {
      const e = await ctx.services.escalations.get(ctx.caller.workspaceId, input.escalationId);
      if (!e) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such escalation' });
      return e;
    }),

  forTicket: authedProcedure
    .input(ticketRef)
    .query(({ ctx, input }) =>
      ctx.services.escalations.forTicket(ctx.caller.workspaceId, input.ticketId),
    ),

  /**
   * The extension's one live feed per browser: the escalations of every ticket its tabs watch,
   * as `{ ticketId, list }` for each ticket now, then again whenever one changes. The browser's
   * background re-subscribes with the new set when tabs come and go, so however many tabs are
   * open it holds one long-lived connection (browsers allow six per host over HTTP/1.1).
   */
  watchTickets: authedProcedure.input(watchTicketsInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const { escalations, bus } = ctx.services;
    const ws = ctx.caller.workspaceId;
    // No timer: the feed reads a ticket only when the bus says it changed (on this instance, or
    // on another one through the instance's poller of `live_changes`), and closing the stream
    // ends the wait.
    const watch = bus.watch(ws, input.ticketIds, signal, ctx.caller.userId);
    const last = new Map<string, string>();
    try {
      for (let changed = await watch.next(); changed; changed = await watch.next()) {
        const lists: EscalationView[][] = await Promise.all(
          changed.map((id) => bus.read(ws, id, () => escalations.forTicket(ws, id))),
        );
        for (const [i, ticketId] of changed.entries()) {
          const list = lists[i]!;
          const key = JSON.stringify(list);
          if (last.get(ticketId) === key) continue;
          last.set(ticketId, key);
          yield { ticketId, list };
        }
      }
    } finally {
      watch.close();
    }
  }),

  /** How many live feeds (browsers with the extension's overlay open) the workspace holds now. */
  liveFeeds: managerProcedure.query(({ ctx }) => ({
    open: ctx.services.bus.openFeeds(ctx.caller.workspaceId),
  })),
});
