import { TRPCError } from '@trpc/server';
import { badgesInput, observeInput, ticketRef } from '@deskwatch/shared';
import { authedProcedure, router } from '../trpc.js';

const notFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such ticket in your workspace' });

export const ticketsRouter = router({
  /** The extension reports a ticket page; the answer is the ticket's SLA state. */
  observe: authedProcedure
    .input(observeInput)
    .mutation(({ ctx, input }) =>
      ctx.services.tickets.observe(ctx.caller.workspaceId, input.snapshot),
    ),

  /** SLA badges for the rows of a ticket list the agent is looking at. */
  badges: authedProcedure
    .input(badgesInput)
    .query(({ ctx, input }) =>
      ctx.services.tickets.badges(ctx.caller.workspaceId, input.source, input.externalIds),
    ),

  get: authedProcedure.input(ticketRef).query(async ({ ctx, input }) => {
    const res = await ctx.services.tickets.get(ctx.caller.workspaceId, input.ticketId);
    if (!res) throw notFound();
    return res;
  }),

  /** The state with the ordered segments behind each clock ("why this time?"). */
  explain: authedProcedure.input(ticketRef).query(async ({ ctx, input }) => {
    const res = await ctx.services.tickets.get(ctx.caller.workspaceId, input.ticketId, {
      explain: true,
    });
    if (!res) throw notFound();
    return res;
  }),
});
