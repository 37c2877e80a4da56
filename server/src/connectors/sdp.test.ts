import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { startFakeSdp } from './fakes/sdp.js';

const MIN = 60_000;
const t = (iso: string) => Date.parse(iso);
const TOKEN = 'sdp-technician-key-0123456789';
const HEATHER = { name: 'Heather Graham', email_id: 'heather@acme.test' };
const SHAWN = { name: 'Shawn Adams', email_id: 'shawn@acme.test' };

let env: Awaited<ReturnType<typeof testEnv>>;
let fake: Awaited<ReturnType<typeof startFakeSdp>>;
beforeEach(async () => {
  env = await testEnv();
  fake = await startFakeSdp(TOKEN);
  env.clock.set(t('2026-03-27T09:00:00Z'));
  await env.services.agents.setAliases(env.a.id, env.a.users.agent.userId, [
    { tool: 'servicedesk-plus', email: 'heather@acme.test' },
  ]);
  await env.services.connectors.create(env.a.id, {
    tool: 'sdp',
    name: 'Acme ServiceDesk Plus',
    config: { baseUrl: fake.baseUrl, backfillDays: 7 },
    apiToken: TOKEN,
  });
});
afterEach(async () => {
  await fake.close();
  await env.close();
});

const ticketOf = async (id: string) =>
  (
    await env.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.source, 'servicedesk-plus'), eq(tickets.externalId, id)))
  )[0];
const eventsOf = async (ticketId: string) =>
  (await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)))
    .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type))
    .map((e) => ({
      type: e.type,
      at: new Date(e.at).toISOString(),
      data: JSON.parse(e.data),
    }));

describe('ServiceDesk Plus poller (against a fake API v3)', () => {
  it('backfills open and recently closed requests with notes and history, then reads changes', async () => {
    const a = fake.add(t('2026-03-27T07:00:00Z'), { priority: 'High' });
    fake.note(a, t('2026-03-27T07:10:00Z'), HEATHER, true);
    fake.set(a, t('2026-03-27T07:10:00Z'), 'status', 'In Progress');
    fake.note(a, t('2026-03-27T07:20:00Z'), SHAWN, true);
    fake.note(a, t('2026-03-27T07:25:00Z'), HEATHER, false);
    fake.set(a, t('2026-03-27T07:30:00Z'), 'priority', 'Urgent');
    const b = fake.add(t('2026-03-24T07:00:00Z'));
    fake.set(b, t('2026-03-25T07:00:00Z'), 'status', 'Closed');
    const old = fake.add(t('2026-03-01T07:00:00Z'));
    fake.set(old, t('2026-03-02T07:00:00Z'), 'status', 'Closed');
    for (let i = 0; i < 110; i++) fake.add(t('2026-03-26T07:00:00Z') + i * MIN);

    expect((await env.services.poller.tick())[0]).toMatchObject({
      tickets: 112,
      outcome: 'caught-up',
    });
    const ta = (await ticketOf(a.id))!;
    expect(ta).toMatchObject({
      category: 'open',
      priority: 'urgent',
      url: `${fake.baseUrl}/ui/requests/${a.id}/details`,
    });
    expect(await eventsOf(ta.id)).toEqual([
      { type: 'created', at: '2026-03-27T07:00:00.000Z', data: {} },
      {
        type: 'priority',
        at: '2026-03-27T07:00:00.000Z',
        data: { api: true, priority: 'high' },
      },
      {
        type: 'status',
        at: '2026-03-27T07:00:00.000Z',
        data: { api: true, category: 'open' },
      },
      {
        type: 'message',
        at: '2026-03-27T07:10:00.000Z',
        data: { api: true, author: 'agent', public: true },
      },
      {
        type: 'status',
        at: '2026-03-27T07:10:00.000Z',
        data: { api: true, category: 'open' },
      },
      {
        type: 'message',
        at: '2026-03-27T07:20:00.000Z',
        data: { api: true, author: 'customer', public: true },
      },
      {
        type: 'message',
        at: '2026-03-27T07:25:00.000Z',
        data: { api: true, author: 'agent', public: false },
      },
      {
        type: 'priority',
        at: '2026-03-27T07:30:00.000Z',
        data: { api: true, priority: 'urgent' },
      },
    ]);
    expect((await ticketOf(b.id))!.category).toBe('closed');
    expect(await ticketOf(old.id)).toBeUndefined();

    env.clock.advance(MIN);
    fake.set(a, env.clock(), 'status', 'Resolved');
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
    expect((await ticketOf(a.id))!.category).toBe('solved');
  });

  it('waits as long as Retry-After says on a 429', async () => {
    fake.add(t('2026-03-27T08:00:00Z'));
    fake.failNext.push({ status: 429, headers: { 'retry-after': '45' } });
    expect((await env.services.poller.tick())[0]).toMatchObject({
      outcome: 'waiting',
    });
    env.clock.advance(44_000);
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(1_000);
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
  });
});
