import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GLANCE_METRICS, type MetricsQuery, type TicketSnapshot } from '@deskwatch/shared';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());
const H = 3_600_000;

const QUERIES: Omit<MetricsQuery, 'timeZone'>[] = [
  { period: 'today' },
  { period: '7d' },
  { period: '30d', priorities: ['low'] },
  { period: '30d', tags: ['billing'] },
  { period: 'custom', from: '2026-03-20', to: '2026-04-10', sources: ['demo-desk'] },
];
const ZONES = ['Europe/Amsterdam', 'UTC', 'Asia/Kolkata'];

/** The glance from the rollups equals the glance recomputed from every event log, for each query. */
async function expectRollupsMatchLog() {
  for (const timeZone of ZONES)
    for (const q of QUERIES) {
      const query = { ...q, timeZone } as MetricsQuery;
      const fromRollups = await env.services.metrics.glance(env.a.id, query);
      const fromLog = await env.services.metrics.glanceFromLog(env.a.id, query);
      expect(fromRollups).toEqual(fromLog);
      // The drill-down, found by index in the points, lists what the whole log lists.
      for (const metric of GLANCE_METRICS) {
        const byIndex = (await env.services.metrics.tickets(env.a.id, query, metric)).tickets;
        const fromAll = await env.services.metrics.ticketsFromLog(env.a.id, query, metric);
        expect(sortRows(byIndex), `${metric} ${JSON.stringify(query)}`).toEqual(sortRows(fromAll));
      }
    }
}

/** Rows in one order: tickets tied on the sort key may come in either order. */
const sortRows = <T extends { ticketId: string; at: number | null; note: string | null }>(
  rows: T[],
) =>
  [...rows].sort(
    (a, b) =>
      a.ticketId.localeCompare(b.ticketId) ||
      (a.at ?? 0) - (b.at ?? 0) ||
      (a.note ?? '').localeCompare(b.note ?? ''),
  );

const iso = (ms: number) => new Date(ms).toISOString();
const count = async (sql: string, args: (string | number)[] = []) =>
  Number((await env.client.execute({ sql, args })).rows[0]![0]);

describe('metric rollups', () => {
  it('follow observations, late events, reopenings, policy changes and the passing of time', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const admin = await env.as(env.a.users.admin.email);
    const t0 = Date.parse('2026-03-27T09:00:00Z');
    const customer = (at: number, id: string) => ({
      author: 'customer' as const,
      public: true,
      at: iso(at),
      externalId: id,
    });
    const reply = (at: number, id: string) => ({
      author: 'agent' as const,
      public: true,
      at: iso(at),
      externalId: id,
    });
    const one: TicketSnapshot = snapshot({
      status: 'New',
      statusCategory: 'new',
      tags: ['billing'],
      createdAt: iso(t0 - 2 * H),
      messages: [customer(t0 - 2 * H, 'm1')],
    });
    const two: TicketSnapshot = snapshot({
      externalId: '2',
      url: 'http://127.0.0.1:8787/demo/tickets/2',
      status: 'New',
      statusCategory: 'new',
      priority: 'low',
      assignee: 'Kim',
      createdAt: iso(t0 - H),
      messages: [customer(t0 - H, 'm1')],
    });
    await agent.tickets.observe({ snapshot: one });
    await agent.tickets.observe({ snapshot: two });
    await agent.tickets.observe({
      snapshot: snapshot({ externalId: '3', url: 'http://127.0.0.1:8787/demo/tickets/3' }),
    });
    await expectRollupsMatchLog();

    // A day later: #1 answered and solved; then a page showing a reply made earlier than
    // what was recorded since (a late event).
    env.clock.advance(24 * H);
    const solved = {
      ...one,
      status: 'Solved',
      statusCategory: 'solved' as const,
      messages: [...one.messages, reply(t0 + 20 * H, 'r1')],
      statusChanges: [
        { at: iso(t0 - 2 * H), status: 'New', statusCategory: 'new' as const },
        { at: iso(t0 + 21 * H), status: 'Solved', statusCategory: 'solved' as const },
      ],
    };
    await agent.tickets.observe({ snapshot: solved });
    await agent.tickets.observe({
      snapshot: { ...two, messages: [...two.messages, reply(t0 + 2 * H, 'r1')] },
    });
    // Only the two tickets that changed are derived again, not #3.
    expect(await count('SELECT count(*) FROM metric_dirty')).toBe(2);
    await expectRollupsMatchLog();

    // #1 reopened by the customer two days on.
    env.clock.advance(48 * H);
    await agent.tickets.observe({
      snapshot: {
        ...solved,
        status: 'Open',
        statusCategory: 'open',
        messages: [...solved.messages, customer(t0 + 70 * H, 'm2')],
        statusChanges: [
          ...solved.statusChanges,
          { at: iso(t0 + 70 * H), status: 'Open', statusCategory: 'open' as const },
        ],
      },
    });
    await expectRollupsMatchLog();

    // A stricter policy on office hours: every ticket is derived again.
    const cal = await admin.sla.saveCalendar({
      spec: {
        name: 'Office',
        timeZone: 'Europe/Amsterdam',
        hours: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
        ),
      },
    });
    await admin.sla.savePolicies({
      policies: [
        {
          policy: {
            name: 'Office',
            calendarId: cal.id,
            reopen: 'restart',
            targets: {
              first_response: { high: 30, low: 60 },
              resolution: { high: 120, low: 240 },
            },
          },
        },
      ],
    });
    expect(await count('SELECT count(*) FROM metric_rebuild')).toBe(1);
    // Not rebuilt on the request path: the glance says it is catching up, the scheduler rebuilds.
    const stale = await env.services.metrics.glance(env.a.id, { period: '7d', timeZone: 'UTC' });
    expect(stale.pending).toBeNull();
    expect(await count('SELECT count(*) FROM metric_rebuild')).toBe(1);
    await env.services.scheduler.pass();
    expect(await count('SELECT count(*) FROM metric_rebuild')).toBe(0);
    expect(await count('SELECT count(*) FROM metric_dirty')).toBe(0);
    await expectRollupsMatchLog();

    // Days pass with no event: running clocks breach by themselves, nothing is derived.
    env.clock.advance(5 * 24 * H);
    expect(await count('SELECT count(*) FROM metric_dirty')).toBe(0);
    await expectRollupsMatchLog();
    const g = await env.services.metrics.glance(env.a.id, { period: '30d', timeZone: 'UTC' });
    expect(g.cards.find((c) => c.metric === 'breaches')!.value).toBeGreaterThan(0);
  });

  it('keep each workspace to itself', async () => {
    const agentA = await env.as(env.a.users.agent.email, 'token');
    const agentB = await env.as(env.b.users.agent.email, 'token');
    await agentA.tickets.observe({ snapshot: snapshot() });
    await agentB.tickets.observe({ snapshot: snapshot({ externalId: '9' }) });
    await agentB.tickets.observe({ snapshot: snapshot({ externalId: '10' }) });
    const q = { period: '7d', timeZone: 'UTC' } as const;
    const created = async (ws: string) =>
      (await env.services.metrics.glance(ws, q)).cards.find((c) => c.metric === 'created')!.value;
    expect(await created(env.a.id)).toBe(1);
    expect(await created(env.b.id)).toBe(2);
    expect(
      await count(
        'SELECT count(*) FROM metric_points WHERE workspace_id = ? AND ticket_id IN (SELECT id FROM tickets WHERE workspace_id = ?)',
        [env.a.id, env.b.id],
      ),
    ).toBe(0);
  });
});
