// The SLA what-if on the demo workspace and on a month of synthetic tickets: median and p95,
// as ratios against recomputing the workspace's open tickets (what a save does), measured in
// the same run. A measurement that prints figures; it never fails on them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicy } from '@deskwatch/shared';
import { openDb } from '../server/src/db/client.js';
import { seedDemo, seedDemoKbHistory } from '../server/src/seed.js';
import { createServices } from '../server/src/services/index.js';
import { loadOrCreateVapidKeys } from '../server/src/services/push.js';
import { quantiles, seededDb } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const DAY = 86_400_000;
const now = Date.parse('2026-03-27T12:00:00Z');
const env = await seededDb(N, {
  createdAt: (i) => now - ((i * 7919 * 60_000) % (30 * DAY)),
  now: () => now,
});
// The demo on a database of its own, as a first start with SEED_DEMO and SEED_DEMO_HISTORY makes it.
const demoDb = await openDb({
  url: `file:${join(mkdtempSync(join(tmpdir(), 'deskwatch-bench-')), 'demo.db')}`,
});
const demoServices = createServices({
  ...demoDb,
  vapid: await loadOrCreateVapidKeys(demoDb.db),
  publicUrl: () => 'http://bench',
  now: () => now,
});
await seedDemo(demoDb.db, demoServices);
await seedDemoKbHistory(demoDb.db, demoServices);
const demo = (await demoDb.client.execute("SELECT id FROM workspaces WHERE name = 'Acme Support'"))
  .rows[0]![0] as string;

const draft = {
  policies: [{ policy: { ...defaultPolicy, name: 'Stricter', warnings: defaultPolicy.warnings } }],
};
draft.policies[0]!.policy.targets = {
  ...defaultPolicy.targets,
  first_response: {
    urgent: { minutes: 15, clock: 'business' },
    high: { minutes: 30, clock: 'business' },
    normal: { minutes: 120, clock: 'business' },
    low: { minutes: 240, clock: 'business' },
  },
};

async function time(fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return quantiles(samples);
}

for (const [label, ws, { client, services }] of [
  ['demo', demo, { ...demoDb, services: demoServices }],
  [`${N} synthetic tickets over 30 days`, env.workspaceId, env],
] as const) {
  const tickets = (
    await client.execute({
      sql: 'SELECT count(*) FROM tickets WHERE workspace_id = ?',
      args: [ws],
    })
  ).rows[0]![0];
  const base = await time(() => services.sla.recomputeWorkspace(ws));
  const whatIf = await time(() => services.sla.whatIf(ws, draft));
  const r = await services.sla.whatIf(ws, draft);
  console.log(
    `${label} (${tickets} tickets; what-if looked at ${r.tickets}): what-if median ${whatIf.median.toFixed(0)} ms, p95 ${whatIf.p95.toFixed(0)} ms; ` +
      `${(whatIf.median / base.median).toFixed(2)}x / ${(whatIf.p95 / base.p95).toFixed(2)}x the recompute of open tickets (median ${base.median.toFixed(0)} ms, p95 ${base.p95.toFixed(0)} ms)`,
  );
}
env.close();
demoDb.client.close();
