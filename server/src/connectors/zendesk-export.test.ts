import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectors, ticketEvents, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { startFakeZendesk, ZENDESK_USERS, type FakeZendesk } from './fakes/zendesk.js';
import { zendesk } from './zendesk.js';
import { zendeskExport } from './zendesk-export.js';

const MIN = 60_000;
const t = (iso: string) => Date.parse(iso);
const EMAIL = 'api@acme.test';
const TOKEN = 'zendesk-api-token-0123456789abcdef';
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/zendesk-export/${name}`, import.meta.url), 'utf8'));

let env: Awaited<ReturnType<typeof testEnv>>;
let fake: FakeZendesk;
let id: string;
beforeEach(async () => {
  env = await testEnv();
  fake = await startFakeZendesk(EMAIL, TOKEN);
  env.clock.set(t('2026-03-27T09:00:00Z'));
  id = (
    await env.services.connectors.create(env.a.id, {
      tool: 'zendesk',
      name: 'Acme Zendesk',
      config: { subdomain: 'acme', apiEmail: EMAIL, apiBaseUrl: fake.baseUrl, backfillDays: 7 },
      webhookSecret: 'zendesk-signing-secret-0123456789',
      apiToken: TOKEN,
    })
  ).id;
});
afterEach(async () => {
  await fake.close();
  await env.close();
});

const ticketOf = async (n: number) =>
  (
    await env.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.source, 'zendesk'), eq(tickets.externalId, String(n))))
  )[0];
const eventsOf = async (ticketId: string) =>
  (await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)))
    .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type))
    .map((e) => ({ type: e.type, at: new Date(e.at).toISOString(), data: JSON.parse(e.data) }));
const health = async () => (await env.services.connectors.get(env.a.id, id)).health;

describe('Zendesk incremental export (against a local stand-in of its API)', () => {
  it('backfills open tickets and recently solved ones with their audits, then reads changes after its cursor', async () => {
    const a = fake.add(1, t('2026-03-27T07:00:00Z'), { priority: 'high' });
    fake.comment(a, t('2026-03-27T07:10:00Z'));
    fake.set(a, t('2026-03-27T07:10:00Z'), 'status', 'open');
    fake.comment(a, t('2026-03-27T07:20:00Z'), { by: ZENDESK_USERS.customer.id });
    fake.set(a, t('2026-03-27T07:25:00Z'), 'status', 'pending');
    fake.comment(a, t('2026-03-27T07:26:00Z'), { public: false });
    fake.set(a, t('2026-03-27T07:30:00Z'), 'priority', 'urgent');
    const old = fake.add(2, t('2026-03-01T07:00:00Z'));
    fake.set(old, t('2026-03-02T07:00:00Z'), 'status', 'solved');
    const recent = fake.add(3, t('2026-03-24T07:00:00Z'));
    fake.set(recent, t('2026-03-25T07:00:00Z'), 'status', 'solved');
    fake.add(4, t('2025-12-01T07:00:00Z'), { status: 'open' });
    fake.remove(fake.add(5, t('2026-03-26T07:00:00Z')), t('2026-03-26T08:00:00Z'));

    expect((await env.services.poller.tick())[0]).toMatchObject({
      tickets: 3,
      outcome: 'caught-up',
    });
    const ta = (await ticketOf(1))!;
    expect(ta).toMatchObject({
      category: 'pending_customer',
      status: 'Pending',
      priority: 'urgent',
      url: 'https://acme.zendesk.com/agent/tickets/1',
    });
    expect(await eventsOf(ta.id)).toEqual([
      { type: 'created', at: '2026-03-27T07:00:00.000Z', data: {} },
      {
        type: 'message',
        at: '2026-03-27T07:00:00.000Z',
        data: { api: true, author: 'customer', public: true },
      },
      { type: 'priority', at: '2026-03-27T07:00:00.000Z', data: { api: true, priority: 'high' } },
      { type: 'status', at: '2026-03-27T07:00:00.000Z', data: { api: true, category: 'new' } },
      {
        type: 'message',
        at: '2026-03-27T07:10:00.000Z',
        data: { api: true, author: 'agent', public: true },
      },
      { type: 'status', at: '2026-03-27T07:10:00.000Z', data: { api: true, category: 'open' } },
      {
        type: 'message',
        at: '2026-03-27T07:20:00.000Z',
        data: { api: true, author: 'customer', public: true },
      },
      {
        type: 'status',
        at: '2026-03-27T07:25:00.000Z',
        data: { api: true, category: 'pending_customer' },
      },
      {
        type: 'message',
        at: '2026-03-27T07:26:00.000Z',
        data: { api: true, author: 'agent', public: false },
      },
      { type: 'priority', at: '2026-03-27T07:30:00.000Z', data: { api: true, priority: 'urgent' } },
    ]);
    expect((await ticketOf(3))!.category).toBe('solved');
    expect((await ticketOf(4))!.category).toBe('open'); // open, however old
    expect(await ticketOf(2)).toBeUndefined(); // solved before the backfill's 7 days
    expect(await ticketOf(5)).toBeUndefined(); // deleted
    expect((await health()).backfill).toEqual({ phase: 'done', done: 3, total: 3 });
    expect(fake.requests[0]).toContain('start_time=0');

    // After its interval: only what changed since the cursor is read again.
    env.clock.advance(MIN);
    fake.set(a, env.clock(), 'status', 'solved');
    fake.requests.length = 0;
    env.clock.advance(MIN);
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
    expect(fake.requests[0]).toMatch(/cursor=/);
    expect((await ticketOf(1))!.category).toBe('solved');
    expect((await health()).applied).toBe(4);
  });

  it('reads a backfill larger than a page over several pages, resuming from the stored cursor', async () => {
    for (let n = 1; n <= 1005; n++) fake.add(n, t('2026-03-26T00:00:00Z') + n * 1000);
    const [first] = await env.services.poller.tick();
    expect(first).toMatchObject({ tickets: 1005, pages: 2, outcome: 'caught-up' });
    const stored = (await env.db.select().from(connectors).where(eq(connectors.id, id)))[0]!;
    expect(JSON.parse(stored.cursor!).at).toMatchObject({ backfill: false, done: 1005 });
    expect((await env.db.select().from(tickets)).length).toBe(1005);
  }, 120_000);

  it('waits as long as Retry-After says on a 429', async () => {
    fake.add(1, t('2026-03-27T08:00:00Z'));
    fake.failNext.push({ status: 429, headers: { 'retry-after': '60' } });
    expect((await env.services.poller.tick())[0]).toMatchObject({ outcome: 'waiting' });
    env.clock.advance(59_000);
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(1_000);
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
  });

  it('reads the documented export page and audits', async () => {
    const page = await zendeskExport.page(
      {
        config: zendesk.config.parse({ subdomain: 'acme', apiEmail: EMAIL }),
        token: TOKEN,
        agents: [],
        now: t('2026-03-27T09:00:00Z'),
        get: (url, headers) => {
          expect(headers.authorization).toBe(
            `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`,
          );
          return Promise.resolve(
            fixture(url.includes('/audits.json') ? 'audits.json' : 'tickets-cursor.json'),
          );
        },
      },
      zendeskExport.start({ subdomain: 'acme' }, t('2026-03-27T09:00:00Z')),
    );
    expect(page.more).toBe(false);
    expect(page.cursor).toMatchObject({ after: 'MTU3NjYxMzUzOS4wfHw0Njd8', backfill: false });
    const u = page.tickets[0]!.update;
    expect(page.tickets[0]!.deliveryId).toBe('zendesk-35436@2026-03-27T08:15:00Z');
    expect(u.fields).toMatchObject({
      status: 'Pending',
      statusCategory: 'pending_customer',
      priority: 'high',
      requester: 'zendesk:user/20978392',
      assignee: 'zendesk:user/235323',
      requesterOrg: 'zendesk:org/509974',
      tags: ['enterprise', 'other_tag'],
    });
    expect(u.changes.map((c) => [c.type, c.id, new Date(c.at).toISOString()])).toEqual([
      ['created', 'zd:ticket:35436', '2026-03-26T22:55:29.000Z'],
      ['message', '1564245', '2026-03-26T22:55:29.000Z'],
      ['message', '1564250', '2026-03-27T08:05:00.000Z'],
      ['status', 'zd:1564251', '2026-03-27T08:05:00.000Z'],
      ['priority', 'zd:1564252', '2026-03-27T08:05:00.000Z'],
      ['message', '1564260', '2026-03-27T08:15:00.000Z'],
      ['status', 'zd:1564261', '2026-03-27T08:15:00.000Z'],
    ]);
    expect(u.changes.flatMap((c) => (c.type === 'message' ? [c.author] : []))).toEqual([
      'customer',
      'agent',
      'agent',
    ]);
  });
});
