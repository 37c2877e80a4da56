import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleInput } from '@deskwatch/shared';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const rows = async <T>(sql: string, args: (string | number)[] = []) =>
  (await env.client.execute({ sql, args })).rows as unknown as T[];
/** Who got a push queued, by user id, for sources starting with `prefix`. */
const pushedTo = async (prefix: string) =>
  (
    await rows<{ user_id: string }>(
      `SELECT DISTINCT user_id FROM push_outbox WHERE source_id LIKE ? ORDER BY user_id`,
      [`${prefix}%`],
    )
  ).map((r) => r.user_id);

/** One device per person of both workspaces; the endpoints never answer (no push leaves the test). */
async function devices() {
  for (const ws of [env.a, env.b])
    for (const u of Object.values(ws.users))
      await env.client.execute({
        sql: `INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, 'k', 'a', 0)`,
        args: [`dev-${u.userId}`, ws.id, u.userId, `https://push.invalid/${u.userId}`],
      });
}

/** Alpha's primary schedule: weekly from Mon 23 March 09:00 Amsterdam, manager then agent. */
const primary = (): ScheduleInput => ({
  name: 'Primary',
  timeZone: 'Europe/Amsterdam',
  layers: [
    {
      id: 'l1',
      name: 'Weekly',
      start: '2026-03-23T09:00',
      turn: 'weekly',
      participants: [env.a.users.manager.userId, env.a.users.agent.userId],
    },
  ],
});

/** A default path: the schedule's on-call for 5 min, then the admin for 10 min. */
async function setUp() {
  await devices();
  const manager = await env.as(env.a.users.manager.email);
  const { id: scheduleId } = await manager.oncall.saveSchedule(primary());
  const { id: pathId } = await manager.oncall.savePath({
    name: 'Default',
    isDefault: true,
    levels: [
      { targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 },
      { targets: [{ kind: 'user', userId: env.a.users.admin.userId }], timeoutMinutes: 10 },
    ],
  });
  return { manager, scheduleId, pathId };
}

async function escalate() {
  const agent = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
  return agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: 'Locked out' });
}

describe('on-call schedules', () => {
  it("shows who is on call now and next, across the spring-forward, and each person's next shifts", async () => {
    const { manager } = await setUp();
    // The clock starts Fri 27 March 09:00Z: week 1 of the rotation, the manager's.
    const [s] = await manager.oncall.schedules();
    expect(s).toMatchObject({
      name: 'Primary',
      now: { userName: 'Alpha manager', start: t('2026-03-27T09:00Z') },
      next: { userName: 'Alpha agent', start: t('2026-03-30T07:00Z') }, // Mon 09:00 CEST
    });
    const agent = await env.as(env.a.users.agent.email);
    expect((await agent.oncall.myShifts()).slice(0, 2)).toMatchObject([
      { start: t('2026-03-30T07:00Z'), end: t('2026-04-06T07:00Z'), scheduleName: 'Primary' },
      { start: t('2026-04-13T07:00Z'), end: t('2026-04-20T07:00Z') },
    ]);
  });

  it('lets an agent take a shift for themselves but not put someone else on call', async () => {
    const { scheduleId } = await setUp();
    const agent = await env.as(env.a.users.agent.email);
    const start = t('2026-03-27T12:00Z');
    await agent.oncall.addOverride({ scheduleId, start, end: start + 60 * MIN });
    const [s] = await agent.oncall.schedules();
    expect(s!.next).toMatchObject({ userName: 'Alpha agent', start, end: start + 60 * MIN });
    await expect(
      agent.oncall.addOverride({
        scheduleId,
        userId: env.a.users.admin.userId,
        start,
        end: start + MIN,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agent.oncall.saveSchedule(primary())).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await rows('SELECT id FROM oncall_overrides')).toHaveLength(1);
  });
});

describe('pages', () => {
  it('pages the on-call person, pages the next level after the timeout, and stops once acknowledged', async () => {
    await setUp();
    const esc = await escalate();
    const [page] = await rows<{ id: string }>('SELECT id FROM pages WHERE source_id = ?', [esc.id]);
    // Level 1 is the schedule's on-call (the manager), not every manager and admin.
    expect(await pushedTo(page!.id)).toEqual([env.a.users.manager.userId]);

    const { scheduler } = env.services;
    env.clock.advance(5 * MIN - 1);
    await scheduler.tick();
    expect(await pushedTo(page!.id)).toEqual([env.a.users.manager.userId]);
    env.clock.advance(1); // the level's 5 minutes are up
    await scheduler.tick();
    expect((await pushedTo(page!.id)).sort()).toEqual(
      [env.a.users.manager.userId, env.a.users.admin.userId].sort(),
    );

    const admin = await env.as(env.a.users.admin.email);
    env.clock.advance(MIN);
    await admin.oncall.acknowledge({ pageId: page!.id });
    env.clock.advance(60 * MIN);
    await scheduler.tick();
    // (The same ticks raise SLA alerts of the default policy: pages of their own.)
    const view = (await admin.oncall.pages()).find((p) => p.sourceId === esc.id);
    expect(view).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Alpha admin', level: 1 });
    const timeline = await admin.oncall.timeline({ pageId: page!.id });
    expect(timeline.map((e) => [e.type, e.userName, e.level])).toEqual([
      ['notified', 'Alpha manager', 0],
      ['notified', 'Alpha admin', 1],
      ['acknowledged', 'Alpha admin', null],
    ]);
    expect(timeline[0]!.devices.map((d) => d.deviceId)).toEqual([
      `dev-${env.a.users.manager.userId}`,
    ]);
    await expect(admin.oncall.acknowledge({ pageId: page!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('repeats the path as often as set, then marks the page exhausted', async () => {
    const { manager, scheduleId } = await setUp();
    await manager.oncall.savePath({
      name: 'Once more',
      isDefault: true,
      repeat: 1,
      levels: [{ targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 }],
    });
    expect((await manager.oncall.paths()).filter((p) => p.isDefault).map((p) => p.name)).toEqual([
      'Once more',
    ]);
    const esc = await escalate();
    const { scheduler } = env.services;
    for (let i = 1; i <= 3; i++) await scheduler.tick(env.clock() + i * 5 * MIN);
    const [view] = (await manager.oncall.pages()).filter((p) => p.sourceId === esc.id);
    expect(view).toMatchObject({ state: 'exhausted', round: 1 });
    const timeline = await manager.oncall.timeline({ pageId: view!.id });
    expect(timeline.map((e) => [e.type, e.round])).toEqual([
      ['notified', 0],
      ['notified', 1],
      ['exhausted', null],
    ]);
  });

  it('stops the path when the escalation is decided', async () => {
    const { manager } = await setUp();
    const esc = await escalate();
    await manager.escalations.decide({ escalationId: esc.id, decision: 'approve' });
    await env.services.scheduler.tick(env.clock() + 30 * MIN);
    const view = (await manager.oncall.pages()).find((p) => p.sourceId === esc.id);
    expect(view).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Alpha manager' });
  });

  it('pages an SLA warning down the default path instead of to every manager', async () => {
    await setUp();
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    const agent = await env.as(env.a.users.agent.email, 'token');
    await agent.tickets.observe({
      snapshot: snapshot({ createdAt: '2026-03-27T09:00:00.000Z' }),
    });
    const [alert] = await env.services.scheduler.tick(t('2026-03-27T09:30:01Z'));
    const [page] = await rows<{ id: string; kind: string }>(
      'SELECT id, kind FROM pages WHERE source_id = ?',
      [alert!.id],
    );
    expect(page!.kind).toBe('sla_alert');
    expect(await pushedTo(page!.id)).toEqual([env.a.users.manager.userId]);
    expect(await pushedTo(alert!.id)).toEqual([]); // no broadcast to managers
    // Acknowledging the alert acknowledges its page.
    const manager = await env.as(env.a.users.manager.email);
    await manager.alerts.acknowledge({ alertId: alert!.id });
    expect((await manager.oncall.pages())[0]).toMatchObject({ state: 'acknowledged' });
  });
});

describe('workspace isolation', () => {
  it("keeps another workspace's schedules, paths and pages out of reach and writes nothing for it", async () => {
    const { scheduleId, pathId } = await setUp();
    const esc = await escalate();
    const [page] = await rows<{ id: string }>('SELECT id FROM pages WHERE source_id = ?', [esc.id]);
    const beta = await env.as(env.b.users.manager.email);
    expect(await beta.oncall.schedules()).toEqual([]);
    expect(await beta.oncall.paths()).toEqual([]);
    expect(await beta.oncall.pages()).toEqual([]);
    await expect(beta.oncall.timeline({ pageId: page!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(beta.oncall.acknowledge({ pageId: page!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      beta.oncall.addOverride({ scheduleId, start: env.clock(), end: env.clock() + MIN }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      beta.oncall.savePath({
        name: 'Steal',
        levels: [{ targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      beta.oncall.savePath({
        id: pathId,
        name: 'Steal',
        levels: [{ targets: [{ kind: 'role', role: 'admin' }], timeoutMinutes: 5 }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(beta.oncall.saveSchedule(primary())).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    }); // Alpha's people
    await expect(
      beta.oncall.saveSchedule({ ...primary(), id: scheduleId, layers: [] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' }); // refused by the input schema first
    expect(await rows('SELECT id FROM oncall_schedules')).toHaveLength(1);
    expect(await rows('SELECT id FROM escalation_paths')).toHaveLength(1);
    expect(await rows('SELECT id FROM oncall_overrides')).toHaveLength(0);
    expect((await rows<{ state: string }>('SELECT state FROM pages'))[0]!.state).toBe('open');
    // Beta's escalations page nobody in Alpha and reach Beta's managers as before (no path there).
    expect(await pushedTo(page!.id)).toEqual([env.a.users.manager.userId]);
  });
});
