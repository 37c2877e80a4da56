import { TRPCError } from '@trpc/server';
import { observeInput, ticketRef } from '@deskwatch/shared';
import { authedProcedure, managerProcedure, router } from '../trpc.js';

export const ticketsRouter = router({
  /** The extension reports a ticket page; the answer is the ticket's SLA state. */
  observe: authedProcedure
    .input(observeInput)
    .mutation(({ ctx, input }) =>
      ctx.services.tickets.observe(ctx.caller.workspaceId, input.snapshot),
    ),

  /** The manager inbox's SLA alerts: breached or at-risk targets of open tickets. */
  alerts: managerProcedure.query(({ ctx }) => ctx.services.tickets.alerts(ctx.caller.workspaceId)),

  get: authedProcedure.input(ticketRef).query(async ({ ctx, input }) => {
    const res = await ctx.services.tickets.get(ctx.caller.workspaceId, input.ticketId);
    if (!res)
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such ticket in your workspace' });
    return res;
  }),
});
