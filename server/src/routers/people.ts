import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  createWorkspaceInput,
  deactivateInput,
  invitationToken,
  inviteInput,
  joinInput,
  setRoleInput,
} from '@deskwatch/shared';
import { adminProcedure, publicProcedure, router, type Context } from '../trpc.js';
import type { Caller } from '../services/accounts.js';
import { JOIN_PER_ADDRESS, SIGN_UP_PER_ADDRESS } from '../services/limiter.js';
import { setSessionCookie, tooMany } from './auth.js';

const id = z.string().min(1).max(64);
const actor = (c: Caller) => ({ userId: c.userId, workspaceId: c.workspaceId });

/** Signs the new person in on this browser, as a sign-in would. */
async function signInAs(ctx: Context, userId: string) {
  const s = await ctx.services.accounts.startSession(userId);
  if (!s) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'No session' });
  setSessionCookie(ctx, s.token);
  return { name: s.caller.name, email: s.caller.email, role: s.caller.role };
}

/** Workspaces and people: first-start setup, sign-up, invitations, roles, deactivation. */
export const peopleRouter = router({
  /** Before sign-in: does this server need its first workspace, and may people sign up? */
  status: publicProcedure.query(({ ctx }) => ctx.services.people.status()),

  /** The first start's setup: only while the server has no workspace at all. */
  setup: publicProcedure.input(createWorkspaceInput).mutation(async ({ ctx, input }) => {
    const { userId } = await ctx.services.people.createWorkspace(input, 'first');
    return signInAs(ctx, userId);
  }),

  /** A new workspace by sign-up, where the server allows it (`ALLOW_SIGNUP`). */
  signUp: publicProcedure.input(createWorkspaceInput).mutation(async ({ ctx, input }) => {
    // Every attempt counts, a success too: nobody needs many new workspaces an hour.
    const key = `sign-up:${ctx.clientIp}`;
    if (!(await ctx.services.limiter.reserve(key, SIGN_UP_PER_ADDRESS)))
      tooMany(ctx, await ctx.services.limiter.blockedFor([key]), 'sign-ups');
    const { userId } = await ctx.services.people.createWorkspace(input, 'signup');
    return signInAs(ctx, userId);
  }),

  /** What an invitation link offers, for the join screen; null when it no longer works. */
  invitation: publicProcedure
    .input(z.strictObject({ token: invitationToken }))
    .query(({ ctx, input }) => ctx.services.people.invitation(input.token)),

  /** Accepts an invitation: creates the person and signs them in. */
  join: publicProcedure.input(joinInput).mutation(async ({ ctx, input }) => {
    // Counted before the token is tried (parallel tries cannot slip through); a join takes it back.
    const key = `join:${ctx.clientIp}`;
    const { limiter } = ctx.services;
    if (!(await limiter.reserve(key, JOIN_PER_ADDRESS)))
      tooMany(ctx, await limiter.blockedFor([key]), 'failed invitation joins');
    const userId = await ctx.services.people.join(input);
    await limiter.release(key, JOIN_PER_ADDRESS);
    return signInAs(ctx, userId);
  }),

  list: adminProcedure.query(async ({ ctx }) => ({
    people: await ctx.services.people.list(ctx.caller.workspaceId),
    invitations: await ctx.services.people.openInvitations(ctx.caller.workspaceId),
  })),

  invite: adminProcedure
    .input(inviteInput)
    .mutation(({ ctx, input }) => ctx.services.people.invite(actor(ctx.caller), input)),

  revokeInvitation: adminProcedure
    .input(z.strictObject({ invitationId: id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.people.revokeInvitation(actor(ctx.caller), input.invitationId);
      return { ok: true };
    }),

  setRole: adminProcedure.input(setRoleInput).mutation(async ({ ctx, input }) => {
    await ctx.services.people.setRole(actor(ctx.caller), input.userId, input.role);
    return { ok: true };
  }),

  deactivate: adminProcedure
    .input(deactivateInput)
    .mutation(({ ctx, input }) =>
      ctx.services.people.deactivate(actor(ctx.caller), input.userId, input.transferTo),
    ),

  reactivate: adminProcedure
    .input(z.strictObject({ userId: id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.people.reactivate(actor(ctx.caller), input.userId);
      return { ok: true };
    }),
});
