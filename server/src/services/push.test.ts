import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { LibsqlError, type InStatement } from '@libsql/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import ece from 'http_ece';
import { generate } from 'selfsigned';
import { eq } from 'drizzle-orm';
import { escalationPushPayload } from '@deskwatch/shared';
import { pushSubscriptions } from '../db/schema.js';
import { snapshot, stubResolve, testEnv } from '../testing.js';
import { OUTBOX_CLAIM_TTL_MS, TEST_SENDS_PER_MINUTE } from './push.js';

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
let ca: string;
let base: string;
let port: string;

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
  port = String((receiver.address() as AddressInfo).port);
  base = `https://localhost:${port}`;
  ca = pems.cert;
});
afterAll(() => receiver.close());

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  received = [];
  respondWith = 201;
  firstAnswers = [];
  // The stand-in is a self-hosted push service to the server: allowed by the operator's list.
  env = await testEnv({ pushCa: ca, pushAllowedHosts: [{ hostname: 'localhost', port }] });
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

  it("carries a page's Acknowledge token in its push, which stops the path once", async () => {
    const manager = await env.as(env.a.users.manager.email);
    const sub = browserSubscription('/push/manager-phone');
    await manager.push.subscribe(sub.input);
    const { id: scheduleId } = await manager.oncall.saveSchedule({
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          id: 'l',
          name: 'L',
          start: '2026-03-23T09:00',
          turn: 'weekly',
          participants: [env.a.users.manager.userId],
        },
      ],
    });
    await manager.oncall.savePath({
      name: 'Default',
      isDefault: true,
      levels: [{ targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 }],
    });
    const esc = await escalate();
    expect(received).toHaveLength(1);
    const payload = decryptWith(sub, received[0]!.body);
    // Still an escalation's push (approve and deny work as before), now with the page's token.
    expect(escalationPushPayload.parse(payload).escalationId).toBe(esc.id);
    expect(payload).toMatchObject({ pageId: expect.any(String), ackToken: expect.any(String) });
    const ack = { token: payload.ackToken as string };
    expect(await env.anonymous().oncall.acknowledgeWithToken(ack)).toEqual({
      pageId: payload.pageId,
    });
    await expect(env.anonymous().oncall.acknowledgeWithToken(ack)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await manager.oncall.pages())[0]).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'Alpha manager',
    });
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
    expect(row).toMatchObject({ retiredAt: env.clock(), lastError: 'expired' });
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
    expect(kept).toMatchObject({ retiredAt: null, lastError: 'unavailable' });
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

async function rows(sql: string, args: (string | number)[] = []) {
  return (await env.client.execute({ sql, args })).rows.map((r) => ({ ...r }));
}
const countSubscriptions = async () =>
  Number((await rows('SELECT count(*) AS n FROM push_subscriptions'))[0]!.n);

function decryptWith(sub: ReturnType<typeof browserSubscription>, body: Buffer) {
  const plain = ece.decrypt(body, {
    version: 'aes128gcm',
    privateKey: sub.ecdh,
    authSecret: sub.auth.toString('base64url'),
  });
  return JSON.parse(plain.toString()) as Record<string, unknown>;
}

/** A loopback port with nothing listening: connecting there is refused. */
async function closedPort() {
  const s = createTcpServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return String(p);
}

const keys = () => browserSubscription('/unused').input.keys;

describe('push endpoints: no requests to internal addresses (SSRF)', () => {
  it('refuses, for any role, endpoints off the push services and the allowed host, and writes nothing', async () => {
    const agent = await env.as(env.a.users.agent.email);
    for (const endpoint of [
      `https://127.0.0.1:${port}/scan`, // the same listener, by address: not the allowed host
      `https://localhost:${Number(port) + 1}/scan`, // the allowed host on another port
      'https://10.0.0.1/scan',
      'https://169.254.169.254/latest/meta-data/',
      'https://2130706433/scan',
      'https://[::ffff:127.0.0.1]/scan',
      'https://internal.example.com/scan',
    ])
      await expect(
        agent.push.subscribe({ endpoint, keys: keys() }),
        endpoint,
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await countSubscriptions()).toBe(0);
    expect(await agent.push.sendTest()).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('refuses a push service name that resolves to a private address', async () => {
    const rebound = await testEnv({
      pushResolve: stubResolve({
        'fcm.googleapis.com': ['169.254.169.254'],
        'web.push.apple.com': ['10.9.8.7'],
        'updates.push.services.mozilla.com': ['fd00::5'],
      }),
    });
    try {
      const manager = await rebound.as(rebound.a.users.manager.email);
      for (const endpoint of [
        'https://fcm.googleapis.com/fcm/send/x',
        'https://web.push.apple.com/x',
        'https://updates.push.services.mozilla.com/wpush/v2/x',
      ])
        await expect(manager.push.subscribe({ endpoint, keys: keys() })).rejects.toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringMatching(/resolves to a private or local address/),
        });
      expect(
        Number(
          (await rebound.client.execute('SELECT count(*) FROM push_subscriptions')).rows[0]![0],
        ),
      ).toBe(0);
    } finally {
      await rebound.close();
    }
  });

  it('checks the address again at send: a name rebound to loopback after subscribing gets no request', async () => {
    const names: Record<string, string[]> = { 'fcm.googleapis.com': ['142.250.74.106'] };
    const rebinding = await testEnv({ pushResolve: (h) => stubResolve(names)(h) });
    try {
      const manager = await rebinding.as(rebinding.a.users.manager.email);
      await manager.push.subscribe({
        endpoint: 'https://fcm.googleapis.com/fcm/send/x',
        keys: keys(),
      });
      // Rebound before anything is sent: the public address above is never dialled.
      names['fcm.googleapis.com'] = ['127.0.0.1'];
      const [result] = await manager.push.sendTest();
      expect(result).toMatchObject({ status: 'failed', detail: 'refused_address' });
      expect(received).toHaveLength(0);
    } finally {
      await rebinding.close();
    }
  });

  it('reports a failed delivery as a category, never the network error', async () => {
    const closed = await closedPort();
    const refusing = await testEnv({ pushAllowedHosts: [{ hostname: 'localhost', port: closed }] });
    try {
      const manager = await refusing.as(refusing.a.users.manager.email);
      await manager.push.subscribe({
        endpoint: `https://localhost:${closed}/push/x`,
        keys: keys(),
      });
      const results = await manager.push.sendTest();
      expect(results).toMatchObject([{ status: 'failed', detail: 'unreachable' }]);
      const devices = await manager.push.devices();
      expect(devices).toMatchObject([{ lastError: 'unreachable' }]);
      const shown = JSON.stringify([results, devices]);
      for (const leak of ['ECONNREFUSED', '127.0.0.1', 'connect'])
        expect(shown).not.toContain(leak);
    } finally {
      await refusing.close();
    }
  });

  it(`allows ${TEST_SENDS_PER_MINUTE} test sends a minute per user, on every instance`, async () => {
    const manager = await env.as(env.a.users.manager.email);
    await manager.push.subscribe(browserSubscription('/push/test').input);
    for (let i = 0; i < TEST_SENDS_PER_MINUTE; i++)
      expect(await manager.push.sendTest()).toMatchObject([{ status: 'sent' }]);
    await expect(manager.push.sendTest()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const other = await env.secondInstance();
    await expect(other.push.sendTest({ userId: env.a.users.manager.userId })).rejects.toMatchObject(
      { code: 'TOO_MANY_REQUESTS' },
    );
    // Another user has their own allowance.
    const admin = await env.as(env.a.users.admin.email);
    await admin.push.subscribe(browserSubscription('/push/admin-test').input);
    expect(await admin.push.sendTest()).toMatchObject([{ status: 'sent' }]);
    expect(received).toHaveLength(TEST_SENDS_PER_MINUTE + 1);
    env.clock.advance(60_000);
    expect(await manager.push.sendTest()).toMatchObject([{ status: 'sent' }]);
  });
});

describe('push subscriptions belong to their user', () => {
  it('refuses another user the endpoint of a device, in the same or another workspace, and changes nothing', async () => {
    const owner = await env.as(env.a.users.manager.email);
    const device = browserSubscription('/push/shared-device');
    await owner.push.subscribe(device.input);
    const before = await rows('SELECT * FROM push_subscriptions');
    for (const email of [env.b.users.manager.email, env.a.users.admin.email]) {
      const other = await env.as(email);
      await expect(
        other.push.subscribe({ endpoint: device.input.endpoint, keys: keys() }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(
          /already receives Deskwatch notifications for another account/,
        ),
      });
      expect(await other.push.devices()).toEqual([]);
      await other.push.unsubscribe({ endpoint: device.input.endpoint });
    }
    expect(await rows('SELECT * FROM push_subscriptions')).toEqual(before);

    // The device still gets its owner's notifications, readable with its owner's keys.
    await escalate();
    expect(received.map((r) => r.path)).toEqual(['/push/shared-device']);
    expect(decryptWith(device, received[0]!.body)).toMatchObject({ kind: 'escalation' });
  });

  it("lets the owner subscribe the device again with the browser's new keys", async () => {
    const owner = await env.as(env.a.users.manager.email);
    const device = browserSubscription('/push/renewed');
    await owner.push.subscribe(device.input);
    const renewed = browserSubscription('/push/renewed');
    await owner.push.subscribe(renewed.input);
    expect(await countSubscriptions()).toBe(1);
    await escalate();
    expect(decryptWith(renewed, received[0]!.body)).toMatchObject({ kind: 'escalation' });
  });
});

describe('the push outbox', () => {
  const busy = () => new LibsqlError('database is locked', 'SQLITE_BUSY');
  const sqlOf = (s: InStatement | [string, unknown?]) =>
    typeof s === 'string' ? s : Array.isArray(s) ? s[0] : s.sql;
  const isMarkSent = (stmts: (InStatement | [string, unknown?])[]) =>
    stmts.some((s) => sqlOf(s).includes("SET state = 'sent'"));
  const outbox = () =>
    rows('SELECT state, attempts, claimed_by AS claimedBy FROM push_outbox ORDER BY created_at');

  it('pushes once when recording the send fails, and records it later without sending again', async () => {
    const manager = await env.as(env.a.users.manager.email);
    await manager.push.subscribe(browserSubscription('/push/once').input);
    const batch = env.client.batch.bind(env.client);
    let refused = 0;
    vi.spyOn(env.client, 'batch').mockImplementation(async (stmts, mode) => {
      if (refused === 0 && isMarkSent(stmts)) {
        refused++;
        throw busy();
      }
      return batch(stmts, mode);
    });
    await escalate();
    expect(refused).toBe(1);
    expect(received).toHaveLength(1);
    // Sent, not yet recorded: the row stays claimed by the instance that sent it.
    const mine = env.services.push.instanceId;
    expect(await outbox()).toEqual([{ state: 'pending', attempts: 0, claimedBy: mine }]);
    const other = await env.secondInstance();
    expect(await other.push.deliverDue()).toBe(0);
    // The sender's next pass records it first, and sends nothing.
    expect(await env.services.push.deliverDue()).toBe(0);
    expect(await outbox()).toEqual([{ state: 'sent', attempts: 1, claimedBy: null }]);
    env.clock.advance(OUTBOX_CLAIM_TTL_MS + 1);
    await Promise.all([env.services.push.deliverDue(), other.push.deliverDue()]);
    expect(received).toHaveLength(1);
  });

  it('takes over a push claimed by an instance that died, once its claim lapses', async () => {
    const manager = await env.as(env.a.users.manager.email);
    await manager.push.subscribe(browserSubscription('/push/orphan').input);
    const [device] = await rows('SELECT id FROM push_subscriptions');
    // A dead instance had claimed this push and never recorded anything.
    await env.client.execute({
      sql: `INSERT INTO push_outbox (id, workspace_id, subscription_id, user_id, kind, source_id, payload_json, state, next_at, claimed_by, claimed_until, created_at)
            VALUES ('o1', ?, ?, ?, 'sla_alert', 'alert-1', '{"title":"t"}', 'pending', ?, 'dead', ?, ?)`,
      args: [
        env.a.id,
        device!.id as string,
        env.a.users.manager.userId,
        env.clock(),
        env.clock() + OUTBOX_CLAIM_TTL_MS,
        env.clock(),
      ],
    });
    const other = await env.secondInstance();
    expect(await other.push.deliverDue()).toBe(0); // the claim holds
    env.clock.advance(OUTBOX_CLAIM_TTL_MS + 1);
    expect(await other.push.deliverDue()).toBe(1);
    expect(await env.services.push.deliverDue()).toBe(0);
    expect(received).toHaveLength(1);
    expect(await outbox()).toEqual([{ state: 'sent', attempts: 1, claimedBy: null }]);
  });

  it('keeps a pending retry across a restart, and the new instance sends it when due', async () => {
    const first = await testEnv({
      pushCa: ca,
      pushAllowedHosts: [{ hostname: 'localhost', port }],
      pushRetryDelaysMs: [60_000],
    });
    try {
      const manager = await first.as(first.a.users.manager.email);
      const device = browserSubscription('/push/after-restart');
      await manager.push.subscribe(device.input);
      firstAnswers = [503];
      const agent = await first.as(first.a.users.agent.email, 'token');
      const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
      await agent.escalations.request({
        ticketId: ticket.id,
        type: 'manager_approval',
        severity: 'high',
        reason: 'Refund above limit',
      });
      await first.services.push.drain();
      expect(received).toHaveLength(1);
      const pending = (
        await first.client.execute('SELECT state, attempts, next_at, last_error FROM push_outbox')
      ).rows.map((r) => ({ ...r }));
      expect(pending).toEqual([
        {
          state: 'pending',
          attempts: 1,
          next_at: first.clock() + 60_000,
          last_error: 'unavailable',
        },
      ]);

      // A new process on the same file: nothing in memory carries over.
      const restarted = await first.secondInstance();
      expect(await restarted.push.deliverDue()).toBe(0); // not due yet
      first.clock.advance(60_000);
      expect(await restarted.push.deliverDue()).toBe(1);
      expect(received).toHaveLength(2);
      const payload = escalationPushPayload.parse(decryptWith(device, received[1]!.body));
      await expect(
        first
          .anonymous()
          .escalations.decideWithToken({ token: payload.actionToken, decision: 'approve' }),
      ).resolves.toMatchObject({ state: 'approved' });
      expect(
        (await first.client.execute('SELECT state FROM push_outbox')).rows.map((r) => r.state),
      ).toEqual(['sent']);
    } finally {
      await first.close();
    }
  });

  it('lets two instances on one database push each SLA alert exactly once per device, over several rounds', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    const manager = await env.as(env.a.users.manager.email);
    const devices = [browserSubscription('/push/phone'), browserSubscription('/push/laptop')];
    for (const d of devices) await manager.push.subscribe(d.input);
    const agent = await env.as(env.a.users.agent.email, 'token');
    for (let i = 1; i <= 12; i++)
      await agent.tickets.observe({
        snapshot: snapshot({ externalId: String(i), createdAt: '2026-03-27T09:00:00.000Z' }),
      });
    const other = await env.secondInstance();
    const instances = [env.services, other];
    for (const at of ['2026-03-27T09:30:01Z', '2026-03-27T09:45:01Z', '2026-03-27T10:00:01Z']) {
      env.clock.set(Date.parse(at));
      // Both tick (each kicks its own delivery), then both sweep the outbox as their timers do.
      await Promise.all(instances.map((s) => s.scheduler.tick()));
      await Promise.all(instances.map((s) => s.push.deliverDue()));
      // Sends finish before the clock jumps a quarter of an hour, as they do in real time.
      for (const s of instances) await s.push.drain();
    }

    const alertIds = (await rows('SELECT id FROM alerts')).map((r) => r.id as string).sort();
    expect(alertIds).toHaveLength(36);
    for (const d of devices) {
      const path = new URL(d.input.endpoint).pathname;
      const pushed = received
        .filter((r) => r.path === path)
        .map((r) => decryptWith(d, r.body).alertId as string)
        .sort();
      expect(pushed).toEqual(alertIds);
    }
    expect(await rows("SELECT count(*) AS n FROM push_outbox WHERE state != 'sent'")).toEqual([
      { n: 0 },
    ]);
  });

  it('queues an alert and its notifications in one write: a failed write leaves neither', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    const manager = await env.as(env.a.users.manager.email);
    await manager.push.subscribe(browserSubscription('/push/atomic').input);
    const agent = await env.as(env.a.users.agent.email, 'token');
    await agent.tickets.observe({
      snapshot: snapshot({ createdAt: '2026-03-27T09:00:00.000Z' }),
    });
    const batch = env.client.batch.bind(env.client);
    // The write runs the alert's insert, then fails at its notifications.
    const spy = vi.spyOn(env.client, 'batch').mockImplementation((stmts, mode) =>
      batch(
        stmts.map((s) =>
          sqlOf(s).includes('INTO push_outbox') ? 'INSERT INTO no_such_table VALUES (1)' : s,
        ),
        mode,
      ),
    );
    const at = Date.parse('2026-03-27T09:30:01Z');
    await expect(env.services.scheduler.tick(at)).rejects.toThrow(/no such table/);
    expect(await rows('SELECT count(*) AS n FROM alerts')).toEqual([{ n: 0 }]);
    spy.mockRestore();
    // The claim lapses and the next tick raises the alert with its notification.
    expect(await env.services.scheduler.tick(at + 31_000)).toHaveLength(1);
    await env.services.push.drain();
    expect(received).toHaveLength(1);
  });
});
