import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectors, ticketEvents, tickets } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';
import { startFakeRedmine, type FakeRedmine } from './fakes/redmine.js';
import { MAX_BACKOFF_MS, POLL_LEASE_MS } from './poller.js';
import { retryAfterMs } from './poll-source.js';

const TOKEN = 'redmine-api-key-for-tests-0123456789';
const MIN = 60_000;
const HOUR = 3_600_000;
const t = (iso: string) => Date.parse(iso);

let env: Awaited<ReturnType<typeof testEnv>>;
let fake: FakeRedmine;
let id: string;
beforeEach(async () => {
  env = await testEnv();
  fake = await startFakeRedmine(TOKEN);
  env.clock.set(t('2026-03-27T09:00:00Z'));
  // Redmine marks no one as staff: the workspace's agent list says who is.
  await env.services.agents.setAliases(env.a.id, env.a.users.agent.userId, [
    { tool: 'redmine', name: 'Alice Agent' },
  ]);
  const c = await env.services.connectors.create(env.a.id, {
    tool: 'redmine',
    name: 'Acme Redmine',
    config: { baseUrl: fake.baseUrl, backfillDays: 7, pollSeconds: 60 },
    apiToken: TOKEN,
  });
  id = c.id;
});
afterEach(async () => {
  await fake.close();
  await env.close();
});

const ticketOf = async (externalId: number) =>
  (
    await env.db
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.workspaceId, env.a.id),
          eq(tickets.source, 'redmine'),
          eq(tickets.externalId, String(externalId)),
        ),
      )
  )[0];
const eventsOf = async (ticketId: string) =>
  (await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)))
    .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type))
    .map((e) => ({ type: e.type, at: new Date(e.at).toISOString(), data: JSON.parse(e.data) }));
const row = async () => (await env.db.select().from(connectors).where(eq(connectors.id, id)))[0]!;
const health = async () => (await env.services.connectors.get(env.a.id, id)).health;

describe('Redmine poller (against a fake serving Redmine’s JSON)', () => {
  it('backfills open issues and recently closed ones with their history, then reads changes', async () => {
    fake.add(1, t('2026-03-27T07:00:00Z'), { priorityId: 4 }); // urgent, open
    fake.change(1, t('2026-03-27T07:10:00Z'), { notes: 'On it', statusId: 2 }); // agent reply
    fake.change(1, t('2026-03-27T07:30:00Z'), {
      user: 'Dana Customer',
      notes: 'Still down',
    });
    fake.change(1, t('2026-03-27T07:40:00Z'), { notes: 'internal', private: true });
    fake.add(2, t('2026-03-20T07:00:00Z'));
    fake.change(2, t('2026-03-25T07:00:00Z'), { statusId: 5 }); // closed 2 days ago: read
    fake.add(3, t('2026-03-01T07:00:00Z'));
    fake.change(3, t('2026-03-02T07:00:00Z'), { statusId: 5 }); // closed 25 days ago: not read

    const [first] = await env.services.poller.tick();
    expect(first).toMatchObject({ connectorId: id, tickets: 2, outcome: 'caught-up' });
    const one = (await ticketOf(1))!;
    expect(one).toMatchObject({ category: 'open', priority: 'urgent', statusKnownFrom: null });
    expect(await eventsOf(one.id)).toEqual([
      { type: 'created', at: '2026-03-27T07:00:00.000Z', data: {} },
      // Read from the tool's history (`api`): where a page disagrees on a time, these win.
      { type: 'priority', at: '2026-03-27T07:00:00.000Z', data: { priority: 'urgent', api: true } },
      { type: 'status', at: '2026-03-27T07:00:00.000Z', data: { category: 'new', api: true } },
      {
        type: 'message',
        at: '2026-03-27T07:10:00.000Z',
        data: { author: 'agent', public: true, api: true },
      },
      { type: 'status', at: '2026-03-27T07:10:00.000Z', data: { category: 'open', api: true } },
      {
        type: 'message',
        at: '2026-03-27T07:30:00.000Z',
        data: { author: 'customer', public: true, api: true },
      },
      {
        type: 'message',
        at: '2026-03-27T07:40:00.000Z',
        data: { author: 'agent', public: false, api: true },
      },
    ]);
    const sla = (await env.services.tickets.get(env.a.id, one.id))!.sla;
    expect(sla.targets.find((x) => x.metric === 'first_response')).toMatchObject({
      status: 'met',
    });
    expect((await ticketOf(2))!.category).toBe('closed');
    expect(await ticketOf(3)).toBeUndefined();
    expect((await health()).backfill).toEqual({ phase: 'done', done: 2, total: 2 });

    // Not due before its interval.
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(MIN);
    fake.change(1, env.clock(), { statusId: 3 }); // resolved after connect
    const [second] = await env.services.poller.tick();
    expect(second).toMatchObject({ tickets: 1, outcome: 'caught-up' });
    expect((await ticketOf(1))!.category).toBe('solved');
    // Read again (updated_on >= the last one), the same version applies once.
    env.clock.advance(MIN);
    await env.services.poller.tick();
    expect((await eventsOf(one.id)).filter((e) => e.type === 'status')).toHaveLength(3);
    expect(await health()).toMatchObject({ quarantined: 0, failures: 0 });
  });

  it('merges with what the issue page showed: each fact seen both ways is one event', async () => {
    fake.add(1, t('2026-03-27T07:00:00Z'), { priorityId: 4 });
    const j = fake.change(1, t('2026-03-27T07:10:00Z'), { notes: 'On it', statusId: 2 });
    // What the extension's Redmine adapter reads off the issue page: its journals' ids.
    const page = snapshot({
      source: 'redmine',
      externalId: '1',
      url: `${fake.baseUrl}/issues/1`,
      subject: 'Issue 1',
      status: 'In Progress',
      statusCategory: 'open',
      priority: 'urgent',
      requester: 'Dana Customer',
      createdAt: '2026-03-27T07:00:00.000Z',
      statusChanges: [
        { at: '2026-03-27T07:00:00.000Z', status: 'New', statusCategory: 'new' },
        {
          externalId: `change-${j.id}:status`,
          at: '2026-03-27T07:10:00.000Z',
          status: 'In Progress',
          statusCategory: 'open',
        },
      ],
      statusHistoryComplete: true,
      priorityChanges: [{ at: '2026-03-27T07:00:00.000Z', priority: 'urgent' }],
      messages: [
        {
          externalId: `change-${j.id}`,
          author: 'agent',
          public: true,
          at: '2026-03-27T07:10:00.000Z',
        },
      ],
    });
    const agent = env.a.users.agent.userId;
    await env.services.tickets.observe(env.a.id, page, {
      key: `user:${agent}`,
      userId: agent,
      tokenId: null,
    });
    const one = (await ticketOf(1))!;
    const before = await eventsOf(one.id);
    expect(before).toHaveLength(5);
    await env.services.poller.tick();
    // The same events at the same times, now known from the tool's history as well.
    const after = await eventsOf(one.id);
    expect(after.map(({ data: { api: _, ...data }, ...e }) => ({ ...e, data }))).toEqual(before);
    expect(after.filter((e) => e.type !== 'created').every((e) => e.data.api === true)).toBe(true);
    expect(await health()).toMatchObject({ applied: 1, quarantined: 0 });
  });

  it('waits as long as Retry-After says, then goes on', async () => {
    fake.add(1, t('2026-03-27T08:00:00Z'));
    fake.failNext.push({ status: 429, headers: { 'retry-after': '120' } });
    const [limited] = await env.services.poller.tick();
    expect(limited).toMatchObject({ outcome: 'waiting', tickets: 0 });
    expect((await row()).pollNotBefore).toBe(env.clock() + 120_000);
    expect((await health()).lastError).toMatch(/rate limited: retry in 120 s/);
    env.clock.advance(119_000);
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(1_000);
    expect((await env.services.poller.tick())[0]).toMatchObject({
      outcome: 'caught-up',
      tickets: 1,
    });
  });

  it('backs off longer after each failure, up to an hour, and resets once it works', async () => {
    fake.add(1, t('2026-03-27T08:00:00Z'));
    const waits: number[] = [];
    for (let k = 0; k < 8; k++) {
      fake.failNext.push({ status: 500 });
      const before = env.clock();
      expect((await env.services.poller.tick())[0]).toMatchObject({ outcome: 'waiting' });
      waits.push((await row()).pollNotBefore! - before);
      env.clock.set((await row()).pollNotBefore!);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 60, 60, 60].map((m) => m * MIN));
    expect(waits.at(-1)).toBe(MAX_BACKOFF_MS);
    expect((await health()).failures).toBe(8);
    expect((await env.services.poller.tick())[0]).toMatchObject({ outcome: 'caught-up' });
    expect((await row()).pollNotBefore).toBe(env.clock() + MIN);
  });

  it('is polled by one instance at a time', async () => {
    for (let i = 1; i <= 30; i++) fake.add(i, t('2026-03-27T08:00:00Z'));
    const other = await env.secondInstance();
    const outcomes = (await Promise.all([env.services.poller.tick(), other.poller.tick()])).flat();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ tickets: 30, outcome: 'caught-up' });
    // Each issue list was asked for once: nobody read the same page in parallel.
    expect(fake.requests.filter((r) => r.startsWith('/issues.json'))).toHaveLength(2);
  });

  it('resumes a backfill stopped midway, on another instance, without duplicates', async () => {
    for (let i = 1; i <= 250; i++) {
      fake.add(i, t('2026-03-26T08:00:00Z') + i * MIN, { priorityId: 3 });
      fake.change(i, t('2026-03-26T08:00:00Z') + i * MIN + 5 * MIN, { notes: 'Looking' });
    }
    // The second page of open issues fails: the first is applied and its cursor stored.
    fake.failNext.push({ status: 502, path: /^\/issues\.json\?.*issue_id=%3E%3D101/ });
    expect((await env.services.poller.tick())[0]).toMatchObject({
      outcome: 'waiting',
      pages: 1,
      tickets: 100,
    });
    expect((await health()).backfill).toEqual({ phase: 'open', done: 100, total: 250 });

    // This instance is gone; another one, on the same database, takes over once due.
    env.clock.set((await row()).pollNotBefore!);
    const other = await env.secondInstance();
    expect((await other.poller.tick())[0]).toMatchObject({ outcome: 'caught-up', tickets: 150 });
    expect((await health()).backfill).toEqual({ phase: 'done', done: 250, total: 250 });
    const all = await env.db.select().from(tickets).where(eq(tickets.source, 'redmine'));
    expect(all).toHaveLength(250);
    const events = await env.db.select().from(ticketEvents);
    // created, priority, initial status, one message: each once.
    expect(events).toHaveLength(250 * 4);
    expect(await health()).toMatchObject({ applied: 250, duplicates: 0 });
  });

  it('takes over a connector whose poller died holding it, once its lease has run out', async () => {
    fake.add(1, t('2026-03-27T08:00:00Z'));
    // As if another instance had claimed it a moment ago and then died.
    await env.db
      .update(connectors)
      .set({ pollNotBefore: env.clock() + POLL_LEASE_MS })
      .where(eq(connectors.id, id));
    expect(await env.services.poller.tick()).toEqual([]);
    env.clock.advance(POLL_LEASE_MS);
    expect((await env.services.poller.tick())[0]).toMatchObject({ tickets: 1 });
  });

  it('polls only enabled connectors with a token, each with its own workspace', async () => {
    fake.add(1, t('2026-03-27T08:00:00Z'));
    await env.services.connectors.update(env.a.id, id, { enabled: false });
    expect(await env.services.poller.tick()).toEqual([]);
    await env.services.connectors.update(env.a.id, id, { enabled: true });
    await env.services.poller.tick();
    expect(await ticketOf(1)).toBeDefined();
    const inB = await env.db.select().from(tickets).where(eq(tickets.workspaceId, env.b.id));
    expect(inB).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = t('2026-03-27T09:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Fri, 27 Mar 2026 09:02:00 GMT', now)).toBe(2 * MIN);
    expect(retryAfterMs('Fri, 27 Mar 2026 08:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    void HOUR;
  });
});
