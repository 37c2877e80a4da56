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
  it('sets the busy timeout on every connection, not only the first', async () => {
    const c = await client();
    // A transaction holds one connection, so the next statement runs on another.
    const tx = await c.transaction('read');
    try {
      const first = await tx.execute('PRAGMA busy_timeout');
      const second = await c.execute('PRAGMA busy_timeout');
      expect(Object.values(first.rows[0]!)[0]).toBe(5000);
      expect(Object.values(second.rows[0]!)[0]).toBe(5000);
    } finally {
      tx.close();
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
