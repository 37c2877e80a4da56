import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { startFakeServiceNow } from './fakes/servicenow.js';

const MIN = 60_000;
const t = (iso: string) => Date.parse(iso);

let env: Awaited<ReturnType<typeof testEnv>>;
let fake: Awaited<ReturnType<typeof startFakeServiceNow>>;
let id: string;
beforeEach(async () => {
  env = await testEnv();
  fake = await startFakeServiceNow('deskwatch.integration', 'integration-password');
  env.clock.set(t('2026-03-27T09:00:00Z'));
  await env.services.agents.setAliases(env.a.id, env.a.users.agent.userId, [
    { tool: 'servicenow', name: 'beth.anglin' },
  ]);
  id = (
    await env.services.connectors.create(env.a.id, {
      tool: 'servicenow',
      name: 'Acme ServiceNow',
      config: { baseUrl: fake.baseUrl, backfillDays: 7 },
      apiToken: 'deskwatch.integration:integration-password',
    })
  ).id;
});
afterEach(async () => {
  await fake.close();
  await env.close();
});

const ticketOf = async (sysId: string) =>
  (
    await env.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.source, 'servicenow'), eq(tickets.externalId, sysId)))
  )[0];
const eventsOf = async (ticketId: string) =>
  (await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)))
    .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type))
    .map((e) => ({ type: e.type, at: new Date(e.at).toISOString(), data: JSON.parse(e.data) }));

describe('ServiceNow poller (against a fake Table API)', () => {
  it('backfills open incidents and recently closed ones with comments, work notes and audited changes', async () => {
    const a = fake.add(t('2026-03-27T07:00:00Z'), { priority: '1' }); // critical: urgent
    fake.note(a, t('2026-03-27T07:05:00Z'), 'work_notes', 'beth.anglin');
    fake.note(a, t('2026-03-27T07:10:00Z'), 'comments', 'beth.anglin');
    fake.set(a, t('2026-03-27T07:10:00Z'), 'state', '2');
    fake.note(a, t('2026-03-27T07:20:00Z'), 'comments', 'abel.tuter');
    fake.set(a, t('2026-03-27T07:30:00Z'), 'state', '3'); // on hold
    const b = fake.add(t('2026-03-24T07:00:00Z'));
    fake.set(b, t('2026-03-25T07:00:00Z'), 'state', '7'); // closed 2 days ago
    const old = fake.add(t('2026-03-01T07:00:00Z'));
    fake.set(old, t('2026-03-02T07:00:00Z'), 'state', '7'); // closed long ago: not read
    // More than a page of open ones: paging by sysparm_offset.
    for (let i = 0; i < 120; i++) fake.add(t('2026-03-26T07:00:00Z') + i * MIN);

    const [out] = await env.services.poller.tick();
    expect(out).toMatchObject({ tickets: 122, outcome: 'caught-up' });
    const ta = (await ticketOf(a.sys_id!))!;
    expect(ta).toMatchObject({
      category: 'on_hold',
      priority: 'urgent',
      url: `${fake.baseUrl}/incident.do?sys_id=${a.sys_id}`,
      statusKnownFrom: null,
    });
    expect(await eventsOf(ta.id)).toEqual([
      { type: 'created', at: '2026-03-27T07:00:00.000Z', data: {} },
      { type: 'priority', at: '2026-03-27T07:00:00.000Z', data: { api: true, priority: 'urgent' } },
      { type: 'status', at: '2026-03-27T07:00:00.000Z', data: { api: true, category: 'new' } },
      {
        type: 'message',
        at: '2026-03-27T07:05:00.000Z',
        data: { api: true, author: 'agent', public: false },
      },
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
      { type: 'status', at: '2026-03-27T07:30:00.000Z', data: { api: true, category: 'on_hold' } },
    ]);
    expect((await ticketOf(b.sys_id!))!.category).toBe('closed');
    expect(await ticketOf(old.sys_id!)).toBeUndefined();
    const h = (await env.services.connectors.get(env.a.id, id)).health;
    expect(h.backfill).toEqual({ phase: 'done', done: 122, total: 122 });

    // After connect: a change is read from the sys_updated_on cursor, once.
    env.clock.advance(MIN);
    fake.set(a, env.clock(), 'state', '6');
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
    expect((await ticketOf(a.sys_id!))!.category).toBe('solved');
    env.clock.advance(MIN);
    await env.services.poller.tick();
    expect((await eventsOf(ta.id)).filter((e) => e.type === 'status')).toHaveLength(4);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    fake.add(t('2026-03-27T08:00:00Z'));
    fake.failNext.push({ status: 429, headers: { 'retry-after': '30' } });
    expect((await env.services.poller.tick())[0]).toMatchObject({ outcome: 'waiting' });
    env.clock.advance(29_000);
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(1_000);
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
  });
});
