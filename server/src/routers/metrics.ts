import { z } from 'zod';
import { glanceMetric, metricTarget, metricsQuery } from '@deskwatch/shared';
import { managerProcedure, router } from '../trpc.js';

/**
 * The manager's metric glances (issue #18). Managers and admins only: the figures name agents
 * (assignees), and agents must not see one another's.
 */
export const metricsRouter = router({
  glance: managerProcedure
    .input(metricsQuery)
    .query(({ ctx, input }) => ctx.services.metrics.glance(ctx.caller.workspaceId, input)),

  /** The tickets behind one number (drill-down and CSV export). */
  tickets: managerProcedure
    .input(z.strictObject({ query: metricsQuery, metric: glanceMetric }))
    .query(({ ctx, input }) =>
      ctx.services.metrics.tickets(ctx.caller.workspaceId, input.query, input.metric),
    ),

  setTarget: managerProcedure
    .input(metricTarget)
    .mutation(({ ctx, input }) =>
      ctx.services.metrics.setTarget(
        ctx.caller.workspaceId,
        ctx.caller.userId,
        input.metric,
        input.value,
      ),
    ),
});
