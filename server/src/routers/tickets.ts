import { TRPCError } from '@trpc/server';
import { badgesInput, observeInput, ticketRef, ticketSourceRef } from '@deskwatch/shared';
import { sourceOf } from '../services/tickets.js';
import { authedProcedure, managerProcedure, router } from '../trpc.js';

const notFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such ticket in your workspace' });

export const ticketsRouter = router({
  /** The extension reports a ticket page; the answer is the ticket's SLA state. */
  observe: authedProcedure
    .input(observeInput)
    .mutation(({ ctx, input }) =>
      ctx.services.tickets.observe(ctx.caller.workspaceId, input.snapshot, sourceOf(ctx.caller)),
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

  /** Who saw the ticket (each paired browser, each session) and what each saw: flagged views included. */
  sources: managerProcedure.input(ticketRef).query(async ({ ctx, input }) => {
    const sources = await ctx.services.tickets.sources(ctx.caller.workspaceId, input.ticketId);
    if (!sources) throw notFound();
    return { sources };
  }),

  /** Sets one source's views aside and re-derives the ticket from the others'. */
  recomputeWithout: managerProcedure.input(ticketSourceRef).mutation(async ({ ctx, input }) => {
    const res = await ctx.services.tickets.recomputeWithout(
      ctx.caller.workspaceId,
      input.ticketId,
      input.sourceKey,
      ctx.caller.userId,
    );
    if (!res)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: 'No such ticket or source in your workspace',
      });
    return res;
  }),
});
