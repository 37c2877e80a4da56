import { z } from 'zod';
import { pushSubscriptionInput } from '@deskwatch/shared';
import { publicProcedure, router, sessionProcedure } from '../trpc.js';

export const pushRouter = router({
  vapidPublicKey: publicProcedure.query(({ ctx }) => ctx.services.push.publicKey),
  subscribe: sessionProcedure.input(pushSubscriptionInput).mutation(async ({ ctx, input }) => {
    await ctx.services.push.subscribe(ctx.caller, input);
    return { ok: true };
  }),
  unsubscribe: sessionProcedure
    .input(z.strictObject({ endpoint: z.url() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.unsubscribe(ctx.caller, input.endpoint);
      return { ok: true };
    }),
  devices: sessionProcedure.query(({ ctx }) => ctx.services.push.listMine(ctx.caller)),
  sendTest: sessionProcedure.mutation(({ ctx }) => ctx.services.push.sendTest(ctx.caller)),
});
