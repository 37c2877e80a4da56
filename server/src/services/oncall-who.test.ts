import { afterEach, beforeEach, expect, it } from 'vitest';
import { nextShifts } from '@deskwatch/shared';
import { snapshot, testEnv } from '../testing.js';

/**
 * Paging and the schedule list ask the who-is-on-call cache (issue #19): the same answers as
 * compiling the schedule afresh, with a schedule compiled once per version, not per question.
 */
let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const DAY = 86_400_000;

async function setUp() {
  const manager = await env.as(env.a.users.manager.email);
  const { id: scheduleId } = await manager.oncall.saveSchedule({
    name: 'Rota',
    timeZone: 'Europe/Amsterdam',
    layers: [
      {
        id: 'l',
        name: 'Week',
        start: '2026-03-23T09:00', // Mon
        turn: 'weekly',
        participants: [env.a.users.manager.userId, env.a.users.agent.userId],
      },
    ],
  });
  await manager.oncall.savePath({
    name: 'Default',
    isDefault: true,
    levels: [{ targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 }],
  });
  return { manager, scheduleId };
}

/** The answer computed afresh, without the cache. */
async function fresh(scheduleId: string, t: number) {
  const s = (await env.services.oncall.loadSchedule(env.a.id, scheduleId))!;
  const [current, following] = nextShifts(s.compiled, t, { limit: 2 });
  const onNow = current && current.start <= t ? current : undefined;
  return {
    now: onNow?.userId ?? null,
    next: (onNow ? following : current)?.userId ?? null,
    at: s.compiled.at(t)?.userId ?? null,
  };
}

it('lists who is on call now and next as a fresh computation does, compiling each version once', async () => {
  const { scheduleId } = await setUp();
  const oncall = env.services.oncall;
  const before = oncall.compilations();
  // Across the Sunday 2026-03-29 spring-forward and the handoff on Monday 09:00.
  for (const dt of [0, 2 * DAY, 3 * DAY + 1, 7 * DAY, 10 * DAY]) {
    const t = env.clock() + dt;
    const [view] = await oncall.listSchedules(env.a.id, t);
    const want = await fresh(scheduleId, t);
    expect([view!.now?.userId ?? null, view!.next?.userId ?? null], `+${dt}`).toEqual([
      want.now,
      want.next,
    ]);
  }
  expect(oncall.compilations() - before).toBe(1);

  // An override is a new version: compiled once more, and the answer follows it.
  const manager = await env.as(env.a.users.manager.email);
  const t = env.clock();
  await manager.oncall.addOverride({
    scheduleId,
    userId: env.a.users.admin.userId,
    start: t - 1,
    end: t + DAY,
  });
  const [view] = await oncall.listSchedules(env.a.id, t);
  expect(view!.now?.userId).toBe(env.a.users.admin.userId);
  expect((await fresh(scheduleId, t)).now).toBe(env.a.users.admin.userId);
  expect(oncall.compilations() - before).toBe(2);
});

it('pages whoever the schedule has on call, from the cache', async () => {
  const { manager, scheduleId } = await setUp();
  const oncall = env.services.oncall;
  const agent = await env.as(env.a.users.agent.email, 'token');
  const paged: string[] = [];
  const before = oncall.compilations();
  for (const [i, dt] of [0, DAY, 4 * DAY].entries()) {
    env.clock.set(Date.parse('2026-03-27T09:00:00Z') + dt);
    const { ticket } = await agent.tickets.observe({
      snapshot: snapshot({ externalId: `who${i}` }),
    });
    await agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: 'Help' });
    const page = (await manager.oncall.pages())[0]!;
    const [notified] = (await manager.oncall.timeline({ pageId: page.id })).filter(
      (e) => e.type === 'notified',
    );
    paged.push(notified!.userName!);
    const want = (await fresh(scheduleId, env.clock())).at;
    expect(notified!.userName).toBe(
      want === env.a.users.manager.userId ? 'Alpha manager' : 'Alpha agent',
    );
  }
  // Fri and Sat: the manager's week; the next Tuesday: the agent's.
  expect(paged).toEqual(['Alpha manager', 'Alpha manager', 'Alpha agent']);
  expect(oncall.compilations() - before).toBe(1);
});
