import { z } from 'zod';
import { calendarSpec, slaPolicy } from '@deskwatch/shared';
import { adminProcedure, router } from '../trpc.js';

const id = z.string().min(1).max(64);

/** Admin configuration of business calendars and SLA policies. Every change recomputes open tickets. */
export const slaRouter = router({
  config: adminProcedure.query(({ ctx }) => ctx.services.sla.listConfig(ctx.caller.workspaceId)),

  saveCalendar: adminProcedure
    .input(z.strictObject({ id: id.optional(), spec: calendarSpec }))
    .mutation(({ ctx, input }) =>
      ctx.services.sla.saveCalendar(ctx.caller.workspaceId, input.id, input.spec),
    ),

  deleteCalendar: adminProcedure.input(z.strictObject({ id })).mutation(async ({ ctx, input }) => {
    await ctx.services.sla.deleteCalendar(ctx.caller.workspaceId, input.id);
    return { ok: true };
  }),

  /** Replaces the ordered list of policies; the linter's errors reject it whole, its warnings come back. */
  savePolicies: adminProcedure
    .input(
      z.strictObject({
        policies: z.array(z.strictObject({ id: id.optional(), policy: slaPolicy })).max(100),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.sla.savePolicies(ctx.caller.workspaceId, input.policies),
    ),

  /** Recomputes every ticket, closed ones included, from its event log. */
  repair: adminProcedure.mutation(({ ctx }) =>
    ctx.services.sla.recomputeWorkspace(ctx.caller.workspaceId, { includeClosed: true }),
  ),
});
