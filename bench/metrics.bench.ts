// The manager's glance (issue #18) on the embedded database: the glance query (every card, 7 and
// 30 days) and one drill-down list, against reading the workspace's raw event log once (the
// baseline: what any computation from the log must at least do). Target: glance p95 <= 100 ms.
// A measurement that prints figures; it never fails on them.
// TODO(#18): daily rollups; until then the glance recomputes every ticket's cycles per query.
import { quantiles, seededDb } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const now = Date.parse('2026-03-27T12:00:00Z');
const DAY = 86_400_000;
// Spread over the last 30 days, so every day of the month has tickets.
const env = await seededDb(N, {
  createdAt: (i) => now - ((i * 7919) % (30 * DAY)),
  now: () => now,
});
console.log(`seeded ${N} tickets in ${(env.seedMs / 1000).toFixed(1)} s`);

async function time(f: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  return quantiles(samples);
}

const ws = env.workspaceId;
const baseline = await time(() =>
  env.client.execute({
    sql: 'SELECT ticket_id, type, at, data FROM ticket_events WHERE workspace_id = ?',
    args: [ws],
  }),
);
const q = (period: '7d' | '30d') => ({ period, timeZone: 'Europe/Amsterdam' }) as const;
const rows: [string, Awaited<ReturnType<typeof time>>][] = [
  ['read the raw log (baseline)', baseline],
  ['glance, 7 days', await time(() => env.services.metrics.glance(ws, q('7d')))],
  ['glance, 30 days', await time(() => env.services.metrics.glance(ws, q('30d')))],
  [
    'glance, 30 days, priority high',
    await time(() => env.services.metrics.glance(ws, { ...q('30d'), priorities: ['high'] })),
  ],
  [
    'drill-down, first response 30 days',
    await time(() => env.services.metrics.tickets(ws, q('30d'), 'first_response')),
  ],
];
console.log(`${N} tickets, ${ROUNDS} rounds each (ms; ratio to the baseline's median):`);
for (const [name, r] of rows)
  console.log(
    `  ${name.padEnd(36)} median ${r.median.toFixed(0).padStart(7)}  p95 ${r.p95.toFixed(0).padStart(7)}  x${(r.median / baseline.median).toFixed(1)} / x${(r.p95 / baseline.median).toFixed(1)}`,
  );
console.log('  target: glance p95 <= 100 ms (rollups not built yet: see docs/metrics.md)');
env.close();
