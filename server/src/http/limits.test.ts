import { serve } from '@hono/node-server';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BODY_LIMITS, createApp } from '../app.js';
import { demoTickets } from '../db/schema.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const json = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' };
const small = { default: 4096, kbUpload: 64 * 1024 };
const appWith = (bodyLimits = small) =>
  createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1:8787',
    pwaDist: '/nonexistent',
    bodyLimits,
  });
/** A sign-in whose password field makes the body `bytes` long. */
const signInBody = (bytes: number) => {
  const head = JSON.stringify({ email: 'someone@example.com', password: '' });
  return head.replace('""', JSON.stringify('x'.repeat(bytes - head.length)));
};
/** A body that arrives in chunks, with no Content-Length. */
const streamed = (bytes: number, chunk = 1024) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let sent = 0; sent < bytes; sent += chunk)
        c.enqueue(new TextEncoder().encode('x'.repeat(Math.min(chunk, bytes - sent))));
      c.close();
    },
  });

describe('request body limits', () => {
  it('answers 413 to a sign-in over the limit, shaped as a tRPC error, and takes one under it', async () => {
    const app = appWith();
    const over = await app.request('/trpc/auth.signIn', {
      method: 'POST',
      headers: json,
      body: signInBody(small.default + 1),
    });
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(await over.json()).toMatchObject({
      error: {
        message: 'The request body is larger than 4 KB',
        data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
      },
    });
    const under = await app.request('/trpc/auth.signIn', {
      method: 'POST',
      headers: json,
      body: signInBody(small.default - 100),
    });
    expect(under.status).not.toBe(413);
  });

  it('counts a streamed body without Content-Length', async () => {
    const res = await appWith().request('/trpc/auth.signIn', {
      method: 'POST',
      headers: json,
      body: streamed(small.default * 4),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('limits the Demo Desk forms and writes nothing', async () => {
    const before = await env.db.$count(demoTickets);
    const res = await appWith().request('/demo/tickets', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `subject=Hello&requester=a%40example.com&priority=Low&body=${'x'.repeat(small.default)}`,
    });
    expect(res.status).toBe(413);
    expect(await env.db.$count(demoTickets)).toBe(before);
  });

  it('gives a signed-in knowledge-base upload the larger limit, and anonymous callers not', async () => {
    const app = appWith();
    const cookie = (
      await app.request('/trpc/auth.signIn', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: env.a.users.admin.email, password: 'pw-admin' }),
      })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const md = `# Printer offline\n\n${'Turn it off and on again. '.repeat(1000)}`;
    const body = JSON.stringify({
      source: 'upload',
      files: [{ name: 'printer.md', base64: Buffer.from(md).toString('base64') }],
    });
    expect(body.length).toBeGreaterThan(small.default);
    expect(body.length).toBeLessThan(small.kbUpload);
    const signedIn = await app.request('/trpc/kb.import', {
      method: 'POST',
      headers: { ...json, cookie },
      body,
    });
    expect(signedIn.status).toBe(200);
    const anonymous = await app.request('/trpc/kb.import', { method: 'POST', headers: json, body });
    expect(anonymous.status).toBe(413);
    const huge = await app.request('/trpc/kb.import', {
      method: 'POST',
      headers: { ...json, cookie },
      body: 'x'.repeat(small.kbUpload + 1),
    });
    expect(huge.status).toBe(413);
  });
});

describe('request body limits on a listening server', () => {
  /**
   * Sends up to `total` bytes, chunked, until the answer; with `contentLength`, only the
   * headers announcing it (the server must answer without waiting for the body).
   */
  async function upload(url: string, total: number, contentLength?: number) {
    return new Promise<{ status: number; sent: number }>((ok, fail) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(contentLength === undefined
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': String(contentLength) }),
        },
      });
      let sent = 0;
      let answered = false;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        // Backpressure: write only when the socket takes more, so nothing runs ahead of the server.
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered && contentLength === undefined) req.end();
      };
      req.on('response', (res) => {
        answered = true;
        res.resume();
        ok({ status: res.statusCode!, sent });
      });
      req.on('error', (e) => (answered ? undefined : fail(e)));
      if (contentLength === undefined) pump();
      else req.flushHeaders();
    });
  }

  it('answers 413 long before a 100 MB body is sent, streamed or announced', async () => {
    const app = appWith(BODY_LIMITS);
    const server = await new Promise<ReturnType<typeof serve>>((ok) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc/auth.signIn`;
      const total = 100 * 1024 * 1024;
      const chunked = await upload(url, total);
      expect(chunked.status).toBe(413);
      expect(chunked.sent).toBeLessThan(total / 4);
      const announced = await upload(url, total, total);
      expect(announced.status).toBe(413);
      expect(announced.sent).toBe(0);
    } finally {
      (server as import('node:http').Server).closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 120_000);
});
