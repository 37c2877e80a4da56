import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { managerProcedure, router } from '../trpc.js';

export const alertsRouter = router({
  /** SLA warnings and breaches raised for the workspace, unacknowledged first. */
  list: managerProcedure.query(({ ctx }) => ctx.services.alerts.list(ctx.caller.workspaceId)),

  acknowledge: managerProcedure
    .input(z.strictObject({ alertId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      if (
        !(await ctx.services.alerts.acknowledge(
          ctx.caller.workspaceId,
          ctx.caller.userId,
          input.alertId,
          ctx.services.now(),
        ))
      ) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such unacknowledged alert' });
      }
      await ctx.services.oncall.acknowledgeSource(
        ctx.caller.workspaceId,
        input.alertId,
        ctx.caller.userId,
        ctx.services.now(),
      );
      return { ok: true };
    }),
});
