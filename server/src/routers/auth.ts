import { TRPCError } from '@trpc/server';
import { signInInput } from '@deskwatch/shared';
import { SESSION_TTL_MS } from '../services/accounts.js';
import { SIGN_IN_BACKOFF, SIGN_IN_PER_ADDRESS } from '../services/limiter.js';
import { publicProcedure, router, sessionProcedure, type Context } from '../trpc.js';

export const SESSION_COOKIE = 'dw_session';

/** "45 s", "3 min", "2 h": a wait as people read it, rounded up. */
export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.ceil(s / 60);
  return min < 120 ? `${min} min` : `${Math.ceil(min / 60)} h`;
}

/** Refuses with 429 and a Retry-After header saying when to try again. */
export function tooMany(ctx: Context, waitMs: number, what: string): never {
  const wait = Math.max(waitMs, 1000);
  ctx.resHeaders?.set('retry-after', String(Math.ceil(wait / 1000)));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many ${what} from this address; try again in ${formatWait(wait)}`,
  });
}

export function setSessionCookie(
  ctx: Pick<Context, 'resHeaders' | 'secureCookies'>,
  token: string | null,
) {
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
    // Per account and address, so an attacker elsewhere never locks the owner out; per address
    // across accounts, so guessing one password over many accounts is slowed down too. Each
    // attempt counts before the password is checked (parallel guesses cannot slip through) and
    // a right password takes it back; a right password from an address that must wait waits too.
    const account = `sign-in:${input.email.toLowerCase()}|${ctx.clientIp}`;
    const address = `sign-in:${ctx.clientIp}`;
    const refuse = async () =>
      tooMany(ctx, await limiter.blockedFor([account, address]), 'failed sign-ins');
    if (!(await limiter.reserve(address, SIGN_IN_PER_ADDRESS))) return refuse();
    if (!(await limiter.reserve(account, SIGN_IN_BACKOFF))) {
      await limiter.release(address, SIGN_IN_PER_ADDRESS);
      return refuse();
    }
    const res = await ctx.services.accounts.signIn(input.email, input.password);
    if (!res) {
      const wait = await limiter.blockedFor([account, address]);
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message:
          wait > 0
            ? `Wrong email or password; wait ${formatWait(wait)} before the next try`
            : 'Wrong email or password',
      });
    }
    await limiter.clear(account);
    await limiter.release(address, SIGN_IN_PER_ADDRESS);
    setSessionCookie(ctx, res.token);
    return { name: res.caller.name, email: res.caller.email, role: res.caller.role };
  }),

  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.services.accounts.signOut(ctx.sessionToken);
    setSessionCookie(ctx, null);
    return { ok: true };
  }),
});
