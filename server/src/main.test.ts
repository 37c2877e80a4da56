import { createClient } from '@libsql/client';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs the real entry point, as `npm start` does, and waits for it to end (or kills it). */
function runMain(env: Record<string, string>, upperBoundMs = 90_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // Only an upper bound: a hang is what this guards against.
    const timer = setTimeout(() => child.kill('SIGKILL'), upperBoundMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

let dir: string;
let busyPort: Server;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-main-'));
  mkdirSync(join(dir, 'a-folder.db'));
  writeFileSync(join(dir, 'not-a-db.sqlite'), 'plain text, not SQLite\n'.repeat(50));
  // Another application's SQLite database, with a table of the same name as ours.
  const other = createClient({ url: `file:${join(dir, 'other-app.db')}` });
  await other.execute('CREATE TABLE users (login TEXT)');
  other.close();
  busyPort = await new Promise<Server>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => ok(s));
  });
});
afterAll(() => {
  busyPort.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up with a bad setting', () => {
  const cases: [string, () => Record<string, string>, RegExp][] = [
    [
      'a folder in /proc that cannot be created',
      () => ({ DATABASE_URL: 'file:/proc/x/db.sqlite' }),
      /cannot create the folder \/proc\/x/,
    ],
    [
      'a folder, not a file',
      () => ({ DATABASE_URL: `file:${join(dir, 'a-folder.db')}` }),
      /is a folder, not a database file/,
    ],
    [
      'a path whose folder is not writable',
      () => ({ DATABASE_URL: 'file:/proc/self/deskwatch.db' }),
      /cannot create \/proc\/self\/deskwatch\.db/,
    ],
    [
      'a file that is not a database',
      () => ({ DATABASE_URL: `file:${join(dir, 'not-a-db.sqlite')}` }),
      /is not a SQLite database/,
    ],
    [
      'a path under a file',
      () => ({ DATABASE_URL: `file:${join(dir, 'not-a-db.sqlite', 'x.db')}` }),
      /is a file, not a folder/,
    ],
    [
      "another application's database",
      () => ({ DATABASE_URL: `file:${join(dir, 'other-app.db')}` }),
      /Cannot apply Deskwatch's migrations .*: .*users.* already exists/,
    ],
    ['a malformed URL', () => ({ DATABASE_URL: 'not a url' }), /is not in a valid format/],
    ['a URL with no host', () => ({ DATABASE_URL: 'http://' }), /not a valid URL/],
    ['a bad port setting', () => ({ PORT: 'eighty' }), /Bad configuration: PORT/],
    [
      'a port in use',
      () => ({
        DATABASE_URL: `file:${join(dir, 'ok.db')}`,
        PORT: String((busyPort.address() as { port: number }).port),
      }),
      /Cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/,
    ],
  ];

  it.concurrent.each(cases)(
    'ends with one clear line and a non-zero exit: %s',
    async (_, env, message) => {
      const r = await runMain(env());
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/Deskwatch is running/);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^deskwatch: /);
      expect(lines[0]).toMatch(message);
    },
    120_000,
  );
});
