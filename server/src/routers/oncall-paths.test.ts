import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RED_FLAG_RULES } from '@deskwatch/shared';
import { createConnectorWatch, SILENT_AFTER_MS } from '../connectors/watch.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;
const rows = async <T>(sql: string, args: (string | number)[] = []) =>
  (await env.client.execute({ sql, args })).rows as unknown as T[];
/** Who got a push queued for a source starting with `prefix`, and from when it may go. */
const queued = async (prefix: string) =>
  (
    await rows<{ user_id: string; next_at: number }>(
      `SELECT user_id, next_at FROM push_outbox WHERE source_id LIKE ? ORDER BY user_id`,
      [`${prefix}%`],
    )
  ).map((r) => ({ userId: r.user_id, nextAt: Number(r.next_at) }));
const pushedTo = async (prefix: string) => [
  ...new Set((await queued(prefix)).map((q) => q.userId)),
];
const pageOf = async (sourceId: string) =>
  (await rows<{ id: string }>('SELECT id FROM pages WHERE source_id = ?', [sourceId]))[0]?.id;

/** One device per person of both workspaces; the endpoints never answer (no push leaves the test). */
async function devices() {
  for (const ws of [env.a, env.b])
    for (const u of Object.values(ws.users))
      await env.client.execute({
        sql: `INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, 'k', 'a', 0)`,
        args: [`dev-${u.userId}`, ws.id, u.userId, `https://push.invalid/${u.userId}`],
      });
}

/** A default path paging the manager, and an incidents path paging the admin (5 min each). */
async function paths() {
  await devices();
  const manager = await env.as(env.a.users.manager.email);
  const user = (userId: string) => [
    { targets: [{ kind: 'user' as const, userId }], timeoutMinutes: 5 },
  ];
  const { id: defaultId } = await manager.oncall.savePath({
    name: 'Default',
    isDefault: true,
    levels: user(env.a.users.manager.userId),
  });
  const { id: incidentsId } = await manager.oncall.savePath({
    name: 'Incidents',
    levels: user(env.a.users.admin.userId),
  });
  return { manager, defaultId, incidentsId };
}

let ticketNo = 0;
async function escalate(
  type: 'tier2' | 'incident' = 'tier2',
  severity: 'low' | 'normal' | 'high' | 'critical' = 'normal',
  tags: string[] = [],
) {
  const agent = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agent.tickets.observe({
    snapshot: snapshot({ externalId: `e${++ticketNo}`, tags }),
  });
  return agent.escalations.request({ ticketId: ticket.id, type, severity, reason: 'Locked out' });
}

describe('which path pages', () => {
  it("pages an escalation type's override path, and the default for other types", async () => {
    const { manager, incidentsId } = await paths();
    await manager.oncall.saveRoutes({
      routes: [
        { name: 'Incidents', match: { escalationTypes: ['incident'] }, pathId: incidentsId },
      ],
    });
    const incident = await escalate('incident', 'critical');
    const tier2 = await escalate('tier2');
    expect(await pushedTo((await pageOf(incident.id))!)).toEqual([env.a.users.admin.userId]);
    expect(await pushedTo((await pageOf(tier2.id))!)).toEqual([env.a.users.manager.userId]);
    expect(await manager.oncall.routes()).toMatchObject([
      { name: 'Incidents', pathId: incidentsId },
    ]);
  });

  it('routes escalation requests by tag to a path that pages only in its own office hours', async () => {
    const { manager, incidentsId } = await paths();
    await manager.oncall.savePath({
      id: incidentsId,
      name: 'Billing office',
      levels: [
        { targets: [{ kind: 'user', userId: env.a.users.admin.userId }], timeoutMinutes: 5 },
      ],
      conditions: {
        hours: {
          timeZone: 'Europe/Amsterdam',
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
        },
      },
    });
    await manager.oncall.saveRoutes({
      routes: [{ name: 'Billing', match: { tags: ['billing'] }, pathId: incidentsId }],
    });
    // Fri 27 March 09:00Z is 10:00 in Amsterdam: open.
    const inHours = await escalate('tier2', 'normal', ['billing']);
    expect(await pushedTo((await pageOf(inHours.id))!)).toEqual([env.a.users.admin.userId]);
    // Mon 30 March 07:30Z is 09:30 CEST (the clocks went forward on Sunday): open again.
    env.clock.set(t('2026-03-30T07:30Z'));
    const monday = await escalate('tier2', 'normal', ['billing']);
    expect(await pushedTo((await pageOf(monday.id))!)).toEqual([env.a.users.admin.userId]);
    // Mon 30 March 06:30Z is 08:30 CEST: closed, so the default path pages.
    env.clock.set(t('2026-03-30T06:30Z'));
    const early = await escalate('tier2', 'normal', ['billing']);
    expect(await pushedTo((await pageOf(early.id))!)).toEqual([env.a.users.manager.userId]);
    // No tag: the default path.
    env.clock.set(t('2026-03-30T07:30Z'));
    const plain = await escalate('tier2');
    expect(await pushedTo((await pageOf(plain.id))!)).toEqual([env.a.users.manager.userId]);
  });
});

describe('red flags and connector failures', () => {
  it('pages a red flag down the path routed for red flags, and every manager where no path fits', async () => {
    const { manager, incidentsId } = await paths();
    await manager.oncall.saveRoutes({
      routes: [{ name: 'Flags', match: { kinds: ['red_flag'] }, pathId: incidentsId }],
    });
    const flag = (workspaceId: string, sourceId: string) =>
      env.services.pager.page({
        workspaceId,
        kind: 'red_flag',
        sourceId,
        title: 'Red flag: legal threat',
        payload: { kind: 'red_flag', title: 'Red flag: legal threat', url: 'https://x.test/' },
        t: env.clock(),
        subject: {
          kind: 'red_flag',
          urgency: 'high',
          priority: 'high',
          source: 'demo-desk',
          tags: [],
        },
      });
    expect(await flag(env.a.id, 'flag-a')).toEqual({ paged: true });
    expect(await pushedTo((await pageOf('flag-a'))!)).toEqual([env.a.users.admin.userId]);
    // Beta has no path: its managers and admins are told, as before paths.
    expect(await flag(env.b.id, 'flag-b')).toEqual({ paged: false });
    expect((await pushedTo('flag-b')).sort()).toEqual(
      [env.b.users.manager.userId, env.b.users.admin.userId].sort(),
    );
  });

  it('pages a raised red flag down the route for red flags; without a path it goes to every manager', async () => {
    const { manager, incidentsId } = await paths();
    await manager.oncall.saveRoutes({
      routes: [{ name: 'Flags', match: { kinds: ['red_flag'] }, pathId: incidentsId }],
    });
    const agent = await env.as(env.a.users.agent.email, 'token');
    const old = { createdAt: new Date(env.clock() - 3 * 24 * HOUR).toISOString(), messages: [] };
    await agent.tickets.observe({ snapshot: snapshot({ externalId: 'aging', ...old }) });
    const aging = {
      ...DEFAULT_RED_FLAG_RULES,
      timeZone: 'UTC',
      aging_tickets: { enabled: true, days: 2 },
    };
    expect((await manager.flags.setRules(aging)).raised).toBe(1);
    const [flag] = await manager.flags.list();
    const page = await pageOf(flag!.id);
    expect(page).toBeTruthy();
    expect(await pushedTo(page!)).toEqual([env.a.users.admin.userId]); // the incidents path only
    expect(await pushedTo(flag!.id)).toEqual([]);

    // Beta has no path: its managers and admins are told, as before paths.
    const betaAgent = await env.as(env.b.users.agent.email, 'token');
    await betaAgent.tickets.observe({ snapshot: snapshot({ externalId: 'aging-b', ...old }) });
    const betaManager = await env.as(env.b.users.manager.email);
    expect((await betaManager.flags.setRules(aging)).raised).toBe(1);
    const [betaFlag] = await betaManager.flags.list();
    expect(await pageOf(betaFlag!.id)).toBeUndefined();
    expect((await pushedTo(betaFlag!.id)).sort()).toEqual(
      [env.b.users.manager.userId, env.b.users.admin.userId].sort(),
    );
  });

  it('pages a silent connector down the default path (low urgency) instead of every admin', async () => {
    await paths();
    const { id } = await env.services.connectors.create(env.a.id, {
      tool: 'zendesk',
      name: 'Acme Zendesk',
      config: { subdomain: 'acme' },
      webhookSecret: 'zendesk-signing-secret-for-paths',
    });
    const watch = createConnectorWatch(
      env.client,
      env.services.push,
      () => 'https://deskwatch.test',
      SILENT_AFTER_MS,
      env.services.oncall,
    );
    expect(await watch.check(env.clock() + SILENT_AFTER_MS + MIN)).toEqual([id]);
    const [page] = await rows<{ id: string; kind: string; urgency: string }>(
      "SELECT id, kind, urgency FROM pages WHERE kind = 'connector'",
    );
    expect(page).toMatchObject({ kind: 'connector', urgency: 'low' });
    expect(await pushedTo(page!.id)).toEqual([env.a.users.manager.userId]);
  });
});

describe('quiet hours', () => {
  it('holds a low-urgency page until quiet hours end and sends a high-urgency one at once', async () => {
    await paths();
    const manager = await env.as(env.a.users.manager.email);
    // Fridays 08:00-12:00 Amsterdam (CET): 07:00Z-11:00Z; the clock is at 09:00Z.
    await manager.oncall.saveQuietHours({
      quietHours: {
        timeZone: 'Europe/Amsterdam',
        windows: [{ days: ['fri'], start: '08:00', end: '12:00' }],
      },
    });
    expect((await manager.oncall.quietHours()).quietHours?.timeZone).toBe('Europe/Amsterdam');
    const low = await escalate('tier2', 'normal');
    const high = await escalate('tier2', 'critical');
    const lowPage = (await pageOf(low.id))!;
    expect(await queued(lowPage)).toEqual([
      { userId: env.a.users.manager.userId, nextAt: t('2026-03-27T11:00Z') },
    ]);
    // (Its delivery may already have been tried and rescheduled by a retry's backoff: not held.)
    const [sent] = await queued((await pageOf(high.id))!);
    expect(sent!.userId).toBe(env.a.users.manager.userId);
    expect(sent!.nextAt).toBeLessThan(t('2026-03-27T10:00Z'));
    const [notified] = await manager.oncall.timeline({ pageId: lowPage });
    expect(notified!.devices).toMatchObject([{ state: 'pending', nextAt: t('2026-03-27T11:00Z') }]);
    // Someone else's quiet hours are not the manager's.
    const admin = await env.as(env.a.users.admin.email);
    expect((await admin.oncall.quietHours()).quietHours).toBeNull();
  });
});

describe('resolve and reassign', () => {
  it('reassigns a page to someone who is paged now, then resolves it, all on the timeline', async () => {
    const { manager } = await paths();
    const esc = await escalate('tier2', 'high');
    const pageId = (await pageOf(esc.id))!;
    env.clock.advance(2 * MIN);
    await manager.oncall.acknowledge({ pageId });
    env.clock.advance(MIN);
    await manager.oncall.reassign({ pageId, userId: env.a.users.admin.userId });
    expect(await pushedTo(`${pageId}:r:`)).toEqual([env.a.users.admin.userId]);
    const [view] = (await manager.oncall.pages()).filter((p) => p.id === pageId);
    // Open again, with the level's five minutes for the admin to answer.
    expect(view).toMatchObject({
      state: 'open',
      acknowledgedBy: null,
      nextAt: env.clock() + 5 * MIN,
    });

    const admin = await env.as(env.a.users.admin.email);
    env.clock.advance(MIN);
    await admin.oncall.acknowledge({ pageId });
    env.clock.advance(MIN);
    await admin.oncall.resolve({ pageId });
    await env.services.scheduler.tick(env.clock() + HOUR);
    const timeline = await admin.oncall.timeline({ pageId });
    expect(timeline.map((e) => [e.type, e.userName, e.byName])).toEqual([
      ['notified', 'Alpha manager', null],
      ['acknowledged', 'Alpha manager', null],
      ['reassigned', 'Alpha admin', 'Alpha manager'],
      ['acknowledged', 'Alpha admin', null],
      ['resolved', 'Alpha admin', null],
    ]);
    expect(timeline[2]!.devices.map((d) => d.deviceId)).toEqual([
      `dev-${env.a.users.admin.userId}`,
    ]);
    expect((await admin.oncall.pages()).find((p) => p.id === pageId)!.state).toBe('resolved');
    await expect(admin.oncall.resolve({ pageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      admin.oncall.reassign({ pageId, userId: env.a.users.agent.userId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to reassign to someone outside the workspace and writes nothing', async () => {
    const { manager } = await paths();
    const esc = await escalate();
    const pageId = (await pageOf(esc.id))!;
    await expect(
      manager.oncall.reassign({ pageId, userId: env.b.users.admin.userId }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await pushedTo(`${pageId}:r:`)).toEqual([]);
    expect(await rows(`SELECT id FROM page_events WHERE type = 'reassigned'`)).toEqual([]);
  });
});

describe('automatic escalation rules', () => {
  it('opens an escalation once for a ticket unresolved past the hours set', async () => {
    const { manager } = await paths();
    await manager.oncall.saveAutoRule({
      name: 'Stale',
      when: { kind: 'unresolved', hours: 2 },
      type: 'tier2',
      severity: 'high',
    });
    const agent = await env.as(env.a.users.agent.email, 'token');
    await agent.tickets.observe({ snapshot: snapshot() }); // created 08:40Z
    const escalations = () =>
      rows<{ id: string; reason: string; type: string }>(
        'SELECT id, reason, type FROM escalations',
      );
    const { scheduler } = env.services;
    await scheduler.tick(t('2026-03-27T10:39Z'));
    expect(await escalations()).toEqual([]);
    await scheduler.tick(t('2026-03-27T10:41Z'));
    const [opened, ...more] = await escalations();
    expect(more).toEqual([]);
    expect(opened!.reason).toContain('"Stale": unresolved for 2 h');
    // It pages like a request from an agent: the default path's first level.
    expect(await pushedTo((await pageOf(opened!.id))!)).toEqual([env.a.users.manager.userId]);
    // Later looks, and a second instance, open nothing more for the same ticket.
    const other = await env.secondInstance();
    await scheduler.tick(t('2026-03-27T12:00Z'));
    await other.oncallRules.check(t('2026-03-27T12:00Z'));
    expect(await escalations()).toHaveLength(1);
  });

  it('opens an escalation for a breached ticket nobody is assigned to, not for an assigned one', async () => {
    const { manager } = await paths();
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    await manager.oncall.saveAutoRule({
      name: 'Orphans',
      when: { kind: 'breached_unassigned' },
    });
    const agent = await env.as(env.a.users.agent.email, 'token');
    const created = '2026-03-27T09:00:00.000Z';
    const { ticket: orphan } = await agent.tickets.observe({
      snapshot: snapshot({ externalId: 'o', createdAt: created }),
    });
    await agent.tickets.observe({
      snapshot: snapshot({ externalId: 'a', createdAt: created, assignee: 'Alpha agent' }),
    });
    const { scheduler } = env.services;
    await scheduler.tick(t('2026-03-27T10:00:01Z')); // both breach
    await scheduler.tick(t('2026-03-27T10:01:02Z')); // the rule's next look
    const opened = await rows<{ ticket_id: string }>('SELECT ticket_id FROM escalations');
    expect(opened.map((r) => r.ticket_id)).toEqual([orphan.id]);
  });
});

describe('workspace isolation of routes, rules, quiet hours and page actions', () => {
  it("keeps Alpha's routes, rules and pages out of Beta's reach and writes nothing", async () => {
    const { manager, incidentsId } = await paths();
    await manager.oncall.saveRoutes({
      routes: [
        { name: 'Incidents', match: { escalationTypes: ['incident'] }, pathId: incidentsId },
      ],
    });
    const { id: ruleId } = await manager.oncall.saveAutoRule({
      name: 'Stale',
      when: { kind: 'unresolved', hours: 24 },
    });
    const esc = await escalate();
    const pageId = (await pageOf(esc.id))!;
    const beta = await env.as(env.b.users.manager.email);
    expect(await beta.oncall.routes()).toEqual([]);
    expect(await beta.oncall.autoRules()).toEqual([]);
    await expect(
      beta.oncall.saveRoutes({
        routes: [{ name: 'Steal', match: {}, pathId: incidentsId }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      beta.oncall.saveAutoRule({
        id: ruleId,
        name: 'Steal',
        when: { kind: 'breached_unassigned' },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(beta.oncall.resolve({ pageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      beta.oncall.reassign({ pageId, userId: env.b.users.admin.userId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Agents read and change none of it; malformed input is refused before anything is written.
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.oncall.routes()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      agent.oncall.saveAutoRule({ name: 'Mine', when: { kind: 'breached_unassigned' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      manager.oncall.saveRoutes({
        routes: [{ name: 'Bad', match: { colour: ['red'] } as never, pathId: incidentsId }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      manager.oncall.saveQuietHours({
        quietHours: {
          timeZone: 'Mars/Olympus',
          windows: [{ days: ['mon'], start: '22:00', end: '07:00' }],
        },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rows('SELECT name FROM page_routes')).toEqual([{ name: 'Incidents' }]);
    expect(await rows('SELECT name FROM auto_escalation_rules')).toEqual([{ name: 'Stale' }]);
    expect(await rows('SELECT user_id FROM quiet_hours')).toEqual([]);
    expect((await rows<{ state: string }>('SELECT state FROM pages'))[0]!.state).toBe('open');
  });
});
