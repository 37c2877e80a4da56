import { readFileSync } from 'node:fs';
import type { SlaState, TargetState } from '@deskwatch/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { storedBadge } from './sla-badge.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  env = await testEnv();
});
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);

/** Every stored row's badge column beside the badge recomputed from its stored state. */
async function storedAndRecomputed() {
  const rs = await env.client.execute('SELECT state_json, badge_json FROM ticket_sla');
  expect(rs.rows.length).toBeGreaterThan(0);
  return rs.rows.map((r) => ({
    stored: r[1] == null ? null : (JSON.parse(r[1] as string) as unknown),
    recomputed: storedBadge(JSON.parse(r[0] as string) as SlaState),
  }));
}
async function expectBadgesMatchStates() {
  for (const { stored, recomputed } of await storedAndRecomputed())
    expect(stored).toEqual(recomputed);
}

/** The backfill statement of the migration that added `badge_json`. */
const BACKFILL = readFileSync(new URL('../../drizzle/0033_sla_badge.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .map((s) => s.trim())
  .find((s) => s.includes('UPDATE'))!;

const target = (over: Partial<TargetState>): TargetState => ({
  metric: 'first_response',
  status: 'running',
  breached: false,
  clock: 'business',
  targetMs: 3_600_000,
  cycleStart: 0,
  elapsedMs: 0,
  remainingMs: 3_600_000,
  dueAt: 5_000,
  calendarMsToDue: 5_000,
  stoppedAt: null,
  pausedBy: null,
  percentUsed: 0,
  ...over,
});

describe('the stored badge column', () => {
  it('is written right by observations, policy changes and scheduler ticks', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const agent = await env.as(env.a.users.agent.email, 'token');
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    // Observations: a new ticket, a second, then a change that pauses the first.
    await agent.tickets.observe({
      snapshot: snapshot({ createdAt: '2026-03-27T09:00:00.000Z' }),
    });
    await agent.tickets.observe({
      snapshot: snapshot({ externalId: '2', createdAt: '2026-03-27T09:00:00.000Z' }),
    });
    await expectBadgesMatchStates();
    env.clock.set(t('2026-03-27T09:10:00Z'));
    await agent.tickets.observe({
      snapshot: snapshot({
        createdAt: '2026-03-27T09:00:00.000Z',
        status: 'Pending',
        statusCategory: 'pending_customer',
      }),
    });
    await expectBadgesMatchStates();
    const before = await storedAndRecomputed();
    // A policy change recomputes every open ticket: a new target changes each badge.
    await admin.sla.savePolicies({
      policies: [
        {
          policy: {
            name: 'FR and resolution',
            targets: { first_response: { high: 30 }, resolution: { high: 240 } },
          },
        },
      ],
    });
    await expectBadgesMatchStates();
    expect(await storedAndRecomputed()).not.toEqual(before);
    // Scheduler ticks store the state they computed (past warnings and the breach).
    for (const at of ['2026-03-27T09:20:00Z', '2026-03-27T09:40:00Z', '2026-03-27T12:00:00Z']) {
      env.clock.set(t(at));
      await env.services.scheduler.tick(t(at));
      await expectBadgesMatchStates();
    }
    const rows = await storedAndRecomputed();
    expect(rows.some((r) => (r.stored as { breached?: boolean } | null)?.breached)).toBe(true);
  });

  it("is backfilled by its migration with badgeTarget's choice", async () => {
    const states: TargetState[][] = [
      [],
      // running clocks by due instant, unknown due last, ties in order
      [target({ dueAt: 9_000 }), target({ metric: 'resolution', dueAt: 4_000 })],
      [target({ dueAt: null }), target({ metric: 'resolution', dueAt: 4_000 })],
      [target({ dueAt: 4_000, clock: 'calendar' }), target({ metric: 'resolution', dueAt: 4_000 })],
      // paused only: least left; a running one wins over paused ones
      [
        target({ status: 'paused', remainingMs: 500, dueAt: null, pausedBy: 'pending_customer' }),
        target({ metric: 'resolution', status: 'paused', remainingMs: -20, breached: true }),
      ],
      [target({ status: 'paused', dueAt: 1 }), target({ metric: 'resolution', dueAt: 8_000 })],
      // stopped only: the first breached, else the last; outcome unknown kept
      [
        target({ status: 'met', stoppedAt: 10 }),
        target({ metric: 'next_response', status: 'breached', breached: true, stoppedAt: 20 }),
        target({ metric: 'resolution', status: 'breached', breached: true, stoppedAt: 30 }),
      ],
      [
        target({ status: 'met', stoppedAt: 10 }),
        target({ metric: 'resolution', status: 'met', stoppedAt: 30, outcomeUnknown: true }),
      ],
    ];
    const agent = await env.as(env.a.users.agent.email, 'token');
    const ids: string[] = [];
    for (const [i] of states.entries()) {
      const r = await agent.tickets.observe({ snapshot: snapshot({ externalId: `b${i}` }) });
      ids.push(r.ticket.id);
    }
    for (const [i, targets] of states.entries()) {
      const state = { computedAt: 1_000 + i, targets } as unknown as SlaState;
      await env.client.execute({
        sql: 'UPDATE ticket_sla SET state_json = ?, badge_json = NULL WHERE ticket_id = ?',
        args: [JSON.stringify(state), ids[i]!],
      });
    }
    await env.client.execute(BACKFILL);
    const rows = await storedAndRecomputed();
    expect(rows.filter((r) => r.recomputed !== null)).toHaveLength(states.length - 1);
    for (const { stored, recomputed } of rows) expect(stored).toEqual(recomputed);
  });
});
