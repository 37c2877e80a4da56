import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotDigest, ticketSnapshot, type TicketSnapshot } from '@deskwatch/shared';
import { createApp } from '../app.js';
import { tickets } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  env = await testEnv();
  app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1:8787',
    pwaDist: '/nonexistent',
  });
});
afterEach(() => env.close());

/** A paired browser of `email`: its token and its id. */
async function pair(email: string) {
  const { accounts } = env.services;
  const s = (await accounts.signIn(email, `pw-${email.split('@')[0]}`))!;
  const { code } = await accounts.createPairingCode(s.caller.userId);
  const r = (await accounts.redeemPairingCode(code, 'test'))!;
  return { token: r.token, tokenId: r.tokenId, userId: s.caller.userId };
}

const call = (token: string | null, path: string, body?: unknown) =>
  app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const digestOf = (snap: TicketSnapshot) => snapshotDigest(ticketSnapshot.parse(snap));
const check = async (token: string, snap: TicketSnapshot) =>
  call(
    token,
    `/x/observe/unchanged?${new URLSearchParams({
      source: snap.source,
      externalId: snap.externalId,
      digest: await digestOf(snap),
    })}`,
  );

describe('conditional observe (GET /x/observe/unchanged)', () => {
  it('answers a page this browser already sent with the stored state, writing nothing', async () => {
    const { token } = await pair('agent@alpha.test');
    const snap = snapshot();
    const first = await call(token, '/x/observe', { snapshot: snap });
    expect(first.status).toBe(200);
    const stored = await first.json();
    const commits = env.hot.local!.commits;
    env.clock.advance(60_000);
    const res = await check(token, snap);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unchanged: stored });
    expect(env.hot.local!.commits).toBe(commits);
    // The full page again is answered the same way (the tRPC procedure's own unchanged path).
    expect(await (await call(token, '/x/observe', { snapshot: snap })).json()).toEqual(stored);
    expect(env.hot.local!.commits).toBe(commits);
  });

  it('asks for the page when it changed, is new, or this browser never sent it', async () => {
    const a = await pair('agent@alpha.test');
    const b = await pair('agent@alpha.test'); // the same person's second browser
    const snap = snapshot();
    await call(a.token, '/x/observe', { snapshot: snap });
    const unchanged = async (token: string, s: TicketSnapshot) =>
      ((await (await check(token, s)).json()) as { unchanged: unknown }).unchanged;
    expect(await unchanged(a.token, { ...snap, status: 'Pending' })).toBeNull();
    expect(await unchanged(a.token, snapshot({ externalId: '2' }))).toBeNull();
    expect(await unchanged(b.token, snap)).toBeNull();
    expect(await unchanged(a.token, snap)).not.toBeNull();
  });

  it('refuses a revoked token at once, on every route', async () => {
    const { token, tokenId, userId } = await pair('agent@alpha.test');
    const snap = snapshot();
    const stored = (await (await call(token, '/x/observe', { snapshot: snap })).json()) as {
      ticket: { id: string };
    };
    expect((await check(token, snap)).status).toBe(200);
    expect(await env.services.accounts.revokeToken(userId, tokenId)).toBe(true);
    const before = await env.db.$count(tickets);
    for (const res of [
      await check(token, snap),
      await call(token, '/x/observe', { snapshot: snapshot({ externalId: '9' }) }),
      await call(token, `/x/ticket?ticketId=${stored.ticket.id}`),
      await call(token, '/x/badges?source=demo-desk&id=1'),
    ]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    expect(await env.db.$count(tickets)).toBe(before);
    expect((await call(null, '/x/badges?source=demo-desk&id=1')).status).toBe(401);
  });
});

describe('validation (same schemas as the tRPC procedures)', () => {
  it('refuses a malformed page, or a body that is not JSON, and writes nothing', async () => {
    const { token } = await pair('agent@alpha.test');
    const bad = await call(token, '/x/observe', {
      snapshot: { ...snapshot(), url: 'javascript:x' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^snapshot\.url: /,
    );
    expect((await call(token, '/x/observe', '{not json')).status).toBe(400);
    expect((await call(token, '/x/observe', { snapshot: snapshot(), extra: 1 })).status).toBe(400);
    const digest = await call(
      token,
      '/x/observe/unchanged?source=demo-desk&externalId=1&digest=short',
    );
    expect(digest.status).toBe(400);
    expect((await call(token, '/x/observe/unchanged?source=demo-desk&externalId=1')).status).toBe(
      400,
    );
    expect((await call(token, '/x/ticket')).status).toBe(400);
    expect((await call(token, '/x/badges?source=Not%20an%20id')).status).toBe(400);
    expect(await env.db.$count(tickets)).toBe(0);
  });

  it('refuses a page whose times cannot be right, as the service does, and writes nothing', async () => {
    const { token } = await pair('agent@alpha.test');
    const res = await call(token, '/x/observe', {
      snapshot: snapshot({ createdAt: '2026-03-28T09:00:00.000Z' }), // a day ahead of the clock
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /in the future/,
    );
    expect(await env.db.$count(tickets)).toBe(0);
  });
});

describe('reads (GET /x/ticket, GET /x/badges)', () => {
  it('answer what tickets.get and tickets.badges answer', async () => {
    const { token } = await pair('agent@alpha.test');
    const trpc = await env.as('agent@alpha.test', 'token');
    const one = await trpc.tickets.observe({ snapshot: snapshot() });
    await trpc.tickets.observe({ snapshot: snapshot({ externalId: '2', priority: 'low' }) });
    env.clock.advance(10 * 60_000);
    const got = await call(token, `/x/ticket?ticketId=${one.ticket.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(
      JSON.parse(JSON.stringify(await trpc.tickets.get({ ticketId: one.ticket.id }))),
    );
    const badges = await call(token, '/x/badges?source=demo-desk&id=1&id=2&id=never-seen');
    expect(badges.status).toBe(200);
    const expected = await trpc.tickets.badges({
      source: 'demo-desk',
      externalIds: ['1', '2', 'never-seen'],
    });
    expect(expected).toHaveLength(2);
    expect(await badges.json()).toEqual(
      expect.arrayContaining(JSON.parse(JSON.stringify(expected))),
    );
    expect(await (await call(token, '/x/badges?source=demo-desk')).json()).toEqual([]);
  });

  it("never answers from another workspace's tickets", async () => {
    const alpha = await pair('agent@alpha.test');
    const beta = await pair('agent@beta.test');
    const snap = snapshot();
    const stored = (await (await call(alpha.token, '/x/observe', { snapshot: snap })).json()) as {
      ticket: { id: string };
    };
    expect(await (await check(beta.token, snap)).json()).toEqual({ unchanged: null });
    const got = await call(beta.token, `/x/ticket?ticketId=${stored.ticket.id}`);
    expect(got.status).toBe(404);
    expect(await (await call(beta.token, '/x/badges?source=demo-desk&id=1')).json()).toEqual([]);
    // Beta's own ticket with the same key is its own.
    const mine = (await (await call(beta.token, '/x/observe', { snapshot: snap })).json()) as {
      ticket: { id: string };
    };
    expect(mine.ticket.id).not.toBe(stored.ticket.id);
  });

  it('records the token as used, without writing on the request', async () => {
    const { token, tokenId, userId } = await pair('agent@alpha.test');
    const commits = env.hot.local!.commits;
    env.clock.advance(5_000);
    await call(token, '/x/badges?source=demo-desk&id=1');
    expect(env.hot.local!.commits).toBe(commits);
    const [listed] = await env.services.accounts.listTokens(userId);
    expect(listed).toMatchObject({ id: tokenId, lastUsedAt: env.clock() });
  });
});

it('lets an extension origin through CORS', async () => {
  const res = await app.request('/x/observe', {
    method: 'OPTIONS',
    headers: { origin: 'chrome-extension://abcdefghijklmnop' },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(
    'chrome-extension://abcdefghijklmnop',
  );
});

it("answers with the API's security headers (nothing to load, never framed), not the app's", async () => {
  const { token } = await pair('agent@alpha.test');
  const res = await call(token, '/x/badges?source=demo-desk');
  expect(res.headers.get('content-security-policy')).toBe(
    "default-src 'none'; frame-ancestors 'none'",
  );
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});

describe("over node's own server (headers and body read from node's message)", () => {
  async function listening(bodyLimits = { default: 4096, kbUpload: 8192 }) {
    const served = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'http://127.0.0.1:8787',
      pwaDist: '/nonexistent',
      bodyLimits,
    });
    const server = await new Promise<ReturnType<typeof serve>>((ok) => {
      const s = serve({ fetch: served.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      post: (token: string, body: BodyInit, headers: Record<string, string> = {}) =>
        fetch(`${base}/x/observe`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...headers,
          },
          body,
          ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
        } as RequestInit),
      get: (token: string, path: string, headers: Record<string, string> = {}) =>
        fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }),
      close: () => new Promise((r) => server.close(r)),
    };
  }

  it('observes, checks and reads as app.request does, with the same headers', async () => {
    const { token } = await pair('agent@alpha.test');
    const s = await listening();
    try {
      const snap = snapshot();
      const origin = 'chrome-extension://abcdefghijklmnop';
      const first = await s.post(token, JSON.stringify({ snapshot: snap }), { origin });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/json');
      expect(first.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(first.headers.get('x-content-type-options')).toBe('nosniff');
      expect(first.headers.get('access-control-allow-origin')).toBe(origin);
      const stored = (await first.json()) as { ticket: { id: string } };
      expect(await (await check(token, snap)).json()).toEqual({ unchanged: stored });
      const q = new URLSearchParams({
        source: snap.source,
        externalId: snap.externalId,
        digest: await digestOf(snap),
      });
      const again = await s.get(token, `/x/observe/unchanged?${q}`);
      expect(again.headers.get('access-control-allow-origin')).toBeNull();
      expect(await again.json()).toEqual({ unchanged: stored });
      const badges = await s.get(token, '/x/badges?source=demo-desk&id=1');
      expect(await badges.json()).toEqual(
        await (await call(token, '/x/badges?source=demo-desk&id=1')).json(),
      );
      expect((await s.get('nope', '/x/badges?source=demo-desk&id=1')).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('refuses a body that is not JSON or over the limit, writing nothing; reads a streamed one', async () => {
    const { token } = await pair('agent@alpha.test');
    const s = await listening();
    try {
      expect((await s.post(token, '{not json')).status).toBe(400);
      const big = JSON.stringify({
        snapshot: snapshot({ subject: 'x'.repeat(400) }),
        pad: 'y'.repeat(5000),
      });
      expect((await s.post(token, big)).status).toBe(413);
      expect(await env.db.$count(tickets)).toBe(0);
      // No Content-Length (chunked): the app's own route and body limit take it.
      const body = JSON.stringify({ snapshot: snapshot() });
      const streamed = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(body.slice(0, 50)));
          c.enqueue(new TextEncoder().encode(body.slice(50)));
          c.close();
        },
      });
      expect((await s.post(token, streamed)).status).toBe(200);
      expect(await env.db.$count(tickets)).toBe(1);
    } finally {
      await s.close();
    }
  });
});
