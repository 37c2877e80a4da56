import { and, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
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

/** Workspaces created by sign-up per address, successes included: sign-up is not a bulk API. */
export const SIGN_UP_PER_ADDRESS: WindowRule = { kind: 'window', limit: 10, windowMs: 3600_000 };
/** Failed invitation joins per address (a token has 256 bits; this bounds the noise, not a guess). */
export const JOIN_PER_ADDRESS: WindowRule = { kind: 'window', limit: 20, windowMs: 15 * 60_000 };
/**
 * Single sign-on starts per address: each start asks the identity provider's discovery and
 * stores a pending flow, so an anonymous flood would cost both; a person needs a few.
 */
export const SSO_START_PER_ADDRESS: WindowRule = {
  kind: 'window',
  limit: 30,
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
 * Counts attempts per key in the database, so that every instance on one database, and an
 * instance after a restart, sees the same counts. An attempt is counted as a failure *before*
 * it is tried (`reserve`), in one atomic statement that also refuses it while the key waits:
 * a burst of parallel guesses cannot all pass a check made before the first one failed. A
 * success then takes its count back (`clear`, `release`). Keys are hashed: the table holds no
 * email addresses or client addresses.
 */
export function createLimiter(db: Db, now: () => number) {
  const hashed = (key: string) => sha256(key);

  /** SQL for "this row's count is too old to matter", read on the row as it was. */
  const staleSql = (rule: ThrottleRule, t: number) =>
    rule.kind === 'backoff'
      ? sql`${authThrottle.lastAt} < ${t - rule.forgetMs}`
      : sql`${authThrottle.firstAt} <= ${t - rule.windowMs}`;

  /** The wait a key gets once its count is `n` (SQL or a number), as SQL. */
  const waitUntilSql = (rule: ThrottleRule, t: number, n: SQL, firstAt: SQL) =>
    rule.kind === 'backoff'
      ? sql`CASE WHEN ${n} > ${rule.free} THEN ${t} + min(${rule.baseMs} << min(${n} - ${rule.free} - 1, 30), ${rule.maxMs}) ELSE NULL END`
      : sql`CASE WHEN ${n} >= ${rule.limit} THEN ${firstAt} + ${rule.windowMs} ELSE NULL END`;

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

    /**
     * Counts an attempt of `key` under `rule` as a failure, unless the key must wait now; true
     * when the attempt may go ahead. Its wait starts with the attempt that reaches the limit.
     */
    async reserve(key: string, rule: ThrottleRule): Promise<boolean> {
      const t = now();
      const stale = staleSql(rule, t);
      const n = sql`(CASE WHEN ${stale} THEN 1 ELSE ${authThrottle.failures} + 1 END)`;
      const firstAt = sql`(CASE WHEN ${stale} THEN ${t} ELSE ${authThrottle.firstAt} END)`;
      // A first attempt waits as the same rule says for a count of one.
      const first = waitUntilSql(rule, t, sql`1`, sql`${t}`);
      const rows = await db.all(sql`
        INSERT INTO ${authThrottle} (key, failures, first_at, last_at, blocked_until)
        VALUES (${hashed(key)}, 1, ${t}, ${t}, ${first})
        ON CONFLICT (key) DO UPDATE SET
          failures = ${n}, first_at = ${firstAt}, last_at = ${t},
          blocked_until = ${waitUntilSql(rule, t, n, firstAt)}
        WHERE ${stale} OR blocked_until IS NULL OR blocked_until <= ${t}
        RETURNING failures`);
      return rows.length > 0;
    },

    /** Takes back one reserved attempt of a `window` key that turned out a success. */
    async release(key: string, rule: WindowRule) {
      await db.run(sql`
        UPDATE ${authThrottle} SET failures = max(failures - 1, 0),
          blocked_until = CASE WHEN failures - 1 >= ${rule.limit} THEN blocked_until ELSE NULL END
        WHERE key = ${hashed(key)}`);
    },

    /** Forgets every count of `key` (a right password for an account at an address). */
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
