import { TRPCError } from '@trpc/server';
import { signInInput } from '@deskwatch/shared';
import { SESSION_TTL_MS } from '../services/accounts.js';
import { publicProcedure, router, sessionProcedure, type Context } from '../trpc.js';

export const SESSION_COOKIE = 'dw_session';

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
    const res = await ctx.services.accounts.signIn(input.email, input.password);
    if (!res) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong email or password' });
    setSessionCookie(ctx, res.token);
    return { name: res.caller.name, email: res.caller.email, role: res.caller.role };
  }),

  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.services.accounts.signOut(ctx.sessionToken);
    setSessionCookie(ctx, null);
    return { ok: true };
  }),
});
