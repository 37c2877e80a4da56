import { z } from 'zod';
import { adapterHealthReport, adapterSpec, adapterValues } from '@deskwatch/shared';
import { TRPCError } from '@trpc/server';
import { AdapterSpecError } from '../services/adapters.js';
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
  /** The workspace's taught adapters (data), for every agent's extension. */
  taught: authedProcedure.query(({ ctx }) => ctx.services.adapters.taught(ctx.caller.workspaceId)),
  /** Saves a taught adapter: from the picker, or imported from a file another team exported. */
  saveTaught: adminProcedure.input(adapterSpec).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.services.adapters.saveTaught(ctx.caller.workspaceId, input);
    } catch (err) {
      if (err instanceof AdapterSpecError)
        throw new TRPCError({ code: 'BAD_REQUEST', message: err.message });
      throw err;
    }
  }),
  deleteTaught: adminProcedure
    .input(z.strictObject({ id: tool }))
    .mutation(async ({ ctx, input }) => {
      if (!(await ctx.services.adapters.deleteTaught(ctx.caller.workspaceId, input.id)))
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such taught adapter' });
      return { ok: true };
    }),
  /** The workspace's own meaning of each tool's statuses and priorities, for every agent's extension. */
  values: authedProcedure.query(({ ctx }) => ctx.services.adapters.values(ctx.caller.workspaceId)),
  setValues: adminProcedure
    .input(z.strictObject({ tool, values: adapterValues }))
    .mutation(({ ctx, input }) =>
      ctx.services.adapters.setValues(ctx.caller.workspaceId, input.tool, input.values),
    ),
  health: adminProcedure.query(({ ctx }) => ctx.services.adapters.health(ctx.caller.workspaceId)),
  setDisabled: adminProcedure
    .input(z.strictObject({ tool, disabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.services.adapters.setDisabled(ctx.caller.workspaceId, input.tool, input.disabled),
    ),
});
