import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { metricTargets } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());
const MIN = 60_000;
const today = { period: 'today', timeZone: 'UTC' } as const;

/**
 * Two tickets in Alpha observed at 09:00 (Fri 27 March 2026, UTC; default policy, 24x7): #1 high
 * (first response 1 h, resolution 8 h), asked 08:40, answered 08:50, assigned to Kim; #2 low
 * (first response 8 h, due 16:00, warned at 50%: 12:00), asked 08:00, unanswered. Beta has one
 * more ticket, answered in 1 min, that must never count in Alpha. Queried at 10:00.
 */
// Seen still new: their status is known since creation (an open one first seen has no history).
const NEW = { status: 'New', statusCategory: 'new' } as const;

async function seed() {
  const agentA = await env.as(env.a.users.agent.email, 'token');
  const agentB = await env.as(env.b.users.agent.email, 'token');
  const reply = (at: string) => ({ author: 'agent' as const, public: true, at, externalId: 'r' });
  await agentA.tickets.observe({
    snapshot: snapshot({
      ...NEW,
      assignee: 'Kim',
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        reply('2026-03-27T08:50:00.000Z'),
      ],
    }),
  });
  await agentA.tickets.observe({
    snapshot: snapshot({
      ...NEW,
      externalId: '2',
      url: 'http://127.0.0.1:8787/demo/tickets/2',
      subject: 'Printer on fire',
      priority: 'low',
      createdAt: '2026-03-27T08:00:00.000Z',
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:00:00.000Z', externalId: 'm1' },
      ],
    }),
  });
  await agentB.tickets.observe({
    snapshot: snapshot({
      ...NEW,
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        reply('2026-03-27T08:41:00.000Z'),
      ],
    }),
  });
  env.clock.set(Date.parse('2026-03-27T10:00:00Z'));
}

describe('metrics.glance', () => {
  it("computes a manager's cards from the workspace's event log (hand-computed)", async () => {
    await seed();
    const manager = await env.as(env.a.users.manager.email);
    const g = await manager.metrics.glance(today);
    const card = (m: string) => g.cards.find((c) => c.metric === m)!;
    expect(g.from).toBe(Date.parse('2026-03-27T00:00:00Z'));
    expect(g.asOf).toBe(Date.parse('2026-03-27T10:00:00Z'));
    expect(card('first_response')).toMatchObject({ value: 10 * MIN, previous: null });
    // #2 has used 2 h of its 8: neither breached nor at risk.
    expect(card('at_risk').value).toBe(0);
    expect(card('breaches').value).toBe(0);
    expect(card('created').value).toBe(2);
    expect(card('backlog').value).toBe(2);
    expect(card('compliance').detail).toMatchObject({ met: 1, count: 1 });
    expect(card('created').series).toEqual([{ day: '2026-03-27', value: 2 }]);
  });

  it('filters by priority and source', async () => {
    await seed();
    const manager = await env.as(env.a.users.manager.email);
    const low = await manager.metrics.glance({ ...today, priorities: ['low'] });
    expect(low.cards.find((c) => c.metric === 'created')!.value).toBe(1);
    expect(low.cards.find((c) => c.metric === 'first_response')!.value).toBeNull();
    const none = await manager.metrics.glance({ ...today, sources: ['zendesk'] });
    expect(none.cards.find((c) => c.metric === 'created')!.value).toBe(0);
  });

  it("never counts another workspace's tickets", async () => {
    await seed();
    const managerB = await env.as(env.b.users.manager.email);
    const g = await managerB.metrics.glance(today);
    expect(g.cards.find((c) => c.metric === 'created')!.value).toBe(1);
    expect(g.cards.find((c) => c.metric === 'first_response')!.value).toBe(MIN);
    const list = await managerB.metrics.tickets({ query: today, metric: 'created' });
    expect(list.tickets.map((t) => t.subject)).toEqual(['Cannot log in']);
  });

  it('refuses agents', async () => {
    await seed();
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.metrics.glance(today)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agent.metrics.tickets({ query: today, metric: 'backlog' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('rejects a custom period without dates or longer than a year', async () => {
    const manager = await env.as(env.a.users.manager.email);
    for (const bad of [
      { period: 'custom', timeZone: 'UTC' },
      { period: 'custom', from: '2026-03-02', to: '2026-03-01', timeZone: 'UTC' },
      { period: 'custom', from: '2025-01-01', to: '2026-03-01', timeZone: 'UTC' },
      { period: '7d', timeZone: 'Mars/Olympus' },
      { period: '7d', timeZone: 'UTC', group: 'x' },
    ])
      await expect(manager.metrics.glance(bad as never)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
  });
});

describe('metrics.tickets', () => {
  it('lists the tickets behind a number with their link, subject and assignee', async () => {
    await seed();
    const manager = await env.as(env.a.users.manager.email);
    const fr = await manager.metrics.tickets({ query: today, metric: 'first_response' });
    expect(fr.tickets).toEqual([
      expect.objectContaining({
        externalId: '1',
        url: 'http://127.0.0.1:8787/demo/tickets/1',
        subject: 'Cannot log in',
        assignee: 'Kim',
        businessMs: 10 * MIN,
        calendarMs: 10 * MIN,
      }),
    ]);
    env.clock.set(Date.parse('2026-03-27T12:30:00Z')); // #2 past its warning; #1's resolution not yet (12:40)
    const risk = await manager.metrics.tickets({ query: today, metric: 'at_risk' });
    expect(risk.tickets).toEqual([
      expect.objectContaining({
        externalId: '2',
        note: 'first_response',
        at: Date.parse('2026-03-27T16:00:00Z'),
        calendarMs: 210 * MIN,
      }),
    ]);
    // The glance carries the same queue, from the same reading of the logs.
    expect((await manager.metrics.glance(today)).atRisk).toEqual(risk.tickets);
    const backlog = await manager.metrics.tickets({ query: today, metric: 'backlog' });
    expect(backlog.tickets.map((t) => t.externalId).sort()).toEqual(['1', '2']);
  });
});

describe('metrics.setTarget', () => {
  it("sets a target the glance shows, for the manager's workspace only", async () => {
    await seed();
    const manager = await env.as(env.a.users.manager.email);
    await manager.metrics.setTarget({ metric: 'first_response', value: 30 * MIN });
    await manager.metrics.setTarget({ metric: 'compliance', value: 0.95 });
    const g = await manager.metrics.glance(today);
    expect(g.cards.find((c) => c.metric === 'first_response')!.target).toBe(30 * MIN);
    expect(g.cards.find((c) => c.metric === 'compliance')!.target).toBe(0.95);
    const managerB = await env.as(env.b.users.manager.email);
    const gb = await managerB.metrics.glance(today);
    expect(gb.cards.every((c) => c.target === null)).toBe(true);
    expect(await manager.metrics.setTarget({ metric: 'compliance', value: null })).toEqual({
      first_response: 30 * MIN,
    });
  });

  it('rejects a bad target and writes nothing; agents may not set one', async () => {
    const manager = await env.as(env.a.users.manager.email);
    await expect(
      manager.metrics.setTarget({ metric: 'compliance', value: 1.5 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      manager.metrics.setTarget({ metric: 'nope' as never, value: 1 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.metrics.setTarget({ metric: 'backlog', value: 3 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const [{ n }] = (await env.db.select({ n: count() }).from(metricTargets)) as [{ n: number }];
    expect(n).toBe(0);
  });
});
