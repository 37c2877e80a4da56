import { TRPCError } from '@trpc/server';
import { signInInput } from '@deskwatch/shared';
import { SESSION_TTL_MS } from '../services/accounts.js';
import { publicProcedure, router, sessionProcedure, type Context } from '../trpc.js';

export const SESSION_COOKIE = 'dw_session';
/** Failed sign-ins per account, and failed pairing codes per address, allowed per window. */
export const SIGN_IN_FAILURES = 10;
export const PAIRING_FAILURES = 20;
export const FAILURE_WINDOW_MS = 15 * 60_000;

export function tooMany(waitMs: number) {
  if (waitMs > 0) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many failed attempts; try again in ${Math.ceil(waitMs / 60_000)} min`,
    });
  }
}

function setSessionCookie(ctx: Context, token: string | null) {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax', ctx.secureCookies ? 'Secure' : null]
    .filter(Boolean)
    .join('; ');
  const value = token
    ? `${SESSION_COOKIE}=${token}; Max-Age=${SESSION_TTL_MS / 1000}`
    : `${SESSION_COOKIE}=; Max-Age=0`;
  ctx.resHeaders?.append('set-cookie', `${value}; ${attrs}`);
}

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) =>
    ctx.caller
      ? {
          name: ctx.caller.name,
          email: ctx.caller.email,
          role: ctx.caller.role,
          via: ctx.caller.via,
        }
      : null,
  ),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const { limiter } = ctx.services;
    const key = `sign-in:${input.email.toLowerCase()}`;
    tooMany(limiter.blockedFor(key, SIGN_IN_FAILURES));
    const res = await ctx.services.accounts.signIn(input.email, input.password);
    if (!res) {
      limiter.fail(key, FAILURE_WINDOW_MS);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong email or password' });
    }
    limiter.clear(key);
    setSessionCookie(ctx, res.token);
    return { name: res.caller.name, email: res.caller.email, role: res.caller.role };
  }),

  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.services.accounts.signOut(ctx.sessionToken);
    setSessionCookie(ctx, null);
    return { ok: true };
  }),
});
