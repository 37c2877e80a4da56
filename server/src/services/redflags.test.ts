import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RED_FLAG_RULES, type RedFlagRules } from '@deskwatch/shared';
import { offlinePush, OFFLINE_PUSH_HOST, pushSubscriptionFor } from '../testing-procedures.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv(offlinePush)));
afterEach(() => env.close());

// The clock starts Fri 27 March 2026 09:00 UTC.
const NEW = { status: 'New', statusCategory: 'new' } as const;
const rules = (patch: Partial<RedFlagRules>): RedFlagRules => ({
  ...DEFAULT_RED_FLAG_RULES,
  ...patch,
});

async function manager(ws: 'a' | 'b' = 'a') {
  const m = await env.as(env[ws].users.manager.email);
  await m.push.subscribe(pushSubscriptionFor(`https://${OFFLINE_PUSH_HOST}/push/${ws}-manager`));
  return m;
}
const observe = async (ws: 'a' | 'b', over: Parameters<typeof snapshot>[0]) =>
  (await env.as(env[ws].users.agent.email, 'token')).tickets.observe({ snapshot: snapshot(over) });

/** The red-flag pushes queued, per workspace. */
async function flagPushes(workspaceId: string) {
  const rs = await env.client.execute({
    sql: "SELECT payload_json FROM push_outbox WHERE kind = 'red_flag' AND workspace_id = ? ORDER BY created_at",
    args: [workspaceId],
  });
  return rs.rows.map((r) => JSON.parse(String(r[0])) as { title: string; flagId: string });
}

describe('red flags', () => {
  it('raises aging tickets once per occurrence, clears it when it ends, and raises the next', async () => {
    const m = await manager();
    await manager('b');
    // Alpha #1 created 3 days ago; Beta has an older one that must never count in Alpha.
    await observe('a', { ...NEW, createdAt: '2026-03-24T08:00:00.000Z', messages: [] });
    await observe('b', { ...NEW, createdAt: '2026-03-20T08:00:00.000Z', messages: [] });
    const saved = await m.flags.setRules(rules({ aging_tickets: { enabled: true, days: 2 } }));
    expect(saved.raised).toBe(1);
    const [flag] = await m.flags.list();
    expect(flag).toMatchObject({
      rule: 'aging_tickets',
      title: '1 ticket open over 2 days',
      // 27 Mar 09:00 - 24 Mar 08:00 = 3 days 1 h.
      numbers: { tickets: 1, days: 2, oldestDays: 3 },
      raisedAt: env.clock(),
      clearedAt: null,
    });
    expect((await flagPushes(env.a.id)).map((p) => p.title)).toEqual([
      'Red flag: 1 ticket open over 2 days',
    ]);

    // Evaluated again (another tick, another instance): the same occurrence, no second push.
    env.clock.set(env.clock() + 20 * 60_000);
    expect(await env.services.redFlags.evaluateDue()).toBe(0);
    expect(await (await env.secondInstance()).redFlags.evaluate(env.a.id)).toEqual([]);
    expect(await flagPushes(env.a.id)).toHaveLength(1);

    // Solved: the occurrence ends.
    await observe('a', {
      status: 'Solved',
      statusCategory: 'solved',
      createdAt: '2026-03-24T08:00:00.000Z',
      messages: [],
    });
    await env.services.redFlags.evaluate(env.a.id);
    expect((await m.flags.list())[0]!.clearedAt).toBe(env.clock());

    // Another ticket ages past the threshold: a new occurrence, a new push.
    await observe('a', {
      ...NEW,
      externalId: '2',
      url: 'http://127.0.0.1:8787/demo/tickets/2',
      createdAt: '2026-03-25T08:00:00.000Z',
      messages: [],
    });
    expect(await env.services.redFlags.evaluate(env.a.id)).toHaveLength(1);
    expect(await flagPushes(env.a.id)).toHaveLength(2);
    expect(await m.flags.list()).toHaveLength(2);
    // Beta never had rules turned on: nothing raised there.
    expect(await flagPushes(env.b.id)).toEqual([]);
    expect(await (await env.as(env.b.users.manager.email)).flags.list()).toEqual([]);
  });

  it('is evaluated by the scheduler on its clock: a ticket that ages raises the flag later', async () => {
    const m = await manager();
    // Created 27 March 08:00; the threshold is 2 days: it ages at 29 March 08:00.
    await observe('a', { ...NEW, createdAt: '2026-03-27T08:00:00.000Z', messages: [] });
    expect(
      (await m.flags.setRules(rules({ aging_tickets: { enabled: true, days: 2 } }))).raised,
    ).toBe(0);
    env.clock.set(Date.parse('2026-03-29T07:59:00Z'));
    expect(await env.services.redFlags.evaluateDue()).toBe(0);
    // Evaluated at most every 10 minutes: 08:05 is too soon after 07:59.
    env.clock.set(Date.parse('2026-03-29T08:05:00Z'));
    expect(await env.services.redFlags.evaluateDue()).toBe(0);
    env.clock.set(Date.parse('2026-03-29T08:09:00Z'));
    expect(await env.services.redFlags.evaluateDue()).toBe(1);
    expect(await flagPushes(env.a.id)).toHaveLength(1);
  });

  it('raises backlog rising from the end-of-day backlog (hand-computed)', async () => {
    const m = await manager();
    // One new ticket a day, 23..26 March, none solved: backlog at the end of 21..26 March is
    // 0, 0, 1, 2, 3, 4; today (27th) is not complete and is left out. Rising 4 days from the 22nd.
    for (const [i, day] of ['23', '24', '25', '26'].entries())
      await observe('a', {
        ...NEW,
        externalId: `b${i}`,
        url: `http://127.0.0.1:8787/demo/tickets/b${i}`,
        createdAt: `2026-03-${day}T10:00:00.000Z`,
        messages: [],
      });
    await m.flags.setRules(rules({ backlog_rising: { enabled: true, days: 5 } }));
    expect(await m.flags.list()).toEqual([]);
    await m.flags.setRules(rules({ backlog_rising: { enabled: true, days: 4 } }));
    expect((await m.flags.list())[0]).toMatchObject({
      rule: 'backlog_rising',
      title: 'Backlog rising 4 days in a row: 0 to 4',
      numbers: { days: 4, from: 0, to: 4, since: '2026-03-22' },
    });
  });

  it('raises a spiking tag against the previous 7 days (hand-computed)', async () => {
    const m = await manager();
    // Last 7 days (21 Mar 00:00 to now): printer x3, vpn x1. The 7 before: printer x1, vpn x1.
    const mk = async (n: string, day: string, tags: string[]) =>
      observe('a', {
        ...NEW,
        externalId: n,
        url: `http://127.0.0.1:8787/demo/tickets/${n}`,
        createdAt: `2026-03-${day}T08:00:00.000Z`,
        tags,
        messages: [],
      });
    await mk('1', '26', ['printer']);
    await mk('2', '25', ['printer', 'vpn']);
    await mk('3', '21', ['printer']);
    await mk('4', '20', ['printer']); // previous period
    await mk('5', '14', ['vpn']); // previous period
    await m.flags.setRules(rules({ category_spike: { enabled: true, ratio: 3, minCount: 3 } }));
    const flags = await m.flags.list();
    expect(flags.map((f) => [f.subject, f.numbers])).toEqual([
      ['printer', { tag: 'printer', current: 3, previous: 1 }],
    ]);
  });

  it('raises repeat escalations of one ticket', async () => {
    const m = await manager();
    const agent = await env.as(env.a.users.agent.email, 'token');
    const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
    await agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: 'First' });
    await m.flags.setRules(rules({ repeat_escalations: { enabled: true, count: 2, days: 7 } }));
    expect(await m.flags.list()).toEqual([]);
    await agent.escalations.request({ ticketId: ticket.id, type: 'incident', reason: 'Again' });
    expect(await env.services.redFlags.evaluate(env.a.id)).toHaveLength(1);
    expect((await m.flags.list())[0]).toMatchObject({
      rule: 'repeat_escalations',
      subject: ticket.id,
      title: 'Escalated 2 times in 7 days: Cannot log in',
      numbers: { ticketId: ticket.id, escalations: 2, days: 7 },
    });
  });

  it('raises compliance under target from the glance figures', async () => {
    const m = await manager();
    // #1 high (first response 1 h), asked 08:40 and answered 08:50: met. #2 high created 26 Mar
    // 08:00, never answered: first response (09:00) and resolution (16:00) breached, 24x7.
    // Concluded in the last 7 days: 1 met of 3 = 33.3%.
    await observe('a', {
      ...NEW,
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        { author: 'agent', public: true, at: '2026-03-27T08:50:00.000Z', externalId: 'r' },
      ],
    });
    await observe('a', {
      ...NEW,
      externalId: '2',
      url: 'http://127.0.0.1:8787/demo/tickets/2',
      createdAt: '2026-03-26T08:00:00.000Z',
      messages: [
        { author: 'customer', public: true, at: '2026-03-26T08:00:00.000Z', externalId: 'm1' },
      ],
    });
    await m.flags.setRules(rules({ compliance_under_target: { enabled: true, target: 0.3 } }));
    expect(await m.flags.list()).toEqual([]);
    await m.flags.setRules(rules({ compliance_under_target: { enabled: true, target: 0.5 } }));
    expect((await m.flags.list())[0]).toMatchObject({
      rule: 'compliance_under_target',
      title: 'SLA compliance 33.3% over 7 days, under the 50% target',
      numbers: { met: 1, concluded: 3, target: 0.5 },
    });
  });

  it('audits rule changes and refuses agents and bad thresholds, writing nothing', async () => {
    const m = await manager();
    const next = rules({ aging_tickets: { enabled: true, days: 9 } });
    await m.flags.setRules(next);
    expect(await m.flags.rules()).toEqual(next);
    const admin = await env.as(env.a.users.admin.email);
    const { entries } = await admin.audit.list({ limit: 5 });
    expect(entries[0]).toMatchObject({
      action: 'redflags.rules',
      before: DEFAULT_RED_FLAG_RULES,
      after: next,
    });
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.flags.setRules(DEFAULT_RED_FLAG_RULES)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      m.flags.setRules({ ...next, aging_tickets: { enabled: true, days: 0 } }),
    ).rejects.toThrow();
    expect(await m.flags.rules()).toEqual(next);
    expect((await admin.audit.list({ limit: 5 })).entries).toHaveLength(entries.length);
    // Beta still has the defaults.
    expect(await (await env.as(env.b.users.manager.email)).flags.rules()).toEqual(
      DEFAULT_RED_FLAG_RULES,
    );
  });
});

describe('weekly digest', () => {
  it("fires once a week at the manager's local time across a DST change", async () => {
    const m = await manager();
    const admin = await env.as(env.a.users.admin.email);
    await admin.push.subscribe(pushSubscriptionFor(`https://${OFFLINE_PUSH_HOST}/push/a-admin`));
    // Monday 08:00 in Amsterdam; clocks go forward Sun 29 March 02:00 -> 03:00.
    await m.flags.setDigest({
      enabled: true,
      weekday: 1,
      time: '08:00',
      timeZone: 'Europe/Amsterdam',
    });
    const sent: string[] = [];
    const end = Date.parse('2026-04-07T00:00:00Z');
    for (let t = env.clock(); t <= end; t += 15 * 60_000) {
      env.clock.set(t);
      if ((await env.services.digest.sendDue(t)).length) sent.push(new Date(t).toISOString());
    }
    expect(sent).toEqual([
      '2026-03-30T06:00:00.000Z', // Mon 08:00 CEST
      '2026-04-06T06:00:00.000Z',
    ]);
    const rs = await env.client.execute(
      "SELECT user_id, payload_json FROM push_outbox WHERE kind = 'digest'",
    );
    // The manager's device alone, once per week.
    expect(rs.rows.map((r) => r[0])).toEqual([
      env.a.users.manager.userId,
      env.a.users.manager.userId,
    ]);
    expect(JSON.parse(String(rs.rows[0]![1]))).toMatchObject({
      title: 'Your weekly Deskwatch digest',
      url: 'https://deskwatch.test/metrics',
    });
    expect(await m.flags.digest()).toEqual({
      enabled: true,
      weekday: 1,
      time: '08:00',
      timeZone: 'Europe/Amsterdam',
    });
  });

  it('sends nothing when off, and refuses agents', async () => {
    const m = await manager();
    await m.flags.setDigest({ enabled: false, weekday: 5, time: '09:30', timeZone: 'UTC' });
    env.clock.set(Date.parse('2026-04-03T10:00:00Z'));
    expect(await env.services.digest.sendDue()).toEqual([]);
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.flags.digest()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
