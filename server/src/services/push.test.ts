import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import ece from 'http_ece';
import { generate } from 'selfsigned';
import { eq } from 'drizzle-orm';
import { escalationPushPayload } from '@deskwatch/shared';
import { pushSubscriptions } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';

/**
 * A stand-in push service on loopback with a self-signed certificate. The server under test
 * trusts it through an https.Agent carrying that certificate as CA; verification stays on.
 */
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
let receiver: Server;
let received: Received[] = [];
let respondWith = 201;
/** Answers to give first, before `respondWith` (a flaky push service). */
let firstAnswers: number[] = [];
let agent: Agent;
let base: string;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' });
  receiver = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(firstAnswers.shift() ?? respondWith).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  base = `https://localhost:${(receiver.address() as AddressInfo).port}`;
  agent = new Agent({ ca: pems.cert });
});
afterAll(() => receiver.close());

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  received = [];
  respondWith = 201;
  firstAnswers = [];
  env = await testEnv({ pushAgent: agent });
});
afterEach(() => env.close());

/** A browser-side subscription: its own P-256 key pair and auth secret, as a real browser makes. */
function browserSubscription(path: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    input: {
      endpoint: `${base}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
  };
}

function verifyVapid(header: string, audience: string, serverPublicKey: string) {
  const m = header.match(/^vapid t=([^,]+),\s*k=(.+)$/);
  expect(m, header).not.toBeNull();
  const [, jwt, k] = m!;
  expect(k).toBe(serverPublicKey);
  const [h, p, s] = jwt!.split('.');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
  expect(claims.aud).toBe(audience);
  const raw = Buffer.from(k!, 'base64url'); // uncompressed point: 0x04 | x | y
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
  });
  expect(
    verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s!, 'base64url'),
    ),
  ).toBe(true);
}

async function escalate() {
  const agentCaller = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agentCaller.tickets.observe({ snapshot: snapshot() });
  const esc = await agentCaller.escalations.request({
    ticketId: ticket.id,
    type: 'manager_approval',
    severity: 'high',
    reason: 'Refund above limit',
  });
  await env.services.push.drain();
  return esc;
}

describe('web push to managers', () => {
  it('sends an aes128gcm payload that only the subscription keys decrypt, signed with the VAPID key', async () => {
    const manager = await env.as(env.a.users.manager.email);
    const sub = browserSubscription('/push/manager-phone');
    await manager.push.subscribe(sub.input);
    const esc = await escalate();

    expect(received).toHaveLength(1);
    const [msg] = received;
    expect(msg!.path).toBe('/push/manager-phone');
    expect(msg!.headers['content-encoding']).toBe('aes128gcm');
    verifyVapid(String(msg!.headers.authorization), base, env.services.push.publicKey);
    const plain = ece.decrypt(msg!.body, {
      version: 'aes128gcm',
      privateKey: sub.ecdh,
      authSecret: sub.auth.toString('base64url'),
    });
    const payload = escalationPushPayload.parse(JSON.parse(plain.toString()));
    expect(payload).toMatchObject({
      escalationId: esc.id,
      ticketSubject: 'Cannot log in',
      reason: 'Refund above limit',
      requestedBy: 'Alpha agent',
      severity: 'high',
    });

    // The payload's token approves once, without a session.
    const decided = await env
      .anonymous()
      .escalations.decideWithToken({ token: payload.actionToken, decision: 'approve' });
    expect(decided).toMatchObject({ state: 'approved', decidedBy: 'Alpha manager' });
    await expect(
      env
        .anonymous()
        .escalations.decideWithToken({ token: payload.actionToken, decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('sends nothing to agents or to another workspace', async () => {
    await (
      await env.as(env.a.users.agent.email)
    ).push.subscribe(browserSubscription('/push/agent').input);
    await (
      await env.as(env.b.users.manager.email)
    ).push.subscribe(browserSubscription('/push/beta-manager').input);
    await (
      await env.as(env.a.users.admin.email)
    ).push.subscribe(browserSubscription('/push/alpha-admin').input);
    await escalate();
    expect(received.map((r) => r.path)).toEqual(['/push/alpha-admin']);
  });

  it('retires a subscription the push service calls gone (410), and keeps one that failed otherwise', async () => {
    const manager = await env.as(env.a.users.manager.email);
    const sub = browserSubscription('/push/gone');
    await manager.push.subscribe(sub.input);
    respondWith = 410;
    await escalate();
    const [row] = await env.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, sub.input.endpoint));
    expect(row).toMatchObject({ retiredAt: env.clock(), lastError: 'HTTP 410' });
    received = [];
    await escalate();
    expect(received).toHaveLength(0);

    const flaky = browserSubscription('/push/flaky');
    await manager.push.subscribe(flaky.input);
    respondWith = 500;
    await escalate();
    const [kept] = await env.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, flaky.input.endpoint));
    expect(kept).toMatchObject({ retiredAt: null, lastError: 'HTTP 500' });
  });

  it('retries a push the service could not take (5xx), and stops after three tries', async () => {
    const manager = await env.as(env.a.users.manager.email);
    const sub = browserSubscription('/push/busy');
    await manager.push.subscribe(sub.input);
    firstAnswers = [503, 502];
    await escalate();
    expect(received).toHaveLength(3); // two refusals, then delivered
    const [row] = await env.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, sub.input.endpoint));
    expect(row).toMatchObject({ retiredAt: null, lastError: null });
    received = [];
    respondWith = 500;
    await escalate();
    expect(received).toHaveLength(3);
  });

  it('an action token expires after an hour', async () => {
    const manager = await env.as(env.a.users.manager.email);
    const sub = browserSubscription('/push/late');
    await manager.push.subscribe(sub.input);
    await escalate();
    const plain = ece.decrypt(received[0]!.body, {
      version: 'aes128gcm',
      privateKey: sub.ecdh,
      authSecret: sub.auth.toString('base64url'),
    });
    const { actionToken } = escalationPushPayload.parse(JSON.parse(plain.toString()));
    env.clock.advance(60 * 60_000 + 1);
    await expect(
      env.anonymous().escalations.decideWithToken({ token: actionToken, decision: 'approve' }),
    ).rejects.toThrow(/expired or was already used/);
  });
});
