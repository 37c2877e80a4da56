import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from './client.js';

// The SQLite binding @libsql/client itself uses, for a second instance in a worker thread.
const libsqlPath = createRequire(import.meta.resolve('@libsql/client')).resolve('libsql');

let dir: string;
let url: string;
const open: { close(): void }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-client-'));
  url = `file:${join(dir, 'db.sqlite')}`;
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

async function client() {
  const { client } = await openDb({ url });
  open.push(client);
  return client;
}

/**
 * Another instance in another thread: it takes the write lock, says so, and commits a moment
 * after this thread has said it is about to write. This thread blocks inside SQLite while it
 * waits, so the holder must live elsewhere.
 */
function lockHolder(flag: Int32Array) {
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.libsql);
    const db = new Database(workerData.path);
    db.exec('BEGIN IMMEDIATE');
    db.exec("INSERT INTO kv VALUES ('holder', 1)");
    parentPort.postMessage('locked');
    Atomics.wait(workerData.flag, 0, 0); // until the other thread is about to write
    setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('committed'); }, 200);
    `,
    {
      eval: true,
      workerData: {
        flag,
        path: url.slice('file:'.length),
        libsql: libsqlPath,
      },
    },
  );
  const locked = new Promise<void>((ok, fail) => {
    worker.once('message', () => ok());
    worker.once('error', fail);
  });
  return { worker, locked };
}

describe('database connections', () => {
  it('gives every pooled connection the settings the README names, not only the first', async () => {
    const c = await client();
    // Each open transaction holds a connection, so each next statement runs on a new one.
    const held = [];
    try {
      for (let i = 0; i < 3; i++) held.push(await c.transaction('read'));
      const settings = async (x: { execute(sql: string): Promise<{ rows: unknown[] }> }) => {
        const out: Record<string, unknown> = {};
        for (const p of [
          'journal_mode',
          'synchronous',
          'busy_timeout',
          'foreign_keys',
          'cache_size',
        ])
          out[p] = Object.values((await x.execute(`PRAGMA ${p}`)).rows[0] as object)[0];
        return out;
      };
      const all = [...(await Promise.all(held.map(settings))), await settings(c)];
      // WAL is the file's; synchronous FULL and foreign keys are the driver's defaults, busy
      // timeout the client's `timeout`; the pool keeps SQLite's 2 MB cache (the hot path's own
      // connection has 16 MB: see hot.test.ts).
      const expected = {
        journal_mode: 'wal',
        synchronous: 2,
        busy_timeout: 5000,
        foreign_keys: 1,
        cache_size: -2000,
      };
      expect(all).toEqual(all.map(() => expected));
    } finally {
      for (const tx of held) tx.close();
    }
  });

  it("waits for another instance's write transaction instead of failing with SQLITE_BUSY", async () => {
    const c = await client();
    await c.execute('CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)');
    // Hold this client's first connection, as a long read (an SSE watcher) would, so the batch
    // below opens a new one: the one that had no busy timeout.
    const reader = await c.transaction('read');
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const holder = lockHolder(flag);
    try {
      await holder.locked;
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await c.batch([{ sql: "INSERT INTO kv VALUES ('waiter', 2)", args: [] }], 'write');
      reader.close();
      const rows = await c.execute('SELECT k FROM kv ORDER BY k');
      expect(rows.rows.map((r) => r[0])).toEqual(['holder', 'waiter']);
    } finally {
      reader.close();
      await holder.worker.terminate();
    }
  });
});
