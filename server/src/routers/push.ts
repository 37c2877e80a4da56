import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { pushSubscriptionInput } from '@deskwatch/shared';
import { PushError } from '../services/push.js';
import { publicProcedure, router, sessionProcedure } from '../trpc.js';

/** The push service's refusals as typed tRPC errors; their messages are written for users. */
async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PushError)
      throw new TRPCError({ code: err.code, message: err.message, cause: err });
    throw err;
  }
}

export const pushRouter = router({
  vapidPublicKey: publicProcedure.query(({ ctx }) => ctx.services.push.publicKey),
  subscribe: sessionProcedure.input(pushSubscriptionInput).mutation(({ ctx, input }) =>
    typed(async () => {
      await ctx.services.push.subscribe(ctx.caller, input);
      return { ok: true };
    }),
  ),
  unsubscribe: sessionProcedure
    .input(z.strictObject({ endpoint: z.url() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.unsubscribe(ctx.caller, input.endpoint);
      return { ok: true };
    }),
  devices: sessionProcedure.query(({ ctx }) => ctx.services.push.listMine(ctx.caller)),
  sendTest: sessionProcedure.mutation(({ ctx }) =>
    typed(() => ctx.services.push.sendTest(ctx.caller)),
  ),
});
