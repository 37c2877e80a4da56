import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  autoRuleInput,
  escalationPathInput,
  overrideInput,
  pageRoutesInput,
  pathWebhookInput,
  quietHoursInput,
  reassignPageInput,
  scheduleInput,
  webhookIdInput,
} from '@deskwatch/shared';
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

  /** Resolve a page (open or acknowledged): the matter is dealt with. Anyone of the workspace may. */
  resolve: authedProcedure.input(pageId).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.oncall.resolve(ctx.caller, input.pageId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such open page' });
    return { ok: true };
  }),

  /** Hand a page to someone else: they are paged now and have the level's timeout to answer. */
  reassign: authedProcedure.input(reassignPageInput).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.oncall.reassign(ctx.caller, input.pageId, input.userId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such open page' });
    return { ok: true };
  }),

  /** The workspace's active people (names for path levels and reassigning). */
  people: authedProcedure.query(({ ctx }) => ctx.services.oncall.people(ctx.caller.workspaceId)),

  /** Which path pages what: overrides per SLA policy and escalation type, routing rules. */
  routes: managerProcedure.query(({ ctx }) =>
    ctx.services.oncall.listRoutes(ctx.caller.workspaceId),
  ),

  saveRoutes: managerProcedure
    .input(pageRoutesInput)
    .mutation(({ ctx, input }) => ctx.services.oncall.saveRoutes(ctx.caller, input)),

  /** Automatic escalation rules ("unresolved for 24 h", "breached and unassigned"). */
  autoRules: managerProcedure.query(({ ctx }) =>
    ctx.services.oncallRules.listRules(ctx.caller.workspaceId),
  ),

  saveAutoRule: managerProcedure
    .input(autoRuleInput)
    .mutation(({ ctx, input }) => ctx.services.oncallRules.saveRule(ctx.caller, input)),

  /** The caller's own quiet hours (low urgency waits until they end). */
  quietHours: authedProcedure.query(async ({ ctx }) => ({
    quietHours: await ctx.services.oncall.myQuietHours(ctx.caller),
  })),

  saveQuietHours: authedProcedure
    .input(quietHoursInput)
    .mutation(({ ctx, input }) => ctx.services.oncall.saveQuietHours(ctx.caller, input)),

  /** Outgoing webhooks of path levels (host only; the secret is shown once, at creation). */
  webhooks: managerProcedure.query(({ ctx }) => ctx.services.webhooks.list(ctx.caller.workspaceId)),

  saveWebhook: managerProcedure
    .input(pathWebhookInput)
    .mutation(({ ctx, input }) => ctx.services.webhooks.save(ctx.caller, input)),

  removeWebhook: managerProcedure
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => ctx.services.webhooks.remove(ctx.caller, input.webhookId)),

  /** One delivery now; its result (delivered, or the failure's category). */
  testWebhook: managerProcedure
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => ctx.services.webhooks.sendTest(ctx.caller, input.webhookId)),
});
