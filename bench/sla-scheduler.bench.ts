// Scheduler lag from a warning's instant to its alert, with 100k open tickets (target <= 5 s).
// Runs the real scheduler loop (1 s ticks) on the wall clock; prints figures, never fails on them.
import { defaultPolicy } from '@deskwatch/shared';
import { quantiles, seededDb } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const WINDOW_S = 20;
const DUE = 500; // warnings that fall inside the measured window; the rest are later
const start = Date.now();
// Instants begin after a lead time long enough to seed and compute every ticket first.
const LEAD_MS = Number(process.env.BENCH_LEAD_S ?? (N >= 50_000 ? 45 : 10)) * 1000;
const target = 60 * 60_000; // high/urgent/normal/low all 60 min here; 50% warning 30 min after creation
// Ticket i < DUE reaches 50% at start + lead + i * (WINDOW_S / DUE) s; the others an hour later or more.
const createdAt = (i: number) =>
  i < DUE
    ? start + LEAD_MS + (i * WINDOW_S * 1000) / DUE - target / 2
    : start - target / 2 + 3_600_000 + i * 10;
const env = await seededDb(N, { createdAt });
const hour = { minutes: 60, clock: 'business' as const };
const flat = { urgent: hour, high: hour, normal: hour, low: hour };
await env.services.sla.savePolicies(env.workspaceId, [
  {
    policy: {
      ...defaultPolicy,
      name: 'Bench',
      targets: { first_response: flat, next_response: {}, periodic_update: {}, resolution: {} },
      warnings: { percents: [50], beforeDueMinutes: [] },
    },
  },
]);
const ready = Date.now();
console.log(`seeded and computed ${N} open tickets in ${((ready - start) / 1000).toFixed(1)} s`);

// Wall-clock instant of each alert's appearance, observed by polling the alerts table.
const seen = new Map<string, number>();
env.services.scheduler.start(1000);
const end = start + LEAD_MS + WINDOW_S * 1000 + 8000;
while (Date.now() < end) {
  const rs = await env.client.execute({
    sql: "SELECT ticket_id FROM alerts WHERE level = 'warn:50%'",
    args: [],
  });
  const t = Date.now();
  for (const r of rs.rows) if (!seen.has(r[0] as string)) seen.set(r[0] as string, t);
  await new Promise((r) => setTimeout(r, 50));
}
await env.services.scheduler.stop();

const lags: number[] = [];
for (let i = 0; i < DUE; i++) {
  const instant = createdAt(i) + target / 2;
  const at = seen.get(`t${i}`);
  if (at !== undefined && instant >= ready) lags.push(at - instant);
}
const q = quantiles(lags);
console.log(
  `alerts observed: ${lags.length} of the ${DUE} warnings due while running (instants before the start excluded)`,
);
console.log(
  `lag from instant to alert: median ${(q.median / 1000).toFixed(2)} s, p95 ${(q.p95 / 1000).toFixed(2)} s, max ${(q.max / 1000).toFixed(2)} s (target 5 s)`,
);
env.close();
