import { ssoSettingsInput } from '@deskwatch/shared';
import { adminProcedure, router } from '../trpc.js';

/** Admin: the workspace's single sign-on (OpenID Connect) settings. The sign-in itself is `/sso/*`. */
export const ssoRouter = router({
  settings: adminProcedure.query(({ ctx }) => ctx.services.sso.settings(ctx.caller.workspaceId)),

  save: adminProcedure.input(ssoSettingsInput).mutation(async ({ ctx, input }) => {
    await ctx.services.sso.save(
      { userId: ctx.caller.userId, workspaceId: ctx.caller.workspaceId },
      input,
    );
    return ctx.services.sso.settings(ctx.caller.workspaceId);
  }),
});
