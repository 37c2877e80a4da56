import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { Role } from '@deskwatch/shared';
import { newId, pairingCode, randomToken, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import {
  actionTokens,
  extensionTokens,
  pairingCodes,
  sessions,
  users,
  workspaces,
} from '../db/schema.js';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;
export const PAIRING_TTL_MS = 10 * 60_000;

/** Who is calling, however they authenticated. */
export interface Caller {
  userId: string;
  workspaceId: string;
  role: Role;
  name: string;
  email: string;
  via: 'session' | 'token';
  tokenId?: string;
}

// A hash to verify against when the email is unknown, so a sign-in takes as long either way.
let dummyHash: Promise<string> | undefined;

export function createAccounts(db: Db, now: () => number) {
  async function callerFor(
    userId: string,
    via: Caller['via'],
    tokenId?: string,
  ): Promise<Caller | null> {
    const u = await db.query.users.findFirst({ where: eq(users.id, userId) });
    if (!u) return null;
    return {
      userId: u.id,
      workspaceId: u.workspaceId,
      role: u.role,
      name: u.name,
      email: u.email,
      via,
      ...(tokenId ? { tokenId } : {}),
    };
  }

  return {
    async createWorkspace(name: string) {
      const id = newId();
      await db.insert(workspaces).values({ id, name, createdAt: now() });
      return id;
    },

    async createUser(input: {
      workspaceId: string;
      email: string;
      name: string;
      role: Role;
      password: string;
    }) {
      const id = newId();
      await db.insert(users).values({
        id,
        workspaceId: input.workspaceId,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: await hash(input.password),
        createdAt: now(),
      });
      return id;
    },

    /** Returns a new session token, or null for a wrong email or password (never saying which). */
    async signIn(
      email: string,
      password: string,
    ): Promise<{ token: string; caller: Caller } | null> {
      const u = await db.query.users.findFirst({ where: eq(users.email, email.toLowerCase()) });
      if (!u) {
        dummyHash ??= hash('not-a-password');
        await verify(await dummyHash, password);
        return null;
      }
      if (!(await verify(u.passwordHash, password))) return null;
      const token = randomToken();
      await db.insert(sessions).values({
        idHash: sha256(token),
        userId: u.id,
        createdAt: now(),
        expiresAt: now() + SESSION_TTL_MS,
      });
      const caller = await callerFor(u.id, 'session');
      return caller && { token, caller };
    },

    async sessionCaller(token: string): Promise<Caller | null> {
      const s = await db.query.sessions.findFirst({
        where: and(eq(sessions.idHash, sha256(token)), gt(sessions.expiresAt, now())),
      });
      return s ? callerFor(s.userId, 'session') : null;
    },

    async signOut(token: string) {
      await db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
    },

    async createPairingCode(userId: string) {
      const code = pairingCode();
      const expiresAt = now() + PAIRING_TTL_MS;
      await db.insert(pairingCodes).values({ codeHash: sha256(code), userId, expiresAt });
      return { code, expiresAt };
    },

    /** Exchanges a valid, unused code for a long-lived extension token; the code is spent either way it is used. */
    async redeemPairingCode(code: string, deviceName: string) {
      const t = now();
      const spent = await db
        .update(pairingCodes)
        .set({ usedAt: t })
        .where(
          and(
            eq(pairingCodes.codeHash, sha256(code)),
            isNull(pairingCodes.usedAt),
            gt(pairingCodes.expiresAt, t),
          ),
        )
        .returning({ userId: pairingCodes.userId });
      const row = spent[0];
      if (!row) return null;
      const token = randomToken();
      const id = newId();
      await db
        .insert(extensionTokens)
        .values({ id, tokenHash: sha256(token), userId: row.userId, deviceName, createdAt: t });
      const caller = await callerFor(row.userId, 'token', id);
      return caller && { token, tokenId: id, caller };
    },

    async tokenCaller(token: string): Promise<Caller | null> {
      const row = await db.query.extensionTokens.findFirst({
        where: and(eq(extensionTokens.tokenHash, sha256(token)), isNull(extensionTokens.revokedAt)),
      });
      if (!row) return null;
      await db
        .update(extensionTokens)
        .set({ lastUsedAt: now() })
        .where(eq(extensionTokens.id, row.id));
      return callerFor(row.userId, 'token', row.id);
    },

    /** Deletes expired sessions, pairing codes and notification action tokens (they can never be used again). */
    async housekeeping() {
      const t = now();
      const day = 24 * 3600_000;
      await db.delete(sessions).where(lt(sessions.expiresAt, t));
      await db
        .delete(pairingCodes)
        .where(or(lt(pairingCodes.expiresAt, t - day), isNotNull(pairingCodes.usedAt)));
      await db
        .delete(actionTokens)
        .where(
          or(
            lt(actionTokens.expiresAt, t - day),
            and(isNotNull(actionTokens.usedAt), lt(actionTokens.usedAt, t - day)),
          ),
        );
    },

    async listTokens(userId: string) {
      return db.query.extensionTokens.findMany({
        where: and(eq(extensionTokens.userId, userId), isNull(extensionTokens.revokedAt)),
        columns: { id: true, deviceName: true, createdAt: true, lastUsedAt: true },
      });
    },

    async revokeToken(userId: string, tokenId: string) {
      const r = await db
        .update(extensionTokens)
        .set({ revokedAt: now() })
        .where(
          and(
            eq(extensionTokens.id, tokenId),
            eq(extensionTokens.userId, userId),
            isNull(extensionTokens.revokedAt),
          ),
        )
        .returning({ id: extensionTokens.id });
      return r.length > 0;
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
