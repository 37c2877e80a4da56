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
