import { auditListInput } from '@deskwatch/shared';
import { adminProcedure, router } from '../trpc.js';

/** The audit log of admin changes, for admins. */
export const auditRouter = router({
  list: adminProcedure
    .input(auditListInput)
    .query(({ ctx, input }) => ctx.services.audit.list(ctx.caller.workspaceId, input)),
});
