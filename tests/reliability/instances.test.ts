/**
 * Two real server processes on one libSQL file, both running the SLA scheduler on real time:
 * every due alert is raised exactly once, and when the instance holding claims dies by
 * kill -9, another one takes its work over once the claims expire. Times are upper bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicy } from '@deskwatch/shared';
import { afterEach, expect, it } from 'vitest';
import {
  client,
  openDbFile,
  pairedToken,
  signIn,
  startServerProcess,
  ticketSnapshot,
  until,
  type DbFile,
  type ServerProcess,
} from './harness.js';

const SCHEDULER = { SCHEDULER: 'on', SCHEDULER_INTERVAL_MS: '200' };
/** A one-minute first response on calendar time, breach only: alerts due in seconds. */
const FAST = {
  ...defaultPolicy,
  name: 'One minute',
  calendarId: null,
  targets: {
    first_response: Object.fromEntries(
      ['urgent', 'high', 'normal', 'low'].map((p) => [p, { minutes: 1, clock: 'calendar' }]),
    ),
  },
  warnings: { percents: [], beforeDueMinutes: [] },
};

let dir = '';
const started: ServerProcess[] = [];
let db: DbFile | null = null;
afterEach(async () => {
  db?.close();
  db = null;
  for (const s of started.splice(0)) await s.kill9();
  rmSync(dir, { recursive: true, force: true });
});

/** The first instance seeds the demo workspace; later ones only open the file. */
async function start(dbFile: string) {
  const seed = started.length === 0 ? 'true' : 'false';
  const s = await startServerProcess(dbFile, { ...SCHEDULER, SEED_DEMO: seed });
  started.push(s);
  return s;
}

/** Observes `count` tickets whose first response is due at `dueAt` (real time). */
async function observeDue(
  url: string,
  token: string,
  prefix: string,
  count: number,
  dueAt: number,
) {
  const api = client(url, { bearer: token });
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < ids.length; i += 8)
    await Promise.all(
      ids.slice(i, i + 8).map(async (id) => {
        const res = await api.mutate('tickets.observe', {
          snapshot: { ...ticketSnapshot(id, dueAt - 60_000), priority: 'urgent' },
        });
        expect(res, JSON.stringify(res)).toMatchObject({ status: 200 });
      }),
    );
  return ids;
}

/** Alerts per ticket (by external id) for the tickets whose external ids start with `prefix`. */
async function alertsOf(prefix: string) {
  const rs = await db!.execute({
    sql: `SELECT t.external_id, a.level, a.fired_by FROM alerts a JOIN tickets t ON t.id = a.ticket_id
           WHERE t.external_id LIKE ? ORDER BY t.external_id`,
    args: [`${prefix}-%`],
  });
  return rs.rows.map((r) => ({ ticket: String(r[0]), level: String(r[1]), by: String(r[2]) }));
}

it('raises each due alert exactly once with two instances, and takes over from one killed with -9', async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-two-'));
  const dbFile = join(dir, 'two.db');
  const one = await start(dbFile);
  db = await openDbFile(dbFile);
  // Set up before the second instance starts, so that its writes cannot collide (finding 3).
  const admin = client(one.url, { cookie: await signIn(one.url, 'admin@acme.test') });
  expect((await admin.mutate('sla.savePolicies', { policies: [{ policy: FAST }] })).status).toBe(
    200,
  );
  const token = await pairedToken(one.url, 'agent@acme.test');
  const two = await start(dbFile);

  // Both instances tick: every ticket gets its breach once.
  const due = Date.now() + 15_000;
  const first = [
    ...(await observeDue(one.url, token, 'both-a', 15, due)),
    ...(await observeDue(two.url, token, 'both-b', 15, due)),
  ];
  const raised = await until(
    'a breach for every ticket',
    async () => {
      const a = await alertsOf('both');
      return new Set(a.map((x) => x.ticket)).size === first.length && a;
    },
    120_000,
  );
  expect(raised.map((a) => a.level)).toEqual(first.map(() => 'breach'));
  expect(raised.map((a) => a.ticket).sort()).toEqual([...first].sort());

  // Takeover: only one instance runs; it dies by kill -9 while it holds claims.
  await two.stop();
  let holder = one;
  let held: { ticket: string; by: string }[] = [];
  let prefix = '';
  for (let round = 0; round < 4 && held.length === 0; round++) {
    prefix = `takeover${round}`;
    // Due well after the observations end (later each round, in case observing was slow).
    await observeDue(holder.url, token, prefix, 300, Date.now() + 20_000 * (round + 1));
    // Polls its own connection for a claim, then kills the instance at once; if the pass
    // already ended (every ticket alerted), the round is lost and another one starts.
    await until(
      'a claim, or the round done',
      async () => {
        const rs = await db!.execute(
          'SELECT count(*) FROM ticket_sla WHERE claimed_until IS NOT NULL',
        );
        return Number(rs.rows[0]![0]) > 0 || (await alertsOf(prefix)).length === 300;
      },
      180_000,
      5,
    );
    await holder.kill9();
    const rs = await db!.execute(
      `SELECT t.external_id, s.claimed_by FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
        WHERE s.claimed_until IS NOT NULL`,
    );
    held = rs.rows.map((r) => ({ ticket: String(r[0]), by: String(r[1]) }));
    holder = await start(dbFile);
  }
  expect(held.length, 'caught an instance holding claims in one of 4 rounds').toBeGreaterThan(0);
  const heldIds = new Set(held.map((h) => h.ticket));
  const takenOver = await until(
    'the held tickets taken over after their claims expire',
    async () => {
      const a = await alertsOf(prefix);
      return a.filter((x) => heldIds.has(x.ticket)).length === heldIds.size && a;
    },
    180_000,
    500,
  );
  const dead = held[0]!.by;
  expect(takenOver.filter((a) => heldIds.has(a.ticket)).every((a) => a.by !== dead)).toBe(true);
  // Each ticket of the round, held or not, has exactly one breach.
  await until(
    'every ticket of the round alerted',
    async () => (await alertsOf(prefix)).length >= 300,
    120_000,
  );
  const all = await alertsOf(prefix);
  expect(all.length).toBe(300);
  expect(new Set(all.map((a) => a.ticket)).size).toBe(300);
}, 600_000);

it('brings an escalation decided on one instance to an overlay feed open on the other', async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-two-feed-'));
  const dbFile = join(dir, 'two.db');
  const one = await start(dbFile);
  const two = await start(dbFile);
  const token = await pairedToken(one.url, 'agent@acme.test');
  const agent = client(one.url, { bearer: token });
  const observed = await agent.mutate<{ ticket: { id: string } }>('tickets.observe', {
    snapshot: ticketSnapshot('feed-1', Date.now() - 60_000),
  });
  const ticketId = observed.data.ticket.id;
  const esc = await agent.mutate<{ id: string }>('escalations.request', {
    ticketId,
    type: 'tier2',
    reason: 'Locked out before a launch',
  });
  expect(esc.status).toBe(200);

  // The extension's feed, on the other instance, as its background opens it.
  const closed = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ ticketIds: [ticketId] }));
  const res = await fetch(`${two.url}/trpc/escalations.watchTickets?input=${input}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: closed.signal,
  });
  const reader = res.body!.getReader();
  let seen = '';
  const read = async (needle: string) => {
    while (!seen.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`feed ended before ${needle}:\n${seen}`);
      seen += new TextDecoder().decode(value);
    }
  };
  try {
    await read('"pending"');
    const manager = client(one.url, { cookie: await signIn(one.url, 'manager@acme.test') });
    const decided = await manager.mutate('escalations.decide', {
      escalationId: esc.data.id,
      decision: 'approve',
      comment: 'Go ahead',
    });
    expect(decided.status).toBe(200);
    // Upper bound only (the instance reads other instances' changes every LIVE_POLL_MS).
    await Promise.race([
      read('"approved"'),
      new Promise((_, fail) =>
        setTimeout(() => fail(new Error(`no decision on the feed:\n${seen}`)), 30_000),
      ),
    ]);
    expect(seen).toContain('Go ahead');
  } finally {
    closed.abort();
    await reader.cancel().catch(() => undefined);
  }
}, 120_000);
