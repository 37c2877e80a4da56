import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { SESSION_COOKIE } from '../routers/auth.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let dir: string;
beforeEach(async () => {
  env = await testEnv();
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-upload-'));
});
afterEach(() => {
  env.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a 20,000-article upload leaves the server answering health, suggestions and its progress while it runs', async () => {
  const app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1',
    pwaDist: dir,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = new Promise((resolve) => server.on('close', resolve));
  const cookie = async (email: string) => {
    const s = await env.services.accounts.signIn(email, `pw-${email.split('@')[0]}`);
    return `${SESSION_COOKIE}=${s!.token}`;
  };
  const admin = await cookie(env.a.users.admin.email);
  const agent = await cookie(env.a.users.agent.email);
  const get = async (path: string, who: string, input?: unknown) => {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetch(`${base}${path}${q}`, { headers: { cookie: who } });
    return res.json() as Promise<{ result?: { data: unknown } } & Record<string, unknown>>;
  };

  const lines = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({ id: `a${i}`, title: `Printer ${i} on floor ${i % 40}`, body: `Toner ${i}.` }),
  );
  const events: string[] = [];
  const upload = fetch(`${base}/trpc/kb.import`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({
      source: 'big',
      importId: 'upload-20000',
      files: [{ name: 'all.jsonl', base64: Buffer.from(lines.join('\n')).toString('base64') }],
    }),
  }).then(async (res) => {
    events.push('upload finished');
    return res.json() as Promise<{ result: { data: { created: number } } }>;
  });

  // Progress, asked until the server has written some batches (each call is answered, or the
  // loop waits for the whole upload: what this test is about).
  type Progress = { done: number; finished: boolean } | null;
  const progressNow = async () =>
    (await get('/trpc/kb.importProgress', admin, { importId: 'upload-20000' })).result!
      .data as Progress;
  let progress = await progressNow();
  while (!progress || progress.done === 0) progress = await progressNow();
  events.push(`progress ${progress.finished ? 'finished' : 'running'}`);
  const health = (await fetch(`${base}/health`)).json().then((h: { ok: boolean }) => {
    events.push(`health ${h.ok}`);
  });
  const suggest = get('/trpc/kb.suggest', agent, { subject: 'Printer toner', message: '' }).then(
    (r) => events.push(`suggest ${Array.isArray(r.result?.data)}`),
  );
  await Promise.all([health, suggest]);
  const summary = await upload;
  server.close();
  await closed;

  expect(summary.result.data.created).toBe(20_000);
  expect(progress.done).toBeGreaterThan(0);
  expect(progress.done).toBeLessThan(20_000);
  expect(events.slice(0, 3)).toEqual(['progress running', expect.any(String), expect.any(String)]);
  expect(events.slice(1, 3).sort()).toEqual(['health true', 'suggest true']);
  expect(events[3]).toBe('upload finished');
}, 300_000);
