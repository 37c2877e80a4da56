import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.js';
import { demoTickets } from '../db/schema.js';
import { errorLog } from '../log.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let app: ReturnType<typeof createApp>;
let dist: string;
beforeEach(async () => {
  env = await testEnv();
  dist = mkdtempSync(join(tmpdir(), 'deskwatch-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PWA</title>');
  app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1:8787',
    pwaDist: dist,
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  errorLog.flush(); // each test starts with no error kind seen
  await env.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('malformed requests get 4xx, never 500', () => {
  it.each(['/%', '/%E0%A4%A', '/assets/%zz.js', '/a%'])('answers 400 to GET %s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
  });

  it('still serves the app for ordinary and encoded paths', async () => {
    expect((await app.request('/')).status).toBe(200);
    expect((await app.request('/tickets/%41')).status).toBe(200);
  });

  it('answers 400 to a JSON post to the Demo Desk forms, and writes nothing', async () => {
    const [t] = await env.db
      .insert(demoTickets)
      .values({
        subject: 'Printer',
        status: 'Open',
        priority: 'High',
        requester: 'a@b.c',
        createdAt: env.clock(),
      })
      .returning();
    const before = await env.db.$count(demoTickets);
    for (const [path, body] of [
      ['/demo/tickets', { subject: 'Hello', requester: 'a@b.c', priority: 'Low', body: 'x' }],
      [`/demo/tickets/${t!.id}/reply`, { body: 'hi' }],
      [`/demo/tickets/${t!.id}/fields`, { status: 'Closed', priority: 'Low' }],
    ] as const) {
      const res = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/form/);
    }
    const after = await env.db.query.demoTickets.findFirst();
    expect(after).toMatchObject({ status: 'Open', priority: 'High' });
    expect(await env.db.$count(demoTickets)).toBe(before);
  });
});

const json = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' };
const signIn = (a: typeof app, email: string) =>
  a.request('/trpc/auth.signIn', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password: 'secret-password' }),
  });
type TrpcError = {
  error: { message: string; code: number; data: Record<string, unknown> & { errorId?: string } };
};

describe('error answers', () => {
  it('hides an internal error behind a message and an id, and logs the details under that id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A broken query, as a bug or a bad migration would leave it.
    await env.client.execute('ALTER TABLE users RENAME TO users_gone');
    const res = await signIn(app, 'victim@example.com');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/select|users|victim|Failed query|params|stack|at /i);
    const body = JSON.parse(text) as TrpcError;
    expect(body.error.message).toMatch(
      /^Something went wrong on the server \(error id [0-9a-f]{12}\)$/,
    );
    expect(body.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 });
    const id = body.error.data.errorId!;
    expect(body.error.message).toContain(id);
    // The log has the id, and the SQL with its parameters among the details.
    expect(log).toHaveBeenCalledTimes(1);
    const [head, detail] = log.mock.calls[0]!;
    expect(head).toContain(`error id ${id}`);
    expect((detail as Error).cause).toBeInstanceOf(Error);
    expect(((detail as Error).cause as Error).message).toMatch(
      /Failed query: select .* from "users"/,
    );
  });

  it('keeps 4xx messages readable and never sends a stack', async () => {
    const bad = await app.request('/trpc/auth.signIn', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'not-an-email', password: 'x' }),
    });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as TrpcError;
    expect(badBody.error.message).toMatch(/^email: /);
    expect(badBody.error.data).not.toHaveProperty('stack');
    const wrong = await signIn(app, env.a.users.agent.email);
    expect(wrong.status).toBe(401);
    const wrongBody = (await wrong.json()) as TrpcError;
    expect(wrongBody.error.message).toBe('Wrong email or password');
    expect(wrongBody.error.data).not.toHaveProperty('stack');
    expect(wrongBody.error.data).not.toHaveProperty('errorId');
    const anonymous = await app.request('/trpc/adapters.taught');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as TrpcError).error.data).not.toHaveProperty('stack');
  });

  it('adds the stack and causes with DEBUG_ERRORS', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const debug = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'http://127.0.0.1:8787',
      pwaDist: dist,
      debugErrors: true,
    });
    await env.client.execute('ALTER TABLE users RENAME TO users_gone');
    const body = (await (await signIn(debug, 'someone@example.com')).json()) as TrpcError;
    expect(body.error.data.errorId).toMatch(/^[0-9a-f]{12}$/);
    expect(body.error.data.stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(body.error.data.causes)).toMatch(/no such table: users/);
  });

  it('answers a failing page with an id, and health with 503, without SQL', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await env.client.execute('ALTER TABLE demo_tickets RENAME TO demo_gone');
    const page = await app.request('/demo');
    expect(page.status).toBe(500);
    const text = await page.text();
    expect(text).not.toMatch(/select|demo_tickets|stack/i);
    const body = JSON.parse(text) as { error: string; errorId: string };
    expect(body.error).toContain(body.errorId);
    expect(String(log.mock.calls[0]![0])).toContain(body.errorId);
    await env.client.execute('ALTER TABLE demo_gone RENAME TO demo_tickets');
    env.client.close(); // the database is gone for this instance
    const health = await app.request('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, errorId: expect.any(String) });
  });
});

describe('the Demo Desk history', () => {
  it('records each status and priority change with its time and shows them on the ticket page, oldest first', async () => {
    const created = env.clock();
    const [t] = await env.db
      .insert(demoTickets)
      .values({
        subject: 'Printer',
        status: 'New',
        priority: 'High',
        requester: 'a@b.c',
        createdAt: created,
        historyKnown: true,
      })
      .returning();
    const page = async () => (await app.request(`/demo/tickets/${t!.id}`)).text();
    // Nothing changed yet: the list is there, empty.
    expect(await page()).toMatch(/<ol class="history"[^>]*>\s*<\/ol>/);
    const update = (fields: Record<string, string>) =>
      app.request(`/demo/tickets/${t!.id}/fields`, {
        method: 'POST',
        body: new URLSearchParams(fields),
      });
    expect((await update({ status: 'Open', priority: 'High' })).status).toBe(303);
    expect((await update({ status: 'Pending', priority: 'Urgent' })).status).toBe(303);
    // The same values again change nothing.
    expect((await update({ status: 'Pending', priority: 'Urgent' })).status).toBe(303);
    const html = await page();
    const changes = [
      ...html.matchAll(
        /<li class="change"[^>]*>[\s\S]*?datetime="([^"]+)"[\s\S]*?class="field"\s*>(\w+)<\/span[\s\S]*?class="from"\s*>([\w-]+)<\/span[\s\S]*?class="to"\s*>([\w-]+)<\/span/g,
      ),
    ].map((m) => [m[2], m[3], m[4], Date.parse(m[1]!) === created]);
    expect(changes).toEqual([
      ['Status', 'New', 'Open', true],
      ['Status', 'Open', 'Pending', true],
      ['Priority', 'High', 'Urgent', true],
    ]);
    // A ticket from before the history was kept shows no list: its history is unknown, not empty.
    const [old] = await env.db
      .insert(demoTickets)
      .values({
        subject: 'Old',
        status: 'Solved',
        priority: 'Low',
        requester: 'a@b.c',
        createdAt: created,
      })
      .returning();
    const oldPage = await (await app.request(`/demo/tickets/${old!.id}`)).text();
    expect(oldPage).not.toContain('class="history"');
    expect(oldPage).toContain('Not kept for tickets from before the history was.');
  });
});
