import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { redeemPairingInput } from '@deskwatch/shared';
import { authedProcedure, publicProcedure, router, sessionProcedure } from '../trpc.js';
import { PAIRING_PER_ADDRESS } from '../services/limiter.js';
import { tooMany } from './auth.js';

export const pairingRouter = router({
  /** Shown in the PWA's "Connect extension" screen. */
  createCode: sessionProcedure.mutation(({ ctx }) =>
    ctx.services.accounts.createPairingCode(ctx.caller.userId),
  ),

  /** Called by the extension's background worker with the code the user typed. */
  redeem: publicProcedure.input(redeemPairingInput).mutation(async ({ ctx, input }) => {
    // Counted before the code is tried, so parallel guesses cannot slip through; a right code takes it back.
    const key = `pair:${ctx.clientIp}`;
    const { limiter } = ctx.services;
    if (!(await limiter.reserve(key, PAIRING_PER_ADDRESS)))
      tooMany(ctx, await limiter.blockedFor([key]), 'failed pairing codes');
    const res = await ctx.services.accounts.redeemPairingCode(input.code, input.deviceName);
    if (!res) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'This code is wrong, expired or already used; ask the app for a new one',
      });
    }
    await limiter.release(key, PAIRING_PER_ADDRESS);
    return {
      token: res.token,
      user: { name: res.caller.name, email: res.caller.email, role: res.caller.role },
    };
  }),

  /** The extension's connection check. */
  whoami: authedProcedure.query(({ ctx }) => ({
    name: ctx.caller.name,
    email: ctx.caller.email,
    role: ctx.caller.role,
  })),

  devices: sessionProcedure.query(({ ctx }) => ctx.services.accounts.listTokens(ctx.caller.userId)),

  revoke: authedProcedure
    .input(z.strictObject({ tokenId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await ctx.services.accounts.revokeToken(ctx.caller.userId, input.tokenId))) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such connected extension' });
      }
      return { ok: true };
    }),
});
