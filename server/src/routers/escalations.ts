import { TRPCError } from '@trpc/server';
import { on } from 'node:events';
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

/** How often a watcher re-reads the database, for changes made by another server instance. */
export const WATCH_POLL_MS = 2_000;

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
    const ticketIds = [...new Set(input.ticketIds)];
    const ac = new AbortController();
    signal?.addEventListener('abort', () => ac.abort(), { once: true });
    const wake = on(bus, 'escalation', { signal: ac.signal });
    const last = new Map<string, string>();
    bus.feedOpened(ws);
    try {
      while (!ac.signal.aborted) {
        const lists: EscalationView[][] = await Promise.all(
          ticketIds.map((id) => escalations.forTicket(ws, id)),
        );
        for (const [i, ticketId] of ticketIds.entries()) {
          const list = lists[i]!;
          const key = JSON.stringify(list);
          if (last.get(ticketId) === key) continue;
          last.set(ticketId, key);
          yield { ticketId, list };
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          // Closing the watch rejects the pending wait: the loop then ends quietly, since an
          // error thrown out of a closed stream has nobody to reach and would go unhandled.
          wake.next().catch(() => undefined),
          new Promise((r) => {
            timer = setTimeout(r, WATCH_POLL_MS);
          }),
        ]);
        clearTimeout(timer);
      }
    } finally {
      bus.feedClosed(ws);
      ac.abort();
    }
  }),

  /** How many live feeds (browsers with the extension's overlay open) the workspace holds now. */
  liveFeeds: managerProcedure.query(({ ctx }) => ({
    open: ctx.services.bus.openFeeds(ctx.caller.workspaceId),
  })),
});
