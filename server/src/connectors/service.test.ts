import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { connectorQuarantine, connectors, ticketEvents, tickets } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';
import { githubSignature } from './github.js';
import { zendeskSignature } from './zendesk.js';

const fixture = (tool: string, name: string) =>
  readFileSync(new URL(`./fixtures/${tool}/${name}.json`, import.meta.url), 'utf8');
const SECRET = 'zendesk-signing-secret-for-tests';

let env: Awaited<ReturnType<typeof testEnv>>;
let app: ReturnType<typeof createApp>;
let hookId: string;
beforeEach(async () => {
  env = await testEnv();
  env.clock.set(Date.parse('2026-03-27T09:15:00Z'));
  app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1:8787',
    pwaDist: '/nonexistent',
  });
  const c = await env.services.connectors.create(env.a.id, {
    tool: 'zendesk',
    name: 'Acme Zendesk',
    config: { subdomain: 'acme' },
    webhookSecret: SECRET,
  });
  hookId = c.id;
});
afterEach(() => env.close());

/** Posts a body as Zendesk would, signed now (or at `ts`) with `secret`. */
function post(body: string, opts: { ts?: string; secret?: string; id?: string } = {}) {
  const ts = opts.ts ?? new Date(env.clock()).toISOString();
  return app.request(`/hooks/${opts.id ?? hookId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-signature': zendeskSignature(opts.secret ?? SECRET, ts, body),
    },
    body,
  });
}
const health = async () => (await env.services.connectors.get(env.a.id, hookId)).health;
const ticketRows = () =>
  env.db
    .select()
    .from(tickets)
    .where(and(eq(tickets.source, 'zendesk'), eq(tickets.externalId, '5158')));
const events = async (ticketId: string) =>
  (await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId))).sort(
    (a, b) => a.at - b.at,
  );

describe('Zendesk webhook intake', () => {
  it('creates a ticket nobody opened, with its SLA clocks running from the tool time', async () => {
    const res = await post(fixture('zendesk', 'ticket-created'));
    expect(res.status).toBe(200);
    const [t] = await ticketRows();
    expect(t).toMatchObject({
      workspaceId: env.a.id,
      url: 'https://acme.zendesk.com/agent/tickets/5158',
      subject: 'Cannot login to mobile app',
      category: 'new',
      priority: 'high',
      createdAt: Date.parse('2026-03-27T08:40:00Z'),
      statusKnownFrom: null,
    });
    const got = await env.services.tickets.get(env.a.id, t!.id);
    expect(got!.sla.targets.find((x) => x.metric === 'first_response')).toMatchObject({
      status: 'running',
    });
    expect(await health()).toMatchObject({ received: 1, applied: 1, refused: 0 });
  });

  it('applies each delivery once: the same event again is a counted duplicate', async () => {
    const body = fixture('zendesk', 'ticket-created');
    await post(body);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const [t] = await ticketRows();
    expect((await events(t!.id)).filter((e) => e.type === 'created')).toHaveLength(1);
    expect(await health()).toMatchObject({ received: 2, applied: 1, duplicates: 1 });
  });

  it('builds the history in the tool order: created, agent reply, pending (clock paused)', async () => {
    await post(fixture('zendesk', 'ticket-created'));
    await post(fixture('zendesk', 'status-changed')); // 09:10 pending
    await post(fixture('zendesk', 'comment-added')); // 09:05 agent reply, delivered late
    const [t] = await ticketRows();
    expect(t).toMatchObject({ category: 'pending_customer', status: 'Pending' });
    const log = await events(t!.id);
    expect(log.map((e) => [e.type, new Date(e.at).toISOString()])).toEqual([
      ['created', '2026-03-27T08:40:00.000Z'],
      ['status', '2026-03-27T08:40:00.000Z'],
      ['priority', '2026-03-27T08:40:00.000Z'],
      ['message', '2026-03-27T09:05:00.123Z'],
      ['status', '2026-03-27T09:10:00.123Z'],
    ]);
    const sla = (await env.services.tickets.get(env.a.id, t!.id))!.sla;
    expect(sla.targets.find((x) => x.metric === 'first_response')).toMatchObject({ status: 'met' });
  });

  it('refuses and counts a bad signature, another secret, and a stale (replayed) timestamp; nothing is stored', async () => {
    const body = fixture('zendesk', 'ticket-created');
    expect((await post(body, { secret: 'wrong' })).status).toBe(401);
    expect((await post(body, { ts: '2026-03-27T09:00:00Z' })).status).toBe(401); // 15 min old
    const tampered = await app.request(`/hooks/${hookId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(tampered.status).toBe(401);
    expect(await ticketRows()).toHaveLength(0);
    const h = await health();
    expect(h).toMatchObject({ refused: 3, applied: 0 });
    expect(h.lastError).toMatch(/unsigned/);
  });

  it('answers 404 for an unknown connector', async () => {
    expect((await post('{}', { id: 'nosuchconnector' })).status).toBe(404);
  });

  it('quarantines a malformed payload with the reason and applies nothing', async () => {
    const body = fixture('zendesk', 'ticket-created').replace('"NEW"', '"WAITING"');
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ quarantined: true });
    expect(await ticketRows()).toHaveLength(0);
    const q = await env.services.connectors.quarantined(env.a.id, hookId);
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ deliveryId: null, payload: body });
    expect(q[0]!.reason).toMatch(/status: Invalid option/);
    expect(await health()).toMatchObject({ quarantined: 1, applied: 0 });
    expect((await post('not json')).status).toBe(422);
  });

  it('quarantines an event whose times cannot be right (in the future), writing nothing', async () => {
    const body = fixture('zendesk', 'ticket-created').replaceAll(
      '2026-03-27T08:40:00',
      '2026-03-28T08:40:00',
    );
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(await ticketRows()).toHaveLength(0);
    const [q] = await env.services.connectors.quarantined(env.a.id, hookId);
    expect(q!.reason).toMatch(/future/);
    expect(q!.deliveryId).toBe('7a2c6f2e-1d1b-4c63-9a8e-3f0c2b8d5e01');
  });

  it('counts a reply seen both by the connector and on the agent page once', async () => {
    await post(fixture('zendesk', 'ticket-created'));
    // The agent opens the ticket: the page shows the agent's reply, by its comment id.
    await env.services.tickets.observe(
      env.a.id,
      snapshot({
        source: 'zendesk',
        externalId: '5158',
        url: 'https://acme.zendesk.com/agent/tickets/5158',
        statusCategory: 'open',
        status: 'Open',
        createdAt: '2026-03-27T08:40:00.000Z',
        messages: [
          {
            externalId: '9876543210',
            author: 'agent',
            public: true,
            at: '2026-03-27T09:05:00.000Z',
          },
        ],
      }),
      { key: 'token:x', userId: null, tokenId: null },
    );
    await post(fixture('zendesk', 'comment-added'));
    const [t] = await ticketRows();
    const log = await events(t!.id);
    expect(log.filter((e) => e.type === 'message')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'created')).toHaveLength(1);
  });

  it('keeps secrets sealed at rest and out of every view', async () => {
    const [row] = await env.db.select().from(connectors).where(eq(connectors.id, hookId));
    expect(row!.webhookSecret).toMatch(/^v1\./);
    expect(row!.webhookSecret).not.toContain(SECRET);
    const view = await env.services.connectors.get(env.a.id, hookId);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(view.hasWebhookSecret).toBe(true);
  });

  it('takes webhooks signed with the new secret after a rotation, and refuses the old one', async () => {
    await env.services.connectors.rotate(env.a.id, hookId, { webhookSecret: 'the-new-secret' });
    const body = fixture('zendesk', 'ticket-created');
    expect((await post(body)).status).toBe(401);
    expect((await post(body, { secret: 'the-new-secret' })).status).toBe(200);
  });

  it('"send a test event" proves the stored secret and the mapping without applying anything', async () => {
    const r = await env.services.connectors.test(env.a.id, hookId);
    expect(r).toMatchObject({ ok: true, kind: 'zen:event-type:ticket.status_changed' });
    expect(await env.db.select().from(tickets).where(eq(tickets.source, 'zendesk'))).toHaveLength(
      0,
    );
    expect(await env.db.select().from(connectorQuarantine)).toHaveLength(0);
  });
});

describe('GitHub webhook intake', () => {
  it('takes issues and comments signed with X-Hub-Signature-256, once per delivery id', async () => {
    const gh = await env.services.connectors.create(env.a.id, {
      tool: 'github',
      name: 'Widgets',
      config: { repositories: ['acme/widgets'] },
      webhookSecret: 'gh-secret',
    });
    const send = (event: string, delivery: string, body: string, secret = 'gh-secret') =>
      app.request(`/hooks/${gh.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': delivery,
          'x-hub-signature-256': githubSignature(secret, body),
        },
        body,
      });
    expect((await send('issues', 'd1', fixture('github', 'issues-opened'))).status).toBe(200);
    expect(
      (await send('issue_comment', 'd2', fixture('github', 'issue-comment-created'))).status,
    ).toBe(200);
    expect(
      (await send('issue_comment', 'd2', fixture('github', 'issue-comment-created'))).status,
    ).toBe(200);
    expect((await send('issues', 'd3', fixture('github', 'issues-closed'), 'nope')).status).toBe(
      401,
    );
    const [t] = await env.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.source, 'github'), eq(tickets.externalId, 'acme/widgets/issues/42')));
    expect(t).toMatchObject({ category: 'open', priority: 'high', requester: 'octo-customer' });
    expect((await events(t!.id)).filter((e) => e.type === 'message')).toHaveLength(1);
    expect((await env.services.connectors.get(env.a.id, gh.id)).health).toMatchObject({
      applied: 2,
      duplicates: 1,
      refused: 1,
    });
  });
});
