import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import webpush from 'web-push';
import { createApp } from '../app.js';
import { openDb } from '../db/client.js';
import { errorLog } from '../log.js';
import { createServices } from '../services/index.js';
import { freePort, sqldBinary } from '../testing.js';

const binary = sqldBinary();
if (!binary) console.warn('[skip] database outage test: no sqld binary for this platform');

/** Polls until `check` holds; the bound is generous because the machine is loaded. */
async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!binary)('a database outage (sqld stopped and restarted)', () => {
  let dir: string;
  let port: number;
  let sqld: ChildProcess;
  const startSqld = async () => {
    sqld = spawn(
      binary!,
      ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld')],
      { stdio: 'ignore' },
    );
    await until('sqld', () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    );
  };
  const stopSqld = async () => {
    const exited = new Promise((r) => sqld.once('exit', r));
    sqld.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskwatch-outage-'));
    port = await freePort();
    await startSqld();
  });
  afterAll(() => {
    sqld?.kill();
    errorLog.flush();
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with an id and no SQL, logs one line, and serves again as soon as it is back', async () => {
    const { db, client } = await openDb({ url: `http://127.0.0.1:${port}` });
    const services = createServices({
      db,
      client,
      vapid: webpush.generateVAPIDKeys(),
      publicUrl: () => 'http://x',
    });
    const app = createApp({ db, services, publicUrl: 'http://x', pwaDist: '/nonexistent' });
    const calls = {
      health: () => app.request('/health'),
      // An extension's token is looked up before the procedure runs: context creation fails.
      token: () =>
        app.request('/trpc/adapters.taught', { headers: { authorization: 'Bearer abcdefgh' } }),
      signIn: () =>
        app.request('/trpc/auth.signIn', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'someone@example.com', password: 'secret-password' }),
        }),
      demo: () => app.request('/demo'),
    };
    expect((await calls.health()).status).toBe(200);

    await stopSqld();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (let round = 0; round < 10; round++) {
      for (const [name, call] of Object.entries(calls)) {
        const res = await call();
        expect(res.status, name).toBe(503);
        const text = await res.text();
        expect(text, name).not.toMatch(/select|insert|Failed query|params|ECONNREFUSED|stack/i);
        expect(text, name).toMatch(
          /The database is not answering; try again in a moment \(error id [0-9a-f]{12}\)/,
        );
      }
    }
    // 40 failed requests over four routes: one line, until the window ends.
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/^\[database\] unavailable: ECONNREFUSED/);

    await startSqld();
    // No reconnect step: the first request after sqld is back is served.
    expect((await calls.health()).status).toBe(200);
    expect((await calls.signIn()).status).toBe(401);
    client.close();
  }, 120_000);
});
