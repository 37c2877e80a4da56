import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { escalationPathInput, overrideInput, scheduleInput } from '@deskwatch/shared';
import { authedProcedure, managerProcedure, publicProcedure, router } from '../trpc.js';

const pageId = z.strictObject({ pageId: z.string().min(1).max(64) });

export const oncallRouter = router({
  /** Every schedule with who is on call now and who is next. */
  schedules: authedProcedure.query(({ ctx }) =>
    ctx.services.oncall.listSchedules(ctx.caller.workspaceId),
  ),

  /** The caller's shifts in the next four weeks, across schedules. */
  myShifts: authedProcedure.query(({ ctx }) => ctx.services.oncall.myShifts(ctx.caller)),

  saveSchedule: managerProcedure
    .input(scheduleInput)
    .mutation(({ ctx, input }) => ctx.services.oncall.saveSchedule(ctx.caller, input)),

  /** Take a shift (yourself) or, as a manager, put someone on call for a while. */
  addOverride: authedProcedure
    .input(overrideInput)
    .mutation(({ ctx, input }) => ctx.services.oncall.addOverride(ctx.caller, input)),

  paths: managerProcedure.query(({ ctx }) => ctx.services.oncall.listPaths(ctx.caller.workspaceId)),

  savePath: managerProcedure
    .input(escalationPathInput)
    .mutation(({ ctx, input }) => ctx.services.oncall.savePath(ctx.caller, input)),

  pages: authedProcedure.query(({ ctx }) => ctx.services.oncall.listPages(ctx.caller.workspaceId)),

  timeline: authedProcedure
    .input(pageId)
    .query(({ ctx, input }) => ctx.services.oncall.timeline(ctx.caller.workspaceId, input.pageId)),

  /** Acknowledge a page: its path stops paging. Anyone of the workspace may. */
  acknowledge: authedProcedure.input(pageId).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.oncall.acknowledge(ctx.caller, input.pageId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such open page' });
    return { ok: true };
  }),

  /** The Acknowledge button of a page's notification: the single-use token is the authority. */
  acknowledgeWithToken: publicProcedure
    .input(z.strictObject({ token: z.string().min(20).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const done = await ctx.services.oncall.acknowledgeWithToken(input.token);
      if (!done)
        throw new TRPCError({
          code: 'FORBIDDEN',
          message:
            'This notification has expired or was used, or the page was answered already; open the app',
        });
      return done;
    }),
});
