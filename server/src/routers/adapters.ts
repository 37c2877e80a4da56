import { z } from 'zod';
import { adapterHealthReport } from '@deskwatch/shared';
import { adminProcedure, authedProcedure, router } from '../trpc.js';

const tool = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an adapter id is lower-case letters, digits and dashes');

export const adaptersRouter = router({
  /** From the extension: required fields of an adapter no longer match on a page. */
  reportHealth: authedProcedure.input(adapterHealthReport).mutation(async ({ ctx, input }) => {
    await ctx.services.adapters.reportHealth(ctx.caller.workspaceId, input);
    return { ok: true };
  }),
  /** The adapters this workspace switched off; the extension leaves their pages alone. */
  disabled: authedProcedure.query(({ ctx }) =>
    ctx.services.adapters.disabled(ctx.caller.workspaceId),
  ),
  health: adminProcedure.query(({ ctx }) => ctx.services.adapters.health(ctx.caller.workspaceId)),
  setDisabled: adminProcedure
    .input(z.object({ tool, disabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.services.adapters.setDisabled(ctx.caller.workspaceId, input.tool, input.disabled),
    ),
});
