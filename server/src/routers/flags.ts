import { z } from 'zod';
import { digestSettings, metricsQuery, redFlagRules } from '@deskwatch/shared';
import { managerProcedure, router } from '../trpc.js';

/**
 * Red flags and the weekly digest (issue #18). Managers and admins only, like the metrics they
 * watch; the rules are the workspace's (audited), the digest each manager's own.
 */
export const flagsRouter = router({
  rules: managerProcedure.query(({ ctx }) => ctx.services.redFlags.rules(ctx.caller.workspaceId)),

  setRules: managerProcedure
    .input(redFlagRules)
    .mutation(({ ctx, input }) =>
      ctx.services.redFlags.setRules(ctx.caller.workspaceId, ctx.caller.userId, input),
    ),

  /** Open and recent flags, newest first, each with the numbers that raised it. */
  list: managerProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200) }).optional())
    .query(({ ctx, input }) =>
      ctx.services.redFlags.list(ctx.caller.workspaceId, input?.limit ?? 50),
    ),

  /** The glance's other cards: escalations, CSAT, agents, recurring problems, backlog breakdown. */
  cards: managerProcedure
    .input(metricsQuery)
    .query(({ ctx, input }) => ctx.services.metricCards.get(ctx.caller.workspaceId, input)),

  digest: managerProcedure.query(({ ctx }) => ctx.services.digest.get(ctx.caller.userId)),

  setDigest: managerProcedure
    .input(digestSettings)
    .mutation(({ ctx, input }) => ctx.services.digest.set(ctx.caller, input)),
});
