import { and, inArray, gt, lt, sql } from 'drizzle-orm';
import { sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import { authThrottle } from '../db/schema.js';

/**
 * How a key is slowed down after failures.
 * - `backoff`: the first `free` failures cost nothing; each one after waits twice as long as the
 *   one before, from `baseMs` up to `maxMs`. The count is forgotten after `forgetMs` without a failure.
 * - `window`: at most `limit` failures per fixed window of `windowMs` from the first failure; the
 *   key then waits for the window's end.
 */
export interface BackoffRule {
  kind: 'backoff';
  free: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}
export interface WindowRule {
  kind: 'window';
  limit: number;
  windowMs: number;
}
export type ThrottleRule = BackoffRule | WindowRule;

/** Per account and address (OWASP ASVS 2.2.1): the owner at another address is never slowed down. */
export const SIGN_IN_BACKOFF: BackoffRule = {
  kind: 'backoff',
  free: 3,
  baseMs: 15_000,
  maxMs: 3600_000,
  forgetMs: 24 * 3600_000,
};
/** Per address across all accounts: password spraying. A team behind one NAT still has room. */
export const SIGN_IN_PER_ADDRESS: WindowRule = { kind: 'window', limit: 30, windowMs: 3600_000 };
/** Pairing codes per address (a code has 32^8 values and lives ten minutes). */
export const PAIRING_PER_ADDRESS: WindowRule = {
  kind: 'window',
  limit: 20,
  windowMs: 15 * 60_000,
};

/** Rows with no failure for this long can limit nothing any more (longer than every rule's memory). */
const KEEP_MS = 2 * 24 * 3600_000;

/** The wait after the `failures`-th failure under a backoff rule. */
export function backoffMs(rule: BackoffRule, failures: number): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.baseMs * 2 ** Math.min(failures - rule.free - 1, 30), rule.maxMs);
}

/**
 * Counts failures per key in the database, so that every instance on one database, and an
 * instance after a restart, sees the same counts. Keys are hashed: the table holds no email
 * addresses or client addresses.
 */
export function createLimiter(db: Db, now: () => number) {
  const hashed = (key: string) => sha256(key);

  return {
    /** Milliseconds until none of `keys` is blocked, or 0 when all may try now. */
    async blockedFor(keys: string[]): Promise<number> {
      const t = now();
      const rows = await db
        .select({ until: sql<number | null>`max(${authThrottle.blockedUntil})` })
        .from(authThrottle)
        .where(and(inArray(authThrottle.key, keys.map(hashed)), gt(authThrottle.blockedUntil, t)));
      const until = rows[0]?.until ?? null;
      return until === null ? 0 : until - t;
    },

    /** Records one failure of `key` under `rule`; returns the wait it now has (0 for none). */
    async fail(key: string, rule: ThrottleRule): Promise<number> {
      const t = now();
      // A stale count starts over; the condition reads the row as it was (SQLite evaluates SET on the old row).
      const stale =
        rule.kind === 'backoff'
          ? sql`${authThrottle.lastAt} < ${t - rule.forgetMs}`
          : sql`${authThrottle.firstAt} <= ${t - rule.windowMs}`;
      const [row] = await db
        .insert(authThrottle)
        .values({ key: hashed(key), failures: 1, firstAt: t, lastAt: t })
        .onConflictDoUpdate({
          target: authThrottle.key,
          set: {
            failures: sql`CASE WHEN ${stale} THEN 1 ELSE ${authThrottle.failures} + 1 END`,
            firstAt: sql`CASE WHEN ${stale} THEN ${t} ELSE ${authThrottle.firstAt} END`,
            blockedUntil: sql`CASE WHEN ${stale} THEN NULL ELSE ${authThrottle.blockedUntil} END`,
            lastAt: t,
          },
        })
        .returning({ failures: authThrottle.failures, firstAt: authThrottle.firstAt });
      const { failures, firstAt } = row!;
      const until =
        rule.kind === 'backoff'
          ? failures > rule.free
            ? t + backoffMs(rule, failures)
            : null
          : failures >= rule.limit
            ? firstAt + rule.windowMs
            : null;
      if (until === null) return 0;
      // Two instances failing at once both count; the longer wait wins.
      await db
        .update(authThrottle)
        .set({ blockedUntil: sql`max(coalesce(${authThrottle.blockedUntil}, 0), ${until})` })
        .where(sql`${authThrottle.key} = ${hashed(key)}`);
      return until - t;
    },

    async clear(key: string) {
      await db.delete(authThrottle).where(sql`${authThrottle.key} = ${hashed(key)}`);
    },

    /** Deletes counts that can no longer limit anything. */
    async housekeeping() {
      await db.delete(authThrottle).where(lt(authThrottle.lastAt, now() - KEEP_MS));
    },
  };
}
export type Limiter = ReturnType<typeof createLimiter>;
