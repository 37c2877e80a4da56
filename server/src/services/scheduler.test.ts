import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy, type SlaPolicyInput } from '@deskwatch/shared';
import { snapshot, testEnv } from '../testing.js';
import { createScheduler } from './scheduler.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);
const S = 1000;
const MIN = 60_000;

async function rows<T>(sql: string, args: (string | number)[] = []): Promise<T[]> {
  return (await env.client.execute({ sql, args })).rows as unknown as T[];
}
/** The stored next instants, as ISO, in order (null: nothing due). */
const nextAt = async (ticketId?: string) => {
  const r = await rows<{ next_at: number | null }>(
    `SELECT next_at FROM ticket_sla ${ticketId ? 'WHERE ticket_id = ?' : ''} ORDER BY next_at IS NULL, next_at`,
    ticketId ? [ticketId] : [],
  );
  return r.map((x) => (x.next_at === null ? null : new Date(x.next_at).toISOString()));
};
const alertKeys = async () =>
  (await rows<{ key: string }>('SELECT key FROM alerts ORDER BY fired_at, rowid')).map((r) =>
    r.key.split(':').slice(2).join(':'),
  );

/** A policy with only a first-response target for high priority: 60 min, warnings at 50% and 75%. */
const onlyFirstResponse = (over: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  name: 'FR',
  targets: { first_response: { high: 60 } },
  ...over,
});

async function setPolicies(...policies: SlaPolicyInput[]) {
  const admin = await env.as(env.a.users.admin.email);
  return admin.sla.savePolicies({ policies: policies.map((policy) => ({ policy })) });
}

async function observe(over: Parameters<typeof snapshot>[0] = {}) {
  const agent = await env.as(env.a.users.agent.email, 'token');
  // created 09:00 (the clock's start), high priority, open
  return agent.tickets.observe({
    snapshot: snapshot({ createdAt: '2026-03-27T09:00:00.000Z', ...over }),
  });
}

describe('SLA scheduler', () => {
  it('fires each threshold once per cycle, within a tick of its instant', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    expect(await nextAt()).toEqual(['2026-03-27T09:30:00.000Z']);
    const { scheduler } = env.services;
    expect(await scheduler.tick(t('2026-03-27T09:29:59Z'))).toEqual([]);
    expect((await scheduler.tick(t('2026-03-27T09:30:01Z'))).map((a) => a.level)).toEqual([
      'warn:50%',
    ]);
    expect(await nextAt()).toEqual(['2026-03-27T09:45:00.000Z']);
    expect(await scheduler.tick(t('2026-03-27T09:30:02Z'))).toEqual([]);
    expect((await scheduler.tick(t('2026-03-27T09:45:01Z'))).map((a) => a.level)).toEqual([
      'warn:75%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T10:00:01Z'))).map((a) => a.level)).toEqual([
      'breach',
    ]);
    expect(await scheduler.tick(t('2026-03-27T11:00:00Z'))).toEqual([]);
    expect(await alertKeys()).toEqual(['warn:50%', 'warn:75%', 'breach']);
  });

  it('raises one alert, not a burst, for thresholds passed while nobody was ticking', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    expect(
      (await env.services.scheduler.tick(t('2026-03-27T09:50:00Z'))).map((a) => a.level),
    ).toEqual(['warn:75%']);
  });

  it('records the ticket state and its next interesting instant', async () => {
    await setPolicies(onlyFirstResponse());
    const { ticket } = await observe();
    const [row] = await rows<{ next_at: number; state_json: string }>(
      'SELECT next_at, state_json FROM ticket_sla WHERE ticket_id = ?',
      [ticket.id],
    );
    expect(row!.next_at).toBe(t('2026-03-27T09:30:00Z'));
    expect(JSON.parse(row!.state_json).targets[0]).toMatchObject({
      metric: 'first_response',
      status: 'running',
    });
  });

  it('holds warnings while paused, moves them when the clock resumes, and fires nothing for a met target', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    env.clock.set(t('2026-03-27T09:10:00Z'));
    await observe({ status: 'Pending', statusCategory: 'pending_customer' });
    expect(await nextAt()).toEqual([null]);
    expect(await env.services.scheduler.tick(t('2026-03-27T10:30:00Z'))).toEqual([]);
    env.clock.set(t('2026-03-27T10:10:00Z')); // an hour paused: everything moves by an hour
    await observe();
    expect(await nextAt()).toEqual(['2026-03-27T10:30:00.000Z']);
    env.clock.set(t('2026-03-27T10:20:00Z'));
    await observe({
      messages: [
        { author: 'agent', public: true, at: '2026-03-27T10:20:00.000Z', externalId: 'r1' },
      ],
    });
    expect(await nextAt()).toEqual([null]);
    expect(await env.services.scheduler.tick(t('2026-03-27T12:00:00Z'))).toEqual([]);
  });

  it('re-arms for a new cycle of a metric', async () => {
    await setPolicies(onlyFirstResponse({ targets: { next_response: { high: 30 } } }));
    const reply = {
      author: 'agent' as const,
      public: true,
      at: '2026-03-27T09:01:00.000Z',
      externalId: 'r1',
    };
    const c1 = {
      author: 'customer' as const,
      public: true,
      at: '2026-03-27T09:02:00.000Z',
      externalId: 'c1',
    };
    env.clock.set(t('2026-03-27T09:03:00Z'));
    await observe({ messages: [reply, c1] });
    const { scheduler } = env.services;
    expect((await scheduler.tick(t('2026-03-27T09:17:01Z'))).map((a) => a.level)).toEqual([
      'warn:50%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T09:24:31Z'))).map((a) => a.level)).toEqual([
      'warn:75%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T09:32:01Z'))).map((a) => a.level)).toEqual([
      'breach',
    ]);
    env.clock.set(t('2026-03-27T09:42:00Z'));
    const reply2 = { ...reply, at: '2026-03-27T09:40:00.000Z', externalId: 'r2' };
    const c2 = { ...c1, at: '2026-03-27T09:41:00.000Z', externalId: 'c2' };
    await observe({ messages: [reply, c1, reply2, c2] });
    expect((await scheduler.tick(t('2026-03-27T09:57:00Z'))).map((a) => a.level)).toEqual([
      'warn:50%',
    ]);
    expect(
      new Set(
        (await rows<{ key: string }>('SELECT key FROM alerts')).map((r) => r.key.split(':')[1]),
      ),
    ).toEqual(new Set([String(t('2026-03-27T09:02:00Z')), String(t('2026-03-27T09:41:00Z'))]));
  });

  it('holds a non-urgent alert until the desk opens, but not an urgent one', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const office = {
      name: 'Office',
      timeZone: 'UTC',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
      ),
    };
    const { id } = await admin.sla.saveCalendar({ spec: office });
    // Resolution in calendar time on a business-hours policy: its instants can fall at night.
    await setPolicies({
      name: 'Office',
      calendarId: id,
      targets: {
        resolution: {
          high: { minutes: 600, clock: 'calendar' },
          urgent: { minutes: 600, clock: 'calendar' },
        },
      },
      warnings: { percents: [] },
    });
    await observe(); // due 19:00, after closing
    await observe({ externalId: '2', priority: 'urgent' });
    const fired = await env.services.scheduler.tick(t('2026-03-27T19:00:01Z'));
    const [urgent] = await rows<{ id: string }>("SELECT id FROM tickets WHERE priority = 'urgent'");
    expect(fired.map((a) => a.ticketId)).toEqual([urgent!.id]);
    expect(await nextAt()).toEqual(['2026-03-30T09:00:00.000Z', null]); // the high one waits for Monday's opening
    expect(
      (await env.services.scheduler.tick(t('2026-03-30T09:00:01Z'))).map((a) => a.level),
    ).toEqual(['breach']);
  });

  it('fires no breach at a closing time that ends the budget, and one at the next opening', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
    const { id } = await admin.sla.saveCalendar({
      spec: {
        name: 'Office',
        timeZone: 'UTC',
        hours: Object.fromEntries(weekdays.map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
      },
    });
    await setPolicies({
      name: 'Two business hours',
      calendarId: id,
      targets: { first_response: { urgent: 120, normal: 120 } },
      warnings: { percents: [] },
    });
    const WED_15 = '2026-12-02T15:00:00.000Z'; // two business hours before Wednesday's closing
    env.clock.set(t(WED_15));
    for (const [externalId, priority] of [
      ['u', 'urgent'],
      ['n', 'normal'],
    ] as const)
      await observe({
        externalId,
        priority,
        createdAt: WED_15,
        messages: [{ author: 'customer', public: true, at: WED_15, externalId: 'm1' }],
      });
    expect(await nextAt()).toEqual(['2026-12-03T09:00:00.000Z', '2026-12-03T09:00:00.000Z']);
    const { scheduler } = env.services;
    for (const iso of [
      '2026-12-02T16:59:59Z',
      '2026-12-02T17:00:00Z', // the closing: the budget is used up, not exceeded
      '2026-12-02T17:00:01Z',
      '2026-12-02T20:00:00Z',
      '2026-12-03T08:59:59Z',
    ])
      expect(await scheduler.tick(t(iso)), iso).toEqual([]);
    const fired = await scheduler.tick(t('2026-12-03T09:00:00Z'));
    expect(fired.map((a) => a.level)).toEqual(['breach', 'breach']);
    expect(await scheduler.tick(t('2026-12-03T09:00:01Z'))).toEqual([]);
    expect(await scheduler.tick(t('2026-12-03T12:00:00Z'))).toEqual([]);
    const stored = await rows<{ due_at: number; n: number }>(
      "SELECT due_at, count(*) AS n FROM alerts WHERE level = 'breach' GROUP BY due_at",
    );
    expect(stored.map((r) => [new Date(Number(r.due_at)).toISOString(), Number(r.n)])).toEqual([
      ['2026-12-03T09:00:00.000Z', 2],
    ]);
  });

  it('lets two instances on one database fire each alert exactly once', async () => {
    await setPolicies(onlyFirstResponse());
    for (let i = 1; i <= 30; i++) await observe({ externalId: String(i) });
    const other = await env.secondInstance();
    const { scheduler } = env.services;
    const fired = [];
    for (const at of ['2026-03-27T09:30:01Z', '2026-03-27T09:45:01Z', '2026-03-27T10:00:01Z']) {
      const [a, b] = await Promise.all([scheduler.tick(t(at)), other.scheduler.tick(t(at))]);
      fired.push(...a, ...b);
    }
    const keys = fired.map((x) => `${x.ticketId}|${x.key}`);
    expect(keys).toHaveLength(90);
    expect(new Set(keys).size).toBe(90);
    expect((await rows<{ n: number }>('SELECT count(*) AS n FROM alerts'))[0]!.n).toBe(90);
  });

  it('takes over work claimed by an instance that died, without repeating an alert it raised', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    const at = t('2026-03-27T09:30:01Z');
    // The dead instance claimed the ticket and raised the 50% alert, but never stored what it did.
    const [row] = await rows<{ ticket_id: string; workspace_id: string }>(
      'SELECT ticket_id, workspace_id FROM ticket_sla',
    );
    await env.client.execute({
      sql: "UPDATE ticket_sla SET claimed_by = 'dead', claimed_until = ?",
      args: [at + 30 * S],
    });
    await env.client.execute({
      sql: "INSERT INTO alerts (id, workspace_id, ticket_id, key, kind, metric, level, fired_at, fired_by) VALUES ('a1', ?, ?, ?, 'sla_warning', 'first_response', 'warn:50%', ?, 'dead')",
      args: [
        row!.workspace_id,
        row!.ticket_id,
        `first_response:${t('2026-03-27T09:00:00Z')}:warn:50%`,
        at,
      ],
    });
    const restarted = await env.secondInstance();
    expect(await restarted.scheduler.tick(at + 5 * S)).toEqual([]); // the claim still holds
    expect(await restarted.scheduler.tick(at + 31 * S)).toEqual([]); // taken over; the alert exists already
    expect(await nextAt()).toEqual(['2026-03-27T09:45:00.000Z']);
    expect(await alertKeys()).toEqual(['warn:50%']);
  });

  it('says which warnings a dead instance left unsent when the takeover comes after the breach', async () => {
    await setPolicies(onlyFirstResponse()); // 50% at 09:30, 75% at 09:45, breach at 10:00
    await observe();
    // The manager's phone (never reached: the tests resolve no push service's name).
    await env.client.execute({
      sql: "INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at) VALUES ('phone', ?, ?, 'https://fcm.googleapis.com/fcm/send/x', 'k', 'a', 0)",
      args: [env.a.id, env.a.users.manager.userId],
    });
    // An instance claimed the ticket at the 50% instant and died with the claim held past the breach.
    await env.client.execute({
      sql: "UPDATE ticket_sla SET claimed_by = 'dead', claimed_until = ?",
      args: [t('2026-03-27T10:05:00Z')],
    });
    const other = await env.secondInstance();
    expect(await other.scheduler.tick(t('2026-03-27T10:00:30Z'))).toEqual([]); // still claimed
    const fired = await other.scheduler.tick(t('2026-03-27T10:05:01Z'));
    expect(fired.map((a) => a.level)).toEqual(['breach']); // one alert, not a burst
    const manager = await env.as(env.a.users.manager.email);
    expect(await manager.alerts.list()).toMatchObject([
      { level: 'breach', lateMs: 5 * MIN + S, skipped: ['warn:50%', 'warn:75%'] },
    ]);
    const [push] = await rows<{ payload_json: string }>('SELECT payload_json FROM push_outbox');
    const payload = JSON.parse(push!.payload_json) as { title: string; body: string };
    expect(payload.title).toMatch(/^SLA breached, sent 5 min late: /);
    expect(payload.body).toMatch(/not sent in time: the 50% warning, the 75% warning$/);
    expect(await other.scheduler.tick(t('2026-03-27T10:06:00Z'))).toEqual([]);
  });

  it('marks a collapsed warning late from its own instant and names the one it stands for', async () => {
    await setPolicies(onlyFirstResponse());
    await observe(); // next instant stored: 50% at 09:30
    const fired = await env.services.scheduler.tick(t('2026-03-27T09:50:00Z')); // nobody ticked since
    expect(fired.map((a) => a.level)).toEqual(['warn:75%']);
    const manager = await env.as(env.a.users.manager.email);
    expect(await manager.alerts.list()).toMatchObject([
      { level: 'warn:75%', lateMs: 5 * MIN, skipped: ['warn:50%'] },
    ]);
  });

  it('still raises one alert for thresholds a late observation shows already passed', async () => {
    await setPolicies(onlyFirstResponse());
    env.clock.set(t('2026-03-27T09:50:00Z'));
    await observe(); // first seen at 09:50: 50% and 75% already passed
    expect(
      (await env.services.scheduler.tick(t('2026-03-27T09:50:10Z'))).map((a) => a.level),
    ).toEqual(['warn:75%']);
  });
  it('never stores its older state over an observation that landed during its tick', async () => {
    await setPolicies(onlyFirstResponse());
    const { ticket } = await observe();
    const { sla, push } = env.services;
    // A tick reads the ticket's events; before it writes, the agent's reply arrives.
    const racing = createScheduler(
      env.client,
      env.clock,
      {
        ...sla,
        evaluate: async (...args: Parameters<typeof sla.evaluate>) => {
          const evals = await sla.evaluate(...args);
          await observe({
            messages: [
              {
                author: 'customer',
                public: true,
                at: '2026-03-27T08:40:00.000Z',
                externalId: 'm1',
              },
              { author: 'agent', public: true, at: '2026-03-27T10:00:30.000Z', externalId: 'm2' },
            ],
          });
          return evals;
        },
      },
      push,
      () => 'http://127.0.0.1',
    );
    env.clock.set(t('2026-03-27T10:00:31Z'));
    expect((await racing.tick(t('2026-03-27T10:00:01Z'))).map((a) => a.level)).toEqual(['breach']);
    const [row] = await rows<{ state_json: string; claimed_by: string | null }>(
      'SELECT state_json, claimed_by FROM ticket_sla WHERE ticket_id = ?',
      [ticket.id],
    );
    const first = (
      JSON.parse(row!.state_json) as { targets: { metric: string; stoppedAt: number | null }[] }
    ).targets.find((x) => x.metric === 'first_response')!;
    expect(first.stoppedAt).toBe(t('2026-03-27T10:00:30Z')); // the reply, not the tick's stale view
    expect(row!.claimed_by).toBeNull();
  });
});

describe('policy and calendar administration', () => {
  it('recomputes open tickets on a policy change and drops warnings that no longer apply', async () => {
    await setPolicies(onlyFirstResponse());
    const { ticket } = await observe();
    await observe({ externalId: 'closed', status: 'Solved', statusCategory: 'solved' });
    const res = await setPolicies(
      onlyFirstResponse({
        targets: { first_response: { high: 120 } },
        warnings: { percents: [50] },
      }),
    );
    expect(res.recomputed).toBe(1); // the solved ticket is left alone
    expect(await nextAt(ticket.id)).toEqual(['2026-03-27T10:00:00.000Z']);
    const { scheduler } = env.services;
    expect(await scheduler.tick(t('2026-03-27T09:46:00Z'))).toEqual([]); // the old 50% and 75% no longer apply
    expect((await scheduler.tick(t('2026-03-27T10:00:01Z'))).map((a) => a.level)).toEqual([
      'warn:50%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T11:00:01Z'))).map((a) => a.level)).toEqual([
      'breach',
    ]);
    const admin = await env.as(env.a.users.admin.email);
    expect((await admin.sla.repair()).recomputed).toBe(2);
  });

  it('rejects a policy the linter refuses with its message, and writes nothing', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await expect(
      admin.sla.savePolicies({
        policies: [{ policy: { ...onlyFirstResponse(), calendarId: 'nope' } }],
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Policy "FR": uses an unknown calendar "nope"',
    });
    expect(await admin.sla.config()).toEqual({ policies: [], calendars: [] });
    await expect(
      admin.sla.saveCalendar({ spec: { name: 'Bad', timeZone: 'Nowhere/Here', hours: '24x7' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await admin.sla.config()).calendars).toEqual([]);
  });

  it('keeps a policy id only for its own workspace and once, never another tenant id or a clash', async () => {
    const beta = await env.as(env.b.users.admin.email);
    await beta.sla.savePolicies({ policies: [{ policy: { ...defaultPolicy, name: 'Beta' } }] });
    const betaId = (await beta.sla.config()).policies[0]!.id;
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({ policies: [{ policy: { ...defaultPolicy, name: 'Mine' } }] });
    const mine = (await admin.sla.config()).policies[0]!.id;
    await admin.sla.savePolicies({
      policies: [
        { id: mine, policy: { ...defaultPolicy, name: 'Mine' } },
        { id: mine, policy: { ...defaultPolicy, name: 'Copy', conditions: { tags: ['x'] } } },
        { id: betaId, policy: { ...defaultPolicy, name: 'Theirs', conditions: { tags: ['y'] } } },
      ],
    });
    const ids = (await admin.sla.config()).policies.map((p) => p.id);
    expect(ids[0]).toBe(mine);
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(betaId);
    expect((await beta.sla.config()).policies).toMatchObject([
      { id: betaId, policy: { name: 'Beta' } },
    ]);
  });

  it('returns the linter warnings of an accepted list', async () => {
    const res = await setPolicies(
      { ...defaultPolicy, name: 'All' },
      { ...defaultPolicy, name: 'VIP', conditions: { tags: ['vip'] } },
    );
    expect(res.warnings.map((w) => w.message)).toEqual([
      'Policy "VIP": never applies: every ticket it matches is matched first by "All"',
    ]);
  });

  it('is for admins only, and each workspace sees only its own configuration', async () => {
    const manager = await env.as(env.a.users.manager.email);
    await expect(manager.sla.config()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await setPolicies(onlyFirstResponse());
    const betaAdmin = await env.as(env.b.users.admin.email);
    expect(await betaAdmin.sla.config()).toEqual({ policies: [], calendars: [] });
  });

  it('applies the first policy whose conditions match the ticket', async () => {
    await setPolicies(
      onlyFirstResponse({
        name: 'VIP',
        conditions: { tags: ['vip'] },
        targets: { first_response: { high: 10 } },
      }),
      onlyFirstResponse({ name: 'Rest' }),
    );
    const vip = await observe({ externalId: 'v', tags: ['vip'] });
    const rest = await observe({ externalId: 'r' });
    expect([vip.policy, vip.sla.targets[0]!.targetMs]).toEqual(['VIP', 10 * MIN]);
    expect([rest.policy, rest.sla.targets[0]!.targetMs]).toEqual(['Rest', 60 * MIN]);
  });
});

describe('alerts for managers', () => {
  it('lists and acknowledges alerts within the workspace only', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    await env.services.scheduler.tick(t('2026-03-27T09:30:01Z'));
    const manager = await env.as(env.a.users.manager.email);
    const [alert] = await manager.alerts.list();
    expect(alert).toMatchObject({
      kind: 'sla_warning',
      level: 'warn:50%',
      ticketSubject: 'Cannot log in',
      acknowledgedBy: null,
    });
    const beta = await env.as(env.b.users.manager.email);
    expect(await beta.alerts.list()).toEqual([]);
    await expect(beta.alerts.acknowledge({ alertId: alert!.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await manager.alerts.acknowledge({ alertId: alert!.id });
    expect((await manager.alerts.list())[0]!.acknowledgedBy).toBe('Alpha manager');
  });

  it('shows the priority the ticket had when the alert fired, not the one it has now', async () => {
    await setPolicies(onlyFirstResponse({ targets: { first_response: { high: 60, urgent: 60 } } }));
    await observe(); // high
    await env.services.scheduler.tick(t('2026-03-27T09:30:01Z')); // 50% warning, while high
    env.clock.set(t('2026-03-27T09:31:00Z'));
    await observe({ priority: 'urgent' }); // raised afterwards
    const manager = await env.as(env.a.users.manager.email);
    expect(await manager.alerts.list()).toMatchObject([{ level: 'warn:50%', priority: 'high' }]);
  });

  it('resolves an alert by itself once its clock is met', async () => {
    await setPolicies(onlyFirstResponse());
    await observe();
    await env.services.scheduler.tick(t('2026-03-27T09:30:01Z'));
    const manager = await env.as(env.a.users.manager.email);
    expect(await manager.alerts.list()).toMatchObject([{ level: 'warn:50%', resolved: null }]);
    env.clock.set(t('2026-03-27T09:40:00Z'));
    await observe({
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        { author: 'agent', public: true, at: '2026-03-27T09:39:00.000Z', externalId: 'm2' }, // the first response, in time
      ],
    });
    expect(await manager.alerts.list()).toMatchObject([{ level: 'warn:50%', resolved: 'met' }]);
  });

  it('resolves a breach answered late as met late, and one for a solved ticket as no longer relevant', async () => {
    await setPolicies(onlyFirstResponse());
    await observe({ externalId: 'late' });
    await observe({ externalId: 'solved' });
    await env.services.scheduler.tick(t('2026-03-27T10:00:01Z')); // both breached
    env.clock.set(t('2026-03-27T10:10:00Z'));
    await observe({
      externalId: 'late',
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        { author: 'agent', public: true, at: '2026-03-27T10:05:00.000Z', externalId: 'm2' },
      ],
    });
    await observe({ externalId: 'solved', status: 'Solved', statusCategory: 'solved' });
    const manager = await env.as(env.a.users.manager.email);
    const byTicket = Object.fromEntries(
      (await manager.alerts.list())
        .filter((a) => a.level === 'breach')
        .map((a) => [a.ticketId, a.resolved]),
    );
    expect(Object.values(byTicket).sort()).toEqual(['met_late', 'no_longer_applies']);
  });
});
