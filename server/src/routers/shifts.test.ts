import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { ScheduleInput } from '@deskwatch/shared';
import { testEnv } from '../testing.js';
import { SHIFT_REMINDER_LEAD_MS } from '../services/shifts.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;
const rows = async <T>(sql: string, args: (string | number)[] = []) =>
  (await env.client.execute({ sql, args })).rows as unknown as T[];
/** Pushes queued, as `user kind source-prefix`, for sources starting with `prefix`. */
const queued = async (prefix: string) =>
  (
    await rows<{ user_id: string; source_id: string }>(
      `SELECT user_id, source_id FROM push_outbox WHERE source_id LIKE ? ORDER BY created_at, user_id`,
      [`${prefix}%`],
    )
  ).map((r) => ({ userId: r.user_id, sourceId: r.source_id }));

/** One device per person of Alpha; the endpoints never answer (no push leaves the test). */
async function devices() {
  for (const u of Object.values(env.a.users))
    await env.client.execute({
      sql: `INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, 'k', 'a', 0)`,
      args: [`dev-${u.userId}`, env.a.id, u.userId, `https://push.invalid/${u.userId}`],
    });
}

/**
 * A daily rota in Amsterdam handing over at 02:30, from Thu 26 March: manager (26th), agent
 * (27th), admin (28th), manager again on the 29th, when 02:30 does not exist (spring forward).
 */
const rota = (): ScheduleInput => ({
  name: 'Nights',
  timeZone: 'Europe/Amsterdam',
  layers: [
    {
      id: 'l1',
      name: 'Daily',
      start: '2026-03-26T02:30',
      turn: 'daily',
      participants: [
        env.a.users.manager.userId,
        env.a.users.agent.userId,
        env.a.users.admin.userId,
      ],
    },
  ],
});

async function setUp() {
  await devices();
  const manager = await env.as(env.a.users.manager.email);
  const agent = await env.as(env.a.users.agent.email);
  const { id: scheduleId } = await manager.shifts.saveSchedule(rota());
  await env.services.push.drain();
  return { manager, agent, scheduleId };
}

describe('schedule editor', () => {
  it('saves a schedule the editor sends and reads it back with its next shifts', async () => {
    const { manager, scheduleId } = await setUp();
    const s = await manager.shifts.schedule({ id: scheduleId });
    expect(s).toMatchObject({ name: 'Nights', timeZone: 'Europe/Amsterdam', overrides: [] });
    // Clock: Fri 27 March 09:00Z, the agent's turn (since 02:30 CET = 01:30Z).
    expect(s.shifts.slice(0, 3).map((x) => [x.userName, new Date(x.start).toISOString()])).toEqual([
      ['Alpha agent', '2026-03-27T09:00:00.000Z'],
      ['Alpha admin', '2026-03-28T01:30:00.000Z'], // 02:30 CET
      ['Alpha manager', '2026-03-29T01:30:00.000Z'], // 02:30 skipped: 03:30 CEST
    ]);
  });

  it('rejects an invalid save and changes nothing', async () => {
    const { manager, scheduleId } = await setUp();
    const before = await rows('SELECT * FROM oncall_schedules');
    const pushes = await queued('');
    const bad = [
      { ...rota(), id: scheduleId, timeZone: 'Mars/Olympus' },
      { ...rota(), id: scheduleId, layers: [{ ...rota().layers[0]!, turn: { days: 0 } }] },
      { ...rota(), id: scheduleId, layers: [{ ...rota().layers[0]!, participants: [] }] },
      // Someone of another workspace.
      {
        ...rota(),
        id: scheduleId,
        layers: [{ ...rota().layers[0]!, participants: [env.b.users.agent.userId] }],
      },
    ];
    for (const input of bad)
      await expect(manager.shifts.saveSchedule(input as ScheduleInput)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    expect(await rows('SELECT * FROM oncall_schedules')).toEqual(before);
    expect(await queued('')).toEqual(pushes);
  });

  it('pushes to each person whose shifts an edit changes, and to nobody else', async () => {
    const { manager, scheduleId } = await setUp();
    const first = await queued('change:');
    // A new schedule: everyone in it hears of their shifts.
    expect(first.map((q) => q.userId).sort()).toEqual(
      [env.a.users.manager.userId, env.a.users.agent.userId, env.a.users.admin.userId].sort(),
    );
    // Each opens the schedule's screen.
    const links = await rows<{ payload_json: string }>(
      "SELECT payload_json FROM push_outbox WHERE source_id LIKE 'change:%'",
    );
    expect(new Set(links.map((r) => JSON.parse(r.payload_json).url))).toEqual(
      new Set([`/oncall/schedules/${scheduleId}`]),
    );
    // The admin leaves the rota: manager and agent now alternate, so all three change...
    const two = rota();
    two.layers[0]!.participants = [env.a.users.manager.userId, env.a.users.agent.userId];
    await manager.shifts.saveSchedule({ ...two, id: scheduleId });
    expect((await queued('change:')).length).toBe(6);
    // ...and saving the same again changes nobody's shifts.
    await manager.shifts.saveSchedule({ ...two, id: scheduleId });
    expect((await queued('change:')).length).toBe(6);
  });
});

describe('overrides from the phone', () => {
  it('lets the person on call ask someone to cover their shift, and pushes to both once', async () => {
    const { agent, scheduleId } = await setUp();
    const before = new Set((await queued('change:')).map((q) => q.sourceId));
    const span = { start: t('2026-03-27T12:00Z'), end: t('2026-03-27T18:00Z') };
    await agent.shifts.change({
      kind: 'cover',
      scheduleId,
      span,
      userId: env.a.users.admin.userId,
    });
    expect((await env.services.shifts.whoIsOnCall(env.a.id, scheduleId, span.start))?.who).toEqual(
      expect.objectContaining({ userId: env.a.users.admin.userId }),
    );
    const pushed = (await queued('change:'))
      .filter((q) => !before.has(q.sourceId))
      .map((q) => q.userId);
    expect(pushed.sort()).toEqual([env.a.users.agent.userId, env.a.users.admin.userId].sort());
  });

  it("refuses an agent covering or swapping someone else's shift, and writes nothing", async () => {
    const { agent, scheduleId } = await setUp();
    const admins = { start: t('2026-03-28T06:00Z'), end: t('2026-03-28T08:00Z') };
    await expect(
      agent.shifts.change({
        kind: 'cover',
        scheduleId,
        span: admins,
        userId: env.a.users.manager.userId,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      agent.shifts.change({
        kind: 'swap',
        scheduleId,
        mine: admins,
        theirs: { start: t('2026-03-29T06:00Z'), end: t('2026-03-29T08:00Z') },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A span with two people in it is not one shift to swap.
    await expect(
      agent.shifts.change({
        kind: 'swap',
        scheduleId,
        mine: { start: t('2026-03-27T12:00Z'), end: t('2026-03-28T12:00Z') },
        theirs: { start: t('2026-03-29T06:00Z'), end: t('2026-03-29T08:00Z') },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Invalid spans never reach the service.
    await expect(
      agent.shifts.change({ kind: 'take', scheduleId, span: { start: 10, end: 5 } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rows('SELECT id FROM oncall_overrides')).toEqual([]);
  });

  it('swaps two shifts: each person is on call in the other one', async () => {
    const { agent, scheduleId } = await setUp();
    const mine = { start: t('2026-03-27T12:00Z'), end: t('2026-03-27T20:00Z') };
    const theirs = { start: t('2026-03-28T12:00Z'), end: t('2026-03-28T20:00Z') };
    const { overrideIds } = await agent.shifts.change({ kind: 'swap', scheduleId, mine, theirs });
    expect(overrideIds).toHaveLength(2);
    const who = async (at: number) =>
      (await env.services.shifts.whoIsOnCall(env.a.id, scheduleId, at))?.who?.userId;
    expect(await who(mine.start)).toBe(env.a.users.admin.userId);
    expect(await who(theirs.start)).toBe(env.a.users.agent.userId);
    // The admin removes the override that put them on call: the agent has it back.
    const admin = await env.as(env.a.users.admin.email);
    const s = await admin.shifts.schedule({ id: scheduleId });
    const o = s.overrides.find((x) => x.userName === 'Alpha admin')!;
    await admin.shifts.removeOverride({ overrideId: o.id });
    expect(await who(mine.start)).toBe(env.a.users.agent.userId);
  });

  it("keeps another workspace's schedules out of reach", async () => {
    const { scheduleId } = await setUp();
    const beta = await env.as(env.b.users.manager.email);
    await expect(beta.shifts.schedule({ id: scheduleId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      beta.shifts.change({
        kind: 'take',
        scheduleId,
        span: { start: t('2026-03-27T12:00Z'), end: t('2026-03-27T13:00Z') },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const manager = await env.as(env.a.users.manager.email);
    await expect(
      manager.shifts.change({
        kind: 'cover',
        scheduleId,
        span: { start: t('2026-03-27T12:00Z'), end: t('2026-03-27T13:00Z') },
        userId: env.b.users.agent.userId,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rows('SELECT id FROM oncall_overrides')).toEqual([]);
    expect((await beta.shifts.people()).map((p) => p.name)).not.toContain('Alpha agent');
    expect(await beta.shifts.devices()).toEqual([]);
  });
});

describe('calendar feed', () => {
  it('serves the next shifts at a secret URL that ical.js reads back, and stops serving a rotated one', async () => {
    const { agent } = await setUp();
    const { path } = await agent.shifts.rotateFeed();
    const token = path.slice('/ical/'.length, -'.ics'.length);
    // Only the token's hash is kept.
    const stored = await rows<{ token_hash: string }>('SELECT token_hash FROM oncall_feeds');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    const app = (await import('../app.js')).createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'https://deskwatch.test',
      pwaDist: '/nonexistent',
    });
    const res = await app.request(`https://deskwatch.test${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const body = await res.text();
    expect(body).toMatch(/\r\n$/);
    const cal = new ICAL.Component(ICAL.parse(body));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    // The agent: the rest of today's turn, then every third day (02:30 local, across the change).
    expect(
      events.slice(0, 3).map((e) => [e.startDate.toJSDate().toISOString(), e.summary]),
    ).toEqual([
      ['2026-03-27T09:00:00.000Z', 'On call: Nights'],
      ['2026-03-30T00:30:00.000Z', 'On call: Nights'], // 02:30 CEST
      ['2026-04-02T00:30:00.000Z', 'On call: Nights'],
    ]);
    expect(events[0]!.endDate.toJSDate().toISOString()).toBe('2026-03-28T01:30:00.000Z');

    await agent.shifts.rotateFeed();
    expect((await app.request(`https://deskwatch.test${path}`)).status).toBe(404);
    expect(
      (await app.request('https://deskwatch.test/ical/not-a-token-at-all-0000.ics')).status,
    ).toBe(404);
  });
});

describe('shift pushes', () => {
  it('pushes once before a shift starts, across the spring-forward', async () => {
    const { scheduleId } = await setUp();
    const { shifts } = env.services;
    // The manager's turn starts at 03:30 CEST on 29 March (01:30Z): 02:30 does not exist.
    const start = t('2026-03-29T01:30Z');
    await shifts.tick(start - SHIFT_REMINDER_LEAD_MS - MIN);
    expect(await queued(`remind:${scheduleId}:${env.a.users.manager.userId}`)).toEqual([]);
    await shifts.tick(start - SHIFT_REMINDER_LEAD_MS);
    await shifts.tick(start - SHIFT_REMINDER_LEAD_MS + MIN);
    await shifts.tick(start - 2 * MIN);
    expect(await queued(`remind:${scheduleId}:${env.a.users.manager.userId}`)).toEqual([
      {
        userId: env.a.users.manager.userId,
        sourceId: `remind:${scheduleId}:${env.a.users.manager.userId}:${start}`,
      },
    ]);
    const [row] = await rows<{ payload_json: string }>(
      'SELECT payload_json FROM push_outbox WHERE source_id LIKE ?',
      ['remind:%'],
    );
    expect(JSON.parse(row!.payload_json).body).toContain('2026-03-29 03:30');
    // The notification opens the schedule's screen, not the inbox.
    expect(JSON.parse(row!.payload_json).url).toBe(`/oncall/schedules/${scheduleId}`);
  });
});

describe('shift reminder lead', () => {
  it('reminds each person at their own lead, none at zero, and refuses a lead over a day', async () => {
    const { scheduleId, manager } = await setUp();
    const { shifts } = env.services;
    const who = env.a.users.manager.userId;
    const start = t('2026-03-29T01:30Z');
    expect(await manager.shifts.reminder()).toEqual({ leadMinutes: 60 });
    expect(await manager.shifts.saveReminder({ leadMinutes: 180 })).toEqual({ leadMinutes: 180 });
    expect(await manager.shifts.reminder()).toEqual({ leadMinutes: 180 });
    // Three hours before, not a minute earlier.
    await shifts.tick(start - 180 * MIN - MIN);
    expect(await queued(`remind:${scheduleId}:${who}`)).toEqual([]);
    await shifts.tick(start - 180 * MIN);
    expect(await queued(`remind:${scheduleId}:${who}`)).toEqual([
      { userId: who, sourceId: `remind:${scheduleId}:${who}:${start}` },
    ]);
    // Bad leads are refused and change nothing; zero turns reminders off.
    await expect(manager.shifts.saveReminder({ leadMinutes: 24 * 60 + 1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(manager.shifts.saveReminder({ leadMinutes: 1.5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await manager.shifts.reminder()).toEqual({ leadMinutes: 180 });
    await manager.shifts.saveReminder({ leadMinutes: 0 });
    const next = (await shifts.whoIsOnCall(env.a.id, scheduleId, start + MIN))!;
    expect(next.who?.userId).toBe(who);
    const before = (await rows('SELECT 1 FROM push_outbox WHERE source_id LIKE ?', ['remind:%']))
      .length;
    for (let at = start + MIN; at < start + 4 * 86_400_000; at += 30 * MIN) {
      // Every later shift of the rota passes by without a reminder for the manager.
      await shifts.tick(at);
    }
    const mine = await rows<{ source_id: string }>(
      'SELECT source_id FROM push_outbox WHERE source_id LIKE ? AND user_id = ?',
      ['remind:%', who],
    );
    expect(mine.map((r) => r.source_id)).toEqual([`remind:${scheduleId}:${who}:${start}`]);
    // Others kept the default hour and were reminded.
    expect(
      (await rows('SELECT 1 FROM push_outbox WHERE source_id LIKE ?', ['remind:%'])).length,
    ).toBeGreaterThan(before);
  });
});

describe('device status', () => {
  it('records each device’s last failure and category, shows the team to managers, and sends a test per device', async () => {
    const { manager, agent } = await setUp();
    // The rota's change pushes went to endpoints that never answer: every device is failing.
    const mine = await agent.shifts.devices();
    expect(mine).toEqual([
      expect.objectContaining({
        id: `dev-${env.a.users.agent.userId}`,
        host: 'push.invalid',
        status: 'failing',
        lastSuccessAt: null,
        lastFailureAt: expect.any(Number),
      }),
    ]);
    expect(mine[0]!.lastError).toEqual(expect.any(String));
    expect((await manager.shifts.devices()).map((d) => d.userName).sort()).toEqual([
      'Alpha admin',
      'Alpha agent',
      'Alpha manager',
    ]);
    await expect(
      agent.shifts.devices({ userId: env.a.users.manager.userId }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      agent.shifts.sendTest({ deviceId: `dev-${env.a.users.manager.userId}` }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [result] = await manager.shifts.sendTest({ deviceId: `dev-${env.a.users.agent.userId}` });
    expect(result).toMatchObject({
      subscriptionId: `dev-${env.a.users.agent.userId}`,
      status: 'failed',
    });
    const beta = await env.as(env.b.users.manager.email);
    await expect(
      beta.shifts.sendTest({ deviceId: `dev-${env.a.users.agent.userId}` }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tells the managers once per spell when whoever is on call has no working device', async () => {
    const { scheduleId } = await setUp();
    const { shifts } = env.services;
    // Every device failed its last push (see above). The agent is on call until 01:30Z tomorrow.
    await shifts.tick();
    await shifts.tick(env.clock() + 10 * MIN);
    await shifts.tick(env.clock() + 3 * HOUR);
    const told = await queued(`nodevice:${scheduleId}:`);
    expect(told.map((q) => q.userId).sort()).toEqual(
      [env.a.users.manager.userId, env.a.users.admin.userId].sort(),
    );
    expect(new Set(told.map((q) => q.sourceId))).toEqual(
      new Set([`nodevice:${scheduleId}:${env.a.users.agent.userId}:${t('2026-03-28T01:30Z')}`]),
    );
    // The next spell (the admin's) is another notice.
    await shifts.tick(t('2026-03-28T02:00Z'));
    expect(new Set((await queued(`nodevice:${scheduleId}:`)).map((q) => q.sourceId)).size).toBe(2);
  });
});
