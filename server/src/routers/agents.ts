import { TRPCError } from '@trpc/server';
import { setAliasesInput } from '@deskwatch/shared';
import { adminProcedure, authedProcedure, router } from '../trpc.js';

export const agentsRouter = router({
  /** The workspace's agents and their aliases: the extension caches it for authorship. */
  list: authedProcedure.query(({ ctx }) => ctx.services.agents.list(ctx.caller.workspaceId)),

  /** Replaces the names and e-mails one user goes by in the ticket tools. */
  setAliases: adminProcedure.input(setAliasesInput).mutation(async ({ ctx, input }) => {
    if (
      !(await ctx.services.agents.setAliases(ctx.caller.workspaceId, input.userId, input.aliases))
    )
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such user in your workspace' });
    return ctx.services.agents.list(ctx.caller.workspaceId);
  }),
});
