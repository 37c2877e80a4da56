import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibsqlError, type Client } from '@libsql/client';
import { createHotDb, openLocalDb, type LocalDb } from './hot.js';

let dir: string;
let db: LocalDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-hot-'));
  db = openLocalDb(join(dir, 'hot.db'), 5000);
  db.run('CREATE TABLE parent (id TEXT PRIMARY KEY)');
  db.run('CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (table: 'parent' | 'child') =>
  db.all(`SELECT id FROM ${table} ORDER BY id`).map((r) => r[0]);

describe('the hot paths’ local connection', () => {
  it('prepares each statement once and reuses it', () => {
    const before = db.prepared;
    for (let i = 0; i < 50; i++) db.run('INSERT INTO parent (id) VALUES (?)', [`p${i}`]);
    for (let i = 0; i < 50; i++) db.all('SELECT id FROM parent WHERE id = ?', [`p${i}`]);
    expect(db.prepared - before).toBe(2);
  });

  it('sets every setting the README names on its connection', () => {
    expect(db.all('PRAGMA journal_mode')[0]![0]).toBe('wal');
    expect(db.all('PRAGMA synchronous')[0]![0]).toBe(2); // FULL
    expect(db.all('PRAGMA busy_timeout')[0]![0]).toBe(5000);
    expect(db.all('PRAGMA cache_size')[0]![0]).toBe(-16000);
    expect(db.all('PRAGMA foreign_keys')[0]![0]).toBe(1);
  });
});

describe('group commit', () => {
  it('commits the calls made in one turn of the event loop together, once', async () => {
    const before = db.commits;
    const done = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        db.transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', [id])),
      ),
    );
    expect(done).toEqual([1, 1, 1]);
    expect(db.commits - before).toBe(1);
    expect(ids('parent')).toEqual(['a', 'b', 'c']);
  });

  it('acknowledges nothing before the commit', async () => {
    let acknowledged = false;
    const call = db
      .transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['a']))
      .then(() => (acknowledged = true));
    // The work has not even run yet: it waits for the group.
    expect(acknowledged).toBe(false);
    expect(ids('parent')).toEqual([]);
    await call;
    expect(acknowledged).toBe(true);
  });

  it('rolls back a call that fails alone; the others of its group commit', async () => {
    const results = await Promise.allSettled([
      db.transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['a'])),
      db.transaction((tx) => {
        tx.run('INSERT INTO parent (id) VALUES (?)', ['half-done']);
        throw new Error('refused');
      }),
      db.transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['c'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(ids('parent')).toEqual(['a', 'c']);
  });

  it('acknowledges none of a group whose commit fails, and stores none of it', async () => {
    const results = await Promise.allSettled([
      db.transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['a'])),
      db.transaction((tx) => {
        // A foreign key checked only at COMMIT: the commit itself fails.
        tx.run('PRAGMA defer_foreign_keys = ON');
        return tx.run('INSERT INTO child (id, parent_id) VALUES (?, ?)', ['x', 'missing']);
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(ids('parent')).toEqual([]);
    expect(ids('child')).toEqual([]);
    // The connection is usable afterwards.
    await db.transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['b']));
    expect(ids('parent')).toEqual(['b']);
  });
});

describe('against a server', () => {
  it('sends a write batch the server refused as busy again, and gives up after the busy timeout', async () => {
    const busy = () => new LibsqlError('database is locked', 'SQLITE_BUSY');
    let calls = 0;
    let failUntil = 3;
    const client = {
      batch: async () => {
        calls++;
        if (calls < failUntil) throw busy();
        return [{ rowsAffected: 1 }];
      },
    } as unknown as Client;
    let waited = 0;
    const hot = createHotDb(client, null, {
      busyTimeoutMs: 1000,
      wait: async (ms) => void (waited += ms),
    });
    expect(await hot.write([{ sql: 'UPDATE x SET y = 1', args: [] }])).toEqual([1]);
    expect(calls).toBe(3);

    calls = 0;
    failUntil = Infinity;
    waited = 0;
    await expect(hot.write([{ sql: 'UPDATE x SET y = 1', args: [] }])).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
    expect(waited).toBeGreaterThanOrEqual(1000);
  });

  /** A server whose batches wait until the test lets them through; each statement changes `n` rows, from `n = …`. */
  function slowServer(refuse?: string) {
    const batches: string[][] = [];
    const release: (() => void)[] = [];
    const client = {
      batch: async (stmts: { sql: string }[]) => {
        batches.push(stmts.map((s) => s.sql));
        await new Promise<void>((r) => release.push(r));
        if (refuse && stmts.some((s) => s.sql === refuse))
          throw new LibsqlError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT');
        return stmts.map((s) => ({ rowsAffected: Number(/n = (\d+)/.exec(s.sql)?.[1] ?? 0) }));
      },
    } as unknown as Client;
    const tick = () => new Promise((r) => setImmediate(r));
    return { batches, release, hot: createHotDb(client, null), tick };
  }
  const stmt = (sql: string) => ({ sql, args: [] });

  it('sends the writes that arrive while a batch is on its way together, as one batch, and answers each its own', async () => {
    const { batches, release, hot, tick } = slowServer();
    const first = hot.write([stmt('n = 1')]);
    await tick();
    const later = [
      hot.write([stmt('n = 2'), stmt('n = 3')]),
      hot.write([stmt('n = 4')]),
      hot.write([stmt('n = 5'), stmt('n = 6')]),
    ];
    await tick();
    expect(batches).toEqual([['n = 1']]); // the others wait for the first to come back
    release.shift()!();
    expect(await first).toEqual([1]);
    await tick();
    expect(batches).toEqual([['n = 1'], ['n = 2', 'n = 3', 'n = 4', 'n = 5', 'n = 6']]);
    release.shift()!();
    expect(await Promise.all(later)).toEqual([[2, 3], [4], [5, 6]]);
  });

  it('sends each write of a refused batch again alone, so only the refused one fails', async () => {
    const { batches, release, hot, tick } = slowServer('n = 9');
    const first = hot.write([stmt('n = 1')]);
    await tick();
    const later = [
      hot.write([stmt('n = 2')]),
      hot.write([stmt('n = 9')]),
      hot.write([stmt('n = 3')]),
    ];
    release.shift()!();
    await first;
    for (let i = 0; i < 4; i++) {
      while (release.length === 0) await tick();
      release.shift()!();
    }
    const settled = await Promise.allSettled(later);
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : 'refused'))).toEqual([
      [2],
      'refused',
      [3],
    ]);
    expect(batches.slice(1)).toEqual([
      ['n = 2', 'n = 9', 'n = 3'],
      ['n = 2'],
      ['n = 9'],
      ['n = 3'],
    ]);
  });
});

describe('group commit while another connection writes', () => {
  it('waits for the write lock on a timer, not on the event loop, and commits once it is free', async () => {
    const other = openLocalDb(join(dir, 'hot.db'), 5000);
    try {
      other.run('BEGIN IMMEDIATE');
      other.run('INSERT INTO parent (id) VALUES (?)', ['theirs']);
      let done = false;
      const call = db
        .transaction((tx) => tx.run('INSERT INTO parent (id) VALUES (?)', ['ours']))
        .then(() => (done = true));
      // The event loop keeps turning while the other writer holds the lock.
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
      expect(done).toBe(false);
      other.run('COMMIT');
      await call;
      expect(ids('parent')).toEqual(['ours', 'theirs']);
    } finally {
      other.close();
    }
  });
});
