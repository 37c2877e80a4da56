import type { Client } from '@libsql/client';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { Role } from '@deskwatch/shared';
import { newId, pairingCode, randomToken, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import { createHotDb, type HotDb } from '../db/hot.js';
import { tokenHash } from './token-hash.js';
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

/** A token's last use is written at most this often: reads must not write on every request. */
export const TOKEN_USE_WRITE_MS = 60_000;

const CALLER_COLUMNS = 'u.id, u.workspace_id, u.role, u.name, u.email';

/**
 * The caller of an extension token as SQL, for statements that check the token and read in one
 * go: select `TOKEN_CALLER_COLUMNS` (the caller, then the token's id: six columns, read back by
 * `tokenCallerFromRow`) from `TOKEN_CALLER_FROM`, where `TOKEN_VALID` holds for the token's hash.
 * Read on every request, so a token revoked on any instance is refused at once.
 */
export const TOKEN_CALLER_COLUMNS = `${CALLER_COLUMNS}, tk.id`;
export const TOKEN_CALLER_FROM = 'extension_tokens tk JOIN users u ON u.id = tk.user_id';
export const TOKEN_VALID =
  'tk.token_hash = ? AND tk.revoked_at IS NULL AND u.deactivated_at IS NULL';
export const tokenCallerFromRow = (r: unknown[]): Caller =>
  callerFromRow(r, 'token', r[5] as string);

/**
 * When each extension token was last used, kept in memory and written in the background at most
 * once a minute per token, so no request waits for (or takes the lock of) a write to record it.
 */
function tokenUse(hot: HotDb, now: () => number) {
  const pending = new Map<string, number>();
  const written = new Map<string, number>();
  return {
    touch(tokenId: string) {
      pending.set(tokenId, now());
    },
    /** What the database does not show yet. */
    pending(tokenId: string): number | undefined {
      return pending.get(tokenId);
    },
    /** Writes the uses of tokens not written within the last minute; the rest wait. */
    async flush(opts: { all?: boolean } = {}) {
      const t = now();
      const due = [...pending].filter(
        ([id]) => opts.all || t - (written.get(id) ?? -Infinity) >= TOKEN_USE_WRITE_MS,
      );
      if (due.length === 0) return 0;
      for (const [id] of due) {
        pending.delete(id);
        written.set(id, t);
      }
      await hot.write(
        due.map(([id, at]) => ({
          sql: 'UPDATE extension_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?',
          args: [at, id],
        })),
      );
      // Forget tokens quiet for a while, so the map holds only tokens in use.
      for (const [id, at] of written) if (t - at > 10 * TOKEN_USE_WRITE_MS) written.delete(id);
      return due.length;
    },
  };
}

function callerFromRow(r: unknown[], via: Caller['via'], tokenId?: string): Caller {
  return {
    userId: r[0] as string,
    workspaceId: r[1] as string,
    role: r[2] as Role,
    name: r[3] as string,
    email: r[4] as string,
    via,
    ...(tokenId ? { tokenId } : {}),
  };
}

// A hash to verify against when the email is unknown, so a sign-in takes as long either way.
let dummyHash: Promise<string> | undefined;

export function createAccounts(
  db: Db,
  now: () => number,
  hot: HotDb = createHotDb((db as Db & { $client: Client }).$client, null),
) {
  const uses = tokenUse(hot, now);

  async function callerFor(
    userId: string,
    via: Caller['via'],
    tokenId?: string,
  ): Promise<Caller | null> {
    const u = await db.query.users.findFirst({ where: eq(users.id, userId) });
    if (!u || u.deactivatedAt !== null) return null;
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
      // A deactivated person's password is still checked, so the answer takes as long.
      if (!(await verify(u.passwordHash, password)) || u.deactivatedAt !== null) return null;
      return this.startSession(u.id);
    },

    /** A new session for a user who has just proved who they are (a password, a join, single sign-on). */
    async startSession(userId: string): Promise<{ token: string; caller: Caller } | null> {
      const caller = await callerFor(userId, 'session');
      if (!caller) return null;
      const token = randomToken();
      await db.insert(sessions).values({
        idHash: sha256(token),
        userId,
        createdAt: now(),
        expiresAt: now() + SESSION_TTL_MS,
      });
      return { token, caller };
    },

    async sessionCaller(token: string): Promise<Caller | null> {
      const [rows] = await hot.read([
        {
          sql: `SELECT ${CALLER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ? AND u.deactivated_at IS NULL`,
          args: [sha256(token), now()],
        },
      ]);
      const r = rows![0];
      return r ? callerFromRow(r, 'session') : null;
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

    /**
     * The caller of an extension token. Read from the database on every request, so a token
     * revoked on any instance is refused at once; its use is recorded in memory (`flushTokenUse`).
     */
    async tokenCaller(token: string): Promise<Caller | null> {
      const [rows] = await hot.read([
        {
          sql: `SELECT ${TOKEN_CALLER_COLUMNS} FROM ${TOKEN_CALLER_FROM} WHERE ${TOKEN_VALID}`,
          args: [tokenHash(token)],
        },
      ]);
      const r = rows![0];
      if (!r) return null;
      const caller = tokenCallerFromRow(r);
      uses.touch(caller.tokenId!);
      return caller;
    },

    /** Records a use of a token checked elsewhere (a statement that joined `TOKEN_VALID`). */
    noteTokenUse: (tokenId: string) => uses.touch(tokenId),

    /**
     * Writes tokens' last use, each at most once a minute (`all`: every pending one, at shutdown).
     * The server calls it on a timer; returns how many tokens it wrote.
     */
    flushTokenUse: (opts: { all?: boolean } = {}) => uses.flush(opts),

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
      const list = await db.query.extensionTokens.findMany({
        where: and(eq(extensionTokens.userId, userId), isNull(extensionTokens.revokedAt)),
        columns: { id: true, deviceName: true, createdAt: true, lastUsedAt: true },
      });
      // This instance's uses not written yet.
      return list.map((t) => ({ ...t, lastUsedAt: uses.pending(t.id) ?? t.lastUsedAt }));
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
