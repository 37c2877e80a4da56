import { hash } from '@node-rs/argon2';
import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import { defaultPolicy, type Role } from '@deskwatch/shared';
import { newId, randomToken, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import {
  escalations,
  extensionTokens,
  invitations,
  pushOutbox,
  slaPolicies,
  pushSubscriptions,
  sessions,
  users,
  workspaces,
} from '../db/schema.js';
import type { Bus } from '../events.js';
import type { Audit } from './audit.js';

const DAY = 24 * 3600_000;

/** A refusal written for the admin who asked; carries its tRPC code. */
export class PeopleError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

/** Who acts: an admin of a workspace (null: the operator's command line). */
export interface Actor {
  userId: string | null;
  workspaceId: string;
}

export interface NewWorkspace {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
}

/**
 * Workspaces and the people in them: the first start's setup, sign-up where the server allows
 * it, invitations, roles and deactivation. Every change is written with its audit entry in one
 * transaction.
 */
export function createPeople(
  db: Db,
  now: () => number,
  deps: { audit: Audit; bus: Bus; publicUrl: () => string; allowSignup: boolean },
) {
  const { audit } = deps;

  async function emailTaken(tx: Pick<Db, 'select'>, email: string) {
    const [r] = await tx
      .select({ n: count() })
      .from(users)
      .where(eq(users.email, email.toLowerCase()));
    return r!.n > 0;
  }

  /** A new workspace starts with the standard policy (24x7), so timers run from its first ticket. */
  async function starterPolicy(tx: Pick<Db, 'insert'>, workspaceId: string) {
    await tx.insert(slaPolicies).values({
      id: newId(),
      workspaceId,
      position: 0,
      policyJson: JSON.stringify(defaultPolicy),
      updatedAt: now(),
    });
  }

  async function member(workspaceId: string, userId: string) {
    const u = await db.query.users.findFirst({
      where: and(eq(users.id, userId), eq(users.workspaceId, workspaceId)),
    });
    if (!u) throw new PeopleError('NOT_FOUND', 'No such person in your workspace');
    return u;
  }

  async function activeAdmins(tx: Pick<Db, 'select'>, workspaceId: string) {
    const [r] = await tx
      .select({ n: count() })
      .from(users)
      .where(
        and(
          eq(users.workspaceId, workspaceId),
          eq(users.role, 'admin'),
          isNull(users.deactivatedAt),
        ),
      );
    return r!.n;
  }

  return {
    /** What the sign-in screen needs before anyone is signed in. */
    async status() {
      const [r] = await db.select({ n: count() }).from(workspaces);
      return { needsSetup: r!.n === 0, allowSignup: deps.allowSignup };
    },

    /**
     * A workspace and its first admin. `first`: only while the server has no workspace at all
     * (the first start's setup screen); checked inside the transaction, so two racing setups
     * make one workspace.
     */
    async createWorkspace(
      input: NewWorkspace,
      how: 'first' | 'signup',
    ): Promise<{ workspaceId: string; userId: string }> {
      if (how === 'signup' && !deps.allowSignup)
        throw new PeopleError(
          'FORBIDDEN',
          'This server does not allow signing up; ask its operator',
        );
      const passwordHash = await hash(input.password);
      const t = now();
      const workspaceId = newId();
      const userId = newId();
      await db.transaction(async (tx) => {
        if (how === 'first') {
          const [r] = await tx.select({ n: count() }).from(workspaces);
          if (r!.n > 0) throw new PeopleError('CONFLICT', 'This server is already set up; sign in');
        }
        if (await emailTaken(tx, input.email))
          throw new PeopleError('CONFLICT', 'This e-mail address already has an account');
        await tx
          .insert(workspaces)
          .values({ id: workspaceId, name: input.workspaceName, createdAt: t });
        await tx.insert(users).values({
          id: userId,
          workspaceId,
          email: input.email.toLowerCase(),
          name: input.name,
          role: 'admin',
          passwordHash,
          createdAt: t,
        });
        await starterPolicy(tx, workspaceId);
        await audit.record(tx, {
          workspaceId,
          actorId: userId,
          action: 'workspace.create',
          target: `workspace:${workspaceId}`,
          after: { name: input.workspaceName, admin: input.email.toLowerCase(), how },
        });
      });
      return { workspaceId, userId };
    },

    /**
     * The operator's command: a workspace with no one in it yet, and an admin invitation link for
     * `email` (the admin chooses their own password when they open it; none goes through a shell).
     */
    async createWorkspaceForOperator(input: {
      workspaceName: string;
      email: string;
      days: number;
    }) {
      const email = input.email.toLowerCase();
      if (await emailTaken(db, email))
        throw new PeopleError('CONFLICT', 'This e-mail address already has an account');
      const workspaceId = newId();
      const t = now();
      await db.transaction(async (tx) => {
        await tx
          .insert(workspaces)
          .values({ id: workspaceId, name: input.workspaceName, createdAt: t });
        await starterPolicy(tx, workspaceId);
        await audit.record(tx, {
          workspaceId,
          actorId: null,
          action: 'workspace.create',
          target: `workspace:${workspaceId}`,
          after: { name: input.workspaceName, admin: email, how: 'operator' },
        });
      });
      const inv = await this.invite(
        { userId: null, workspaceId },
        { email, role: 'admin', days: input.days },
      );
      return { workspaceId, ...inv };
    },

    /** An invitation link for `email` with `role`, working once for `days`. */
    async invite(actor: Actor, input: { email: string; role: Role; days: number }) {
      const email = input.email.toLowerCase();
      if (await emailTaken(db, email))
        throw new PeopleError('CONFLICT', 'This e-mail address already has an account');
      const token = randomToken();
      const id = newId();
      const t = now();
      const expiresAt = t + input.days * DAY;
      await db.transaction(async (tx) => {
        await tx.insert(invitations).values({
          id,
          workspaceId: actor.workspaceId,
          tokenHash: sha256(token),
          email,
          role: input.role,
          invitedBy: actor.userId,
          createdAt: t,
          expiresAt,
        });
        await audit.record(tx, {
          ...auditActor(actor),
          action: 'invitation.create',
          target: `invitation:${id}`,
          after: { email, role: input.role, expiresAt },
        });
      });
      return { id, email, role: input.role, expiresAt, link: `${deps.publicUrl()}/join#${token}` };
    },

    /** Invitations not used, revoked or expired yet. */
    async openInvitations(workspaceId: string) {
      return db
        .select({
          id: invitations.id,
          email: invitations.email,
          role: invitations.role,
          createdAt: invitations.createdAt,
          expiresAt: invitations.expiresAt,
        })
        .from(invitations)
        .where(
          and(
            eq(invitations.workspaceId, workspaceId),
            isNull(invitations.usedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, now()),
          ),
        )
        .orderBy(asc(invitations.createdAt), asc(invitations.id));
    },

    async revokeInvitation(actor: Actor, id: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(invitations)
          .set({ revokedAt: now() })
          .where(
            and(
              eq(invitations.id, id),
              eq(invitations.workspaceId, actor.workspaceId),
              isNull(invitations.usedAt),
              isNull(invitations.revokedAt),
            ),
          )
          .returning({ email: invitations.email, role: invitations.role });
        if (!row) throw new PeopleError('NOT_FOUND', 'No such open invitation in your workspace');
        await audit.record(tx, {
          ...auditActor(actor),
          action: 'invitation.revoke',
          target: `invitation:${id}`,
          before: row,
        });
      });
    },

    /** What the join screen shows for a link: the workspace, address and role, or null when it no longer works. */
    async invitation(token: string) {
      const [row] = await db
        .select({ email: invitations.email, role: invitations.role, workspace: workspaces.name })
        .from(invitations)
        .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
        .where(
          and(
            eq(invitations.tokenHash, sha256(token)),
            isNull(invitations.usedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, now()),
          ),
        );
      return row ?? null;
    },

    /** Spends an invitation and creates its person; the link works once, whoever uses it first. */
    async join(input: { token: string; name: string; password: string }) {
      const passwordHash = await hash(input.password);
      const t = now();
      const userId = newId();
      await db.transaction(async (tx) => {
        const [inv] = await tx
          .update(invitations)
          .set({ usedAt: t })
          .where(
            and(
              eq(invitations.tokenHash, sha256(input.token)),
              isNull(invitations.usedAt),
              isNull(invitations.revokedAt),
              gt(invitations.expiresAt, t),
            ),
          )
          .returning();
        if (!inv)
          throw new PeopleError(
            'NOT_FOUND',
            'This invitation link is wrong, expired or already used; ask your admin for a new one',
          );
        if (await emailTaken(tx, inv.email))
          throw new PeopleError('CONFLICT', 'This e-mail address already has an account; sign in');
        await tx.insert(users).values({
          id: userId,
          workspaceId: inv.workspaceId,
          email: inv.email,
          name: input.name,
          role: inv.role,
          passwordHash,
          createdAt: t,
        });
        await tx.update(invitations).set({ usedBy: userId }).where(eq(invitations.id, inv.id));
        await audit.record(tx, {
          workspaceId: inv.workspaceId,
          actorId: userId,
          action: 'person.join',
          target: `user:${userId}`,
          after: { email: inv.email, name: input.name, role: inv.role, invitation: inv.id },
        });
      });
      return userId;
    },

    /** Everyone in the workspace, deactivated people included (marked). */
    async list(workspaceId: string) {
      return db
        .select({
          userId: users.id,
          name: users.name,
          email: users.email,
          role: users.role,
          createdAt: users.createdAt,
          deactivatedAt: users.deactivatedAt,
        })
        .from(users)
        .where(eq(users.workspaceId, workspaceId))
        .orderBy(asc(users.name), asc(users.id));
    },

    async setRole(actor: Actor, userId: string, role: Role) {
      const u = await member(actor.workspaceId, userId);
      if (u.role === role) return;
      await db.transaction(async (tx) => {
        await tx.update(users).set({ role }).where(eq(users.id, userId));
        if ((await activeAdmins(tx, actor.workspaceId)) === 0)
          throw new PeopleError('CONFLICT', 'A workspace keeps at least one active admin');
        await audit.record(tx, {
          ...auditActor(actor),
          action: 'person.role',
          target: `user:${userId}`,
          before: { email: u.email, role: u.role },
          after: { email: u.email, role },
        });
      });
    },

    /**
     * Deactivates a person in one transaction: they cannot sign in, their sessions end, their
     * extension tokens and push devices are revoked (and unsent pushes to them dropped), and the
     * pending escalations they requested pass to `transferTo`. Their open live feeds on this
     * instance are cut at once; on other instances a feed ends at its next read or reconnect.
     */
    async deactivate(actor: Actor, userId: string, transferTo?: string) {
      if (userId === actor.userId)
        throw new PeopleError('BAD_REQUEST', 'You cannot deactivate yourself; ask another admin');
      const u = await member(actor.workspaceId, userId);
      if (u.deactivatedAt !== null)
        throw new PeopleError('CONFLICT', `${u.name} is already deactivated`);
      if (transferTo !== undefined) {
        const to = await member(actor.workspaceId, transferTo);
        if (to.deactivatedAt !== null || to.id === userId)
          throw new PeopleError('BAD_REQUEST', 'Transfer to an active person other than them');
      }
      const t = now();
      const moved = await db.transaction(async (tx) => {
        await tx.update(users).set({ deactivatedAt: t }).where(eq(users.id, userId));
        if ((await activeAdmins(tx, actor.workspaceId)) === 0)
          throw new PeopleError('CONFLICT', 'A workspace keeps at least one active admin');
        await tx.delete(sessions).where(eq(sessions.userId, userId));
        const tokens = await tx
          .update(extensionTokens)
          .set({ revokedAt: t })
          .where(and(eq(extensionTokens.userId, userId), isNull(extensionTokens.revokedAt)))
          .returning({ id: extensionTokens.id });
        const devices = await tx
          .update(pushSubscriptions)
          .set({ retiredAt: t, lastError: 'deactivated' })
          .where(and(eq(pushSubscriptions.userId, userId), isNull(pushSubscriptions.retiredAt)))
          .returning({ id: pushSubscriptions.id });
        await tx
          .update(pushOutbox)
          .set({ state: 'retired', doneAt: t, lastError: 'deactivated' })
          .where(and(eq(pushOutbox.userId, userId), eq(pushOutbox.state, 'pending')));
        const escalated = transferTo
          ? await tx
              .update(escalations)
              .set({ requestedBy: transferTo, updatedAt: t })
              .where(
                and(
                  eq(escalations.workspaceId, actor.workspaceId),
                  eq(escalations.requestedBy, userId),
                  eq(escalations.state, 'pending'),
                ),
              )
              .returning({ id: escalations.id })
          : [];
        await audit.record(tx, {
          ...auditActor(actor),
          action: 'person.deactivate',
          target: `user:${userId}`,
          before: { email: u.email, role: u.role, active: true },
          after: {
            email: u.email,
            role: u.role,
            active: false,
            extensionTokensRevoked: tokens.length,
            pushDevicesRetired: devices.length,
            escalationsTransferred: escalated.length,
            ...(transferTo ? { transferTo } : {}),
          },
        });
        return escalated.length;
      });
      const feeds = deps.bus.cutUser(userId);
      return { escalationsTransferred: moved, feedsCut: feeds };
    },

    /** Lets a deactivated person sign in again (with their old password; nothing revoked comes back). */
    async reactivate(actor: Actor, userId: string) {
      const u = await member(actor.workspaceId, userId);
      if (u.deactivatedAt === null) throw new PeopleError('CONFLICT', `${u.name} is active`);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, userId));
        await audit.record(tx, {
          ...auditActor(actor),
          action: 'person.reactivate',
          target: `user:${userId}`,
          before: { email: u.email, active: false },
          after: { email: u.email, active: true },
        });
      });
    },
  };
}
export type People = ReturnType<typeof createPeople>;

const auditActor = (a: Actor) => ({ workspaceId: a.workspaceId, actorId: a.userId });
