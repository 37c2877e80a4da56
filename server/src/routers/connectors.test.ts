import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { zendeskSignature } from '../connectors/zendesk.js';
import { connectors, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  env = await testEnv();
  env.clock.set(Date.parse('2026-03-27T09:15:00Z'));
});
afterEach(() => env.close());

const SECRET = 'zendesk-signing-secret-for-router-tests';
const admin = () => env.as(env.a.users.admin.email);
const rows = async (t: typeof connectors | typeof tickets) =>
  ((await env.db.select({ n: count() }).from(t)) as [{ n: number }])[0].n;

async function zendesk() {
  return (await admin()).connectors.create({
    tool: 'zendesk',
    name: 'Acme Zendesk',
    config: { subdomain: 'acme' },
    webhookSecret: SECRET,
  });
}

describe('connectors router', () => {
  it('is for admins only: agents and managers are refused, whether by session or token', async () => {
    for (const role of ['agent', 'manager'] as const)
      for (const via of ['session', 'token'] as const) {
        const c = await env.as(env.a.users[role].email, via);
        await expect(c.connectors.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
        await expect(
          c.connectors.create({ tool: 'zendesk', name: 'X', config: { subdomain: 'x' } }),
        ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
    expect(await rows(connectors)).toBe(0);
  });

  it('creates a connector and shows its webhook URL, never its secret', async () => {
    const c = await zendesk();
    expect(c).toMatchObject({
      tool: 'zendesk',
      toolName: 'Zendesk',
      name: 'Acme Zendesk',
      hasWebhookSecret: true,
      webhookUrl: `https://deskwatch.test/hooks/${c.id}`,
      health: { received: 0, refused: 0, lastEventAt: null, lagMs: null },
    });
    const listed = await (await admin()).connectors.list();
    expect(listed.map((x) => x.id)).toEqual([c.id]);
    expect(JSON.stringify([c, listed])).not.toContain(SECRET);
    const rotated = await (
      await admin()
    ).connectors.rotate({
      connectorId: c.id,
      webhookSecret: 'a-brand-new-secret',
    });
    expect(JSON.stringify(rotated)).not.toContain('a-brand-new-secret');
    expect(rotated.secretRotatedAt).toBe(env.clock());
  });

  it('says what each tool offers: webhooks, reading its API, or both', async () => {
    const tools = await (await admin()).connectors.tools();
    const by = Object.fromEntries(tools.map((t) => [t.id, t]));
    expect(by.zendesk).toMatchObject({ intake: 'both', polled: false });
    expect(by.redmine).toMatchObject({ intake: 'poll', polled: true });
    expect(by.github).toMatchObject({ intake: 'webhook', polled: false });
  });

  it('sets up Zendesk with a webhook secret and an API backfill, never showing the token', async () => {
    const TOKEN = 'zendesk-api-token-for-router-tests';
    const a = await admin();
    const c = await a.connectors.create({
      tool: 'zendesk',
      name: 'Acme Zendesk',
      config: { subdomain: 'acme', apiEmail: 'admin@acme.example', backfillDays: 14 },
      webhookSecret: SECRET,
      apiToken: TOKEN,
    });
    expect(c).toMatchObject({
      intake: 'both',
      polled: false,
      hasWebhookSecret: true,
      hasApiToken: true,
      webhookUrl: `https://deskwatch.test/hooks/${c.id}`,
      config: { subdomain: 'acme', apiEmail: 'admin@acme.example', backfillDays: 14 },
    });
    const stored = await env.db.select({ t: connectors.apiToken }).from(connectors);
    expect(stored[0]!.t).not.toContain(TOKEN);
    const rotated = await a.connectors.rotate({ connectorId: c.id, apiToken: 'a-new-api-token' });
    expect(rotated.secretRotatedAt).toBe(env.clock());
    const listed = await a.connectors.list();
    expect(listed[0]).toMatchObject({ intake: 'both', hasApiToken: true, hasWebhookSecret: true });
    expect(JSON.stringify([c, rotated, listed])).not.toMatch(/zendesk-api-token|a-new-api-token/);
    expect((await env.db.select({ t: connectors.apiToken }).from(connectors))[0]!.t).not.toBe(
      stored[0]!.t,
    );
  });

  it('refuses a Zendesk backfill with a malformed e-mail or days, and writes nothing', async () => {
    const a = await admin();
    for (const config of [
      { subdomain: 'acme', apiEmail: 'not an e-mail' },
      { subdomain: 'acme', apiEmail: 'admin@acme.example', backfillDays: -1 },
    ])
      await expect(
        a.connectors.create({
          tool: 'zendesk',
          name: 'Bad',
          config,
          webhookSecret: SECRET,
          apiToken: 'zendesk-api-token',
        }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rows(connectors)).toBe(0);
  });

  it('refuses settings the tool does not accept, and writes nothing', async () => {
    const a = await admin();
    await expect(
      a.connectors.create({ tool: 'zendesk', name: 'Bad', config: { subdomain: 'not a host!' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      a.connectors.create({ tool: 'nosuchtool', name: 'Bad', config: {} }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(a.connectors.rotate({ connectorId: 'abcdefgh12' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await rows(connectors)).toBe(0);
  });

  it('"send a test event" reports success through verification, reading and the apply check', async () => {
    const c = await zendesk();
    const r = await (await admin()).connectors.test({ connectorId: c.id });
    expect(r).toMatchObject({
      ok: true,
      reason: null,
      kind: 'zen:event-type:ticket.status_changed',
    });
    expect(r.updates.length).toBeGreaterThan(0);
    expect(await rows(tickets)).toBe(0);
    expect((await (await admin()).connectors.list())[0]!.health.received).toBe(0);
  });

  it('"send a test event" reports why it would fail when no secret is set', async () => {
    const c = await (
      await admin()
    ).connectors.create({ tool: 'github', name: 'Repos', config: {} });
    const r = await (await admin()).connectors.test({ connectorId: c.id });
    expect(r).toEqual({
      ok: false,
      reason: 'No webhook secret is set for this connector',
      kind: null,
      updates: [],
    });
  });

  it('lists health as webhooks arrive: last event, lag, refusals with their reason', async () => {
    const c = await zendesk();
    const app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'https://deskwatch.test',
      pwaDist: '/nonexistent',
    });
    const body = JSON.stringify({ not: 'signed' });
    const ts = new Date(env.clock()).toISOString();
    const res = await app.request(`/hooks/${c.id}`, {
      method: 'POST',
      headers: {
        'x-zendesk-webhook-signature-timestamp': ts,
        'x-zendesk-webhook-signature': zendeskSignature('the wrong secret', ts, body),
      },
      body,
    });
    expect(res.status).toBe(401);
    const [h] = (await (await admin()).connectors.list()).map((x) => x.health);
    expect(h).toMatchObject({ received: 1, refused: 1, lastErrorAt: env.clock() });
    expect(h!.lastError).toMatch(/^Refused a request: /);
  });

  it('sees only the caller workspace: another workspace admin cannot test or rotate it', async () => {
    const c = await zendesk();
    const b = await env.as(env.b.users.admin.email);
    expect(await b.connectors.list()).toEqual([]);
    await expect(b.connectors.test({ connectorId: c.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      b.connectors.rotate({ connectorId: c.id, webhookSecret: 'taken-over-secret' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await (await admin()).connectors.test({ connectorId: c.id })).ok).toBe(true);
  });
});
