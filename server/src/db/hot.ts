import { LibsqlError, type Client, type InValue } from '@libsql/client';
import Database from 'libsql';

/** One SQL statement with positional arguments. */
export interface Stmt {
  sql: string;
  args: InValue[];
}

/** Rows as arrays of column values, in the order the statement selects them. */
export type Rows = unknown[][];

/**
 * The database as the hot paths (observations, token checks, ticket reads) use it: reads and
 * writes in as few round trips as the database allows, with prepared statements kept.
 *
 * `@libsql/client` prepares every statement again on each call and builds a keyed object per
 * row; on a local file that was half of an observation's time. So for a file the hot paths use
 * their own connection (the `libsql` driver the client itself wraps) with a cache of prepared
 * statements. For a server (`sqld`, Turso), an embedded replica or `:memory:`, they go through
 * the client, each call one batch: one round trip.
 */
export interface HotDb {
  /** The reads in one consistent snapshot and one round trip. */
  read(stmts: Stmt[]): Promise<Rows[]>;
  /** The local file's connection, or null for a server, a replica or `:memory:`. */
  local: LocalDb | null;
  /**
   * The statements in one write transaction and one round trip, shared with the writes made
   * meanwhile (group commit); resolves after the commit, with the rows changed by each.
   */
  write(stmts: Stmt[]): Promise<number[]>;
  close(): void;
}

/** A local file's connection: synchronous statements, each prepared once. */
export interface LocalExec {
  all(sql: string, args?: InValue[]): Rows;
  run(sql: string, args?: InValue[]): number;
}

export interface LocalDb extends LocalExec {
  /**
   * Runs `work` in a write transaction shared with the other calls made in the same turn of the
   * event loop, and resolves with its result only after that transaction commits (with
   * `synchronous = FULL`, after the write-ahead log reached the disk). A `work` that throws is
   * rolled back alone (a savepoint each) and rejects; if the commit fails, every call rejects.
   */
  transaction<T>(work: (db: LocalExec) => T): Promise<T>;
  /** Commits made so far (one per group) and statements prepared so far, for tests. */
  readonly commits: number;
  readonly prepared: number;
  close(): void;
}

/** Calls of one group commit at most: bounds how long one turn of the event loop holds the lock. */
const MAX_GROUP = 64;
/** Prepared statements kept per connection; the hot paths use about twenty. */
const MAX_STATEMENTS = 200;

/**
 * The settings of the hot path's connection, each chosen (see README, "Performance"):
 * - `journal_mode = WAL` (persistent in the file): readers never wait for the writer.
 * - `synchronous = FULL`: each commit waits for the write-ahead log to reach the disk, so an
 *   acknowledged observation survives a power cut, not only a crash. Group commit pays that
 *   wait once for all the observations of a turn.
 * - `busy_timeout`: another instance's writer is waited for instead of failing at once.
 * - `cache_size = -16000` (16 MB of pages): the tickets, events and indexes of a busy
 *   workspace stay in memory; SQLite's default is 2 MB.
 */
export const LOCAL_PRAGMAS = (busyTimeoutMs: number) => [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = FULL',
  `PRAGMA busy_timeout = ${busyTimeoutMs}`,
  'PRAGMA cache_size = -16000',
  'PRAGMA foreign_keys = ON',
];

type Statement = Database.Statement<unknown[]>;

export function openLocalDb(path: string, busyTimeoutMs: number): LocalDb {
  const conn = new Database(path, { timeout: busyTimeoutMs });
  for (const p of LOCAL_PRAGMAS(busyTimeoutMs)) conn.exec(p);
  const cache = new Map<string, { stmt: Statement; rows: boolean }>();
  let preparedCount = 0;

  function prepared(sql: string) {
    let hit = cache.get(sql);
    if (hit) {
      // Most recently used last, so the first entry is the one to drop.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = conn.prepare(sql);
    preparedCount++;
    const rows = stmt.reader;
    if (rows) stmt.raw(true);
    hit = { stmt, rows };
    cache.set(sql, hit);
    if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    return hit;
  }

  const exec: LocalExec = {
    all(sql, args = []) {
      const p = prepared(sql);
      return p.rows ? (p.stmt.all(args) as Rows) : (p.stmt.run(args), []);
    },
    run(sql, args = []) {
      const p = prepared(sql);
      if (p.rows) {
        p.stmt.all(args);
        return 0;
      }
      return p.stmt.run(args).changes;
    },
  };

  interface Job {
    work: (db: LocalExec) => unknown;
    ok: (v: unknown) => void;
    fail: (e: unknown) => void;
  }
  let queue: Job[] = [];
  let scheduled = false;
  let commits = 0;

  let lockWaitedMs = 0;

  /**
   * Takes the write lock without waiting for it on the event loop: a writer holding it across
   * awaits (another instance, or a drizzle transaction in this process) needs the loop to finish.
   * Busy, it tries again on a timer, for up to the busy timeout in all.
   */
  function lock(): boolean {
    exec.all('PRAGMA busy_timeout = 0');
    try {
      exec.run('BEGIN IMMEDIATE');
      lockWaitedMs = 0;
      return true;
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') !== true) throw error;
      if (lockWaitedMs >= busyTimeoutMs) {
        lockWaitedMs = 0;
        throw error;
      }
      const ms = Math.min(20, 1 + lockWaitedMs / 10);
      lockWaitedMs += ms;
      scheduled = true;
      setTimeout(flush, ms);
      return false;
    } finally {
      exec.all(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    }
  }

  function flush() {
    scheduled = false;
    try {
      if (!lock()) return;
    } catch (error) {
      for (const job of queue.splice(0, MAX_GROUP)) job.fail(error);
      if (queue.length > 0) schedule();
      return;
    }
    const jobs = queue.slice(0, MAX_GROUP);
    queue = queue.slice(jobs.length);
    if (queue.length > 0) schedule();
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      for (const job of jobs) {
        exec.run('SAVEPOINT observation');
        try {
          results.push({ ok: true, value: job.work(exec) });
          exec.run('RELEASE observation');
        } catch (error) {
          exec.run('ROLLBACK TO observation');
          exec.run('RELEASE observation');
          results.push({ ok: false, error });
        }
      }
      exec.run('COMMIT');
      commits++;
    } catch (error) {
      if (conn.open && conn.inTransaction) exec.run('ROLLBACK');
      for (const job of jobs) job.fail(error);
      return;
    }
    // Only now is every observation of the group durable: acknowledge them.
    jobs.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.ok(r.value);
      else job.fail(r.error);
    });
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  const local: LocalDb = {
    ...exec,
    transaction<T>(work: (db: LocalExec) => T): Promise<T> {
      return new Promise<T>((ok, fail) => {
        queue.push({ work, ok: ok as (v: unknown) => void, fail });
        schedule();
      });
    },
    get commits() {
      return commits;
    },
    get prepared() {
      return preparedCount;
    },
    close() {
      if (conn.open) conn.close();
    },
  };
  return local;
}

/** The hot paths' database: a local connection for a file, the client's batches otherwise. */
export function createHotDb(
  client: Client,
  localFile: { path: string; busyTimeoutMs: number } | null,
  opts: { busyTimeoutMs?: number; wait?: (ms: number) => Promise<void> } = {},
): HotDb {
  const local = localFile ? openLocalDb(localFile.path, localFile.busyTimeoutMs) : null;

  /** One batch: one round trip and one transaction; the rows changed by each statement. */
  async function send(stmts: Stmt[]): Promise<number[]> {
    // A server answers SQLITE_BUSY when another client's write held its lock too long; the
    // batch applied nothing, so it is sent again, for up to the busy timeout a file waits.
    const limit = opts.busyTimeoutMs ?? 5000;
    const wait = opts.wait ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let waited = 0; ;) {
      try {
        const rs = await client.batch(stmts, 'write');
        return rs.map((r) => r.rowsAffected);
      } catch (e) {
        if (!(e instanceof LibsqlError && /^SQLITE_BUSY/.test(e.code)) || waited >= limit)
          driverError(e);
        const ms = Math.min(100, 2 ** Math.min(6, waited / 10)) * (0.5 + Math.random());
        await wait(ms);
        waited += ms;
      }
    }
  }

  // Group commit against a server: while one write batch is on its way, the writes that arrive
  // wait and then go together as one batch (one round trip, one commit on the server, which
  // commits each batch on its own). Every observation's writes are guarded by the snapshot they
  // were planned from, so writes sent together apply exactly as if sent one after the other.
  const queue: { stmts: Stmt[]; ok: (v: number[]) => void; fail: (e: unknown) => void }[] = [];
  let sending = false;
  function pump() {
    if (sending || queue.length === 0) return;
    sending = true;
    const group = queue.splice(0, MAX_GROUP);
    void sendGroup(group).finally(() => {
      sending = false;
      pump();
    });
  }
  async function sendGroup(group: typeof queue) {
    const alone = async (g: (typeof queue)[number]) => {
      try {
        g.ok(await send(g.stmts));
      } catch (e) {
        g.fail(e);
      }
    };
    if (group.length === 1) return alone(group[0]!);
    let changed: number[];
    try {
      changed = await send(group.flatMap((g) => g.stmts));
    } catch (e) {
      // A statement the database refused rolled the whole batch back: each is sent again
      // alone, so only its own caller hears of it. Any other failure (the server unreachable)
      // is every caller's, and nothing is sent again.
      if (e instanceof LibsqlError && /^SQLITE_/.test(e.code) && !/^SQLITE_BUSY/.test(e.code))
        return void (await Promise.all(group.map(alone)));
      for (const g of group) g.fail(e);
      return;
    }
    let i = 0;
    for (const g of group) {
      g.ok(changed.slice(i, i + g.stmts.length));
      i += g.stmts.length;
    }
  }

  return {
    local,
    async read(stmts) {
      if (local) return stmts.map((s) => local.all(s.sql, s.args));
      const rs = await client.batch(stmts, 'read').catch(driverError);
      return rs.map((r) => r.rows.map((row) => Array.from(row as ArrayLike<unknown>)));
    },
    write(stmts) {
      if (local) return local.transaction((db) => stmts.map((s) => db.run(s.sql, s.args)));
      return new Promise<number[]>((ok, fail) => {
        queue.push({ stmts, ok, fail });
        pump();
      });
    },
    close() {
      local?.close();
    },
  };
}

/**
 * A failure to reach a server surfaces from the client as a bare `TypeError: fetch failed`; say
 * it is the driver's, so it is answered as the database being unavailable (503), as it is when
 * it comes through drizzle.
 */
function driverError(e: unknown): never {
  if (e instanceof LibsqlError) throw e;
  const message = e instanceof Error ? e.message : String(e);
  throw new LibsqlError(
    message,
    'CLIENT_ERROR',
    undefined,
    undefined,
    e instanceof Error ? e : undefined,
  );
}
