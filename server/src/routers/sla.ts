import { z } from 'zod';
import { calendarSpec, slaPolicy } from '@deskwatch/shared';
import { adminProcedure, router } from '../trpc.js';

const id = z.string().min(1).max(64);
const calendarInput = z.strictObject({ id: id.optional(), spec: calendarSpec });
const policiesInput = z.array(z.strictObject({ id: id.optional(), policy: slaPolicy })).max(100);

/** Admin configuration of business calendars and SLA policies. Every change recomputes open tickets. */
export const slaRouter = router({
  config: adminProcedure.query(({ ctx }) => ctx.services.sla.listConfig(ctx.caller.workspaceId)),

  saveCalendar: adminProcedure
    .input(calendarInput)
    .mutation(({ ctx, input }) =>
      ctx.services.sla.saveCalendar(ctx.caller.workspaceId, input.id, input.spec),
    ),

  deleteCalendar: adminProcedure.input(z.strictObject({ id })).mutation(async ({ ctx, input }) => {
    await ctx.services.sla.deleteCalendar(ctx.caller.workspaceId, input.id);
    return { ok: true };
  }),

  /** Replaces the ordered list of policies; the linter's errors reject it whole, its warnings come back. */
  savePolicies: adminProcedure
    .input(z.strictObject({ policies: policiesInput }))
    .mutation(({ ctx, input }) =>
      ctx.services.sla.savePolicies(ctx.caller.workspaceId, input.policies),
    ),

  /**
   * Had a draft calendar and/or policy list applied over the last 30 days: compliance under
   * it and under the current settings, and the tickets that would newly breach or no longer
   * breach. Writes nothing (a mutation only because a draft is too large for a query's URL).
   */
  whatIf: adminProcedure
    .input(
      z.strictObject({ calendar: calendarInput.optional(), policies: policiesInput.optional() }),
    )
    .mutation(({ ctx, input }) => ctx.services.sla.whatIf(ctx.caller.workspaceId, input)),

  /**
   * The text of an iCalendar feed (holidays) at `url`, fetched by the server under the push
   * endpoints' address rules; the app parses and previews it before anything is added. Writes
   * nothing (a mutation because it reaches out to another host, on demand).
   */
  fetchICalendar: adminProcedure
    .input(z.strictObject({ url: z.string().trim().min(1).max(2000) }))
    .mutation(({ ctx, input }) => ctx.services.icalFetch.fetchText(input.url)),

  /** Recomputes every ticket, closed ones included, from its event log. */
  repair: adminProcedure.mutation(({ ctx }) =>
    ctx.services.sla.recomputeWorkspace(ctx.caller.workspaceId, { includeClosed: true }),
  ),
});
