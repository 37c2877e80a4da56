import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { demoTickets } from '../db/schema.js';
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
