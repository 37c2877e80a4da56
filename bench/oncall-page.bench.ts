// Time from an SLA breach instant to the last push delivered when its page reaches 100 people
// (issue #19, target p95 <= 2 s), against paging one person (the baseline, same run). Real
// scheduler loop (1 s ticks) on the wall clock, real encrypted pushes to a loopback push service.
// Prints figures, never fails on them.
import { readFileSync } from 'node:fs';
import { defaultPolicy } from '@deskwatch/shared';
import { stubResolve } from '../server/src/testing.js';
import { startPushService } from '../tests/e2e/push-service.js';
import { quantiles, seededDb } from './lib.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 6);
// Between breach instants: one page's pushes are out before the next (on a loaded box 100 pushes
// took ~10 s; closer instants measured the queue behind earlier pages, not one page).
const SPACING_MS = Number(process.env.BENCH_SPACING_MS ?? 12_000);
const LEAD_MS = 5000;
const TARGET_MIN = 1;

const receiver = await startPushService('oncall-bench');
const port = new URL(receiver.subscription.endpoint).port;

/** Median and p95 (ms) from each breach instant to the last push of its page at the receiver. */
async function run(people: number) {
  const start = Date.now();
  const createdAt = (i: number) => start + LEAD_MS + i * SPACING_MS - TARGET_MIN * 60_000;
  const env = await seededDb(SAMPLES, { createdAt });
  // seededDb's services have no loopback push settings: a second set over the same database.
  const { createServices } = await import('../server/src/services/index.js');
  const { loadOrCreateVapidKeys } = await import('../server/src/services/push.js');
  const services = createServices({
    db: env.db,
    client: env.client,
    vapid: await loadOrCreateVapidKeys(env.db),
    publicUrl: () => 'http://bench',
    pushAllowedHosts: [{ hostname: 'localhost', port }],
    pushResolve: stubResolve(),
    pushCa: readFileSync(receiver.env.NODE_EXTRA_CA_CERTS, 'utf8'),
  });
  const ws = env.workspaceId;
  for (let i = 0; i < people; i++) {
    await env.client.execute({
      sql: `INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'agent', 'x', 0)`,
      args: [`u${i}`, ws, `u${i}-${start}@bench.test`, `Person ${i}`],
    });
    await env.client.execute({
      sql: `INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?, 0)`,
      args: [
        `s${i}`,
        ws,
        `u${i}`,
        `${receiver.subscription.endpoint}-${i}`,
        receiver.subscription.keys.p256dh,
        receiver.subscription.keys.auth,
      ],
    });
  }
  const admin = {
    userId: 'u0',
    workspaceId: ws,
    role: 'admin' as const,
    name: 'Bench',
    email: 'bench@bench.test',
    via: 'session' as const,
  };
  await services.oncall.savePath(admin, {
    name: 'Bench',
    isDefault: true,
    repeat: 0,
    levels: [
      {
        targets: [people === 1 ? { kind: 'user', userId: 'u0' } : { kind: 'role', role: 'agent' }],
        timeoutMinutes: 60,
      },
    ],
  });
  const target = { minutes: TARGET_MIN, clock: 'business' as const };
  const flat = { urgent: target, high: target, normal: target, low: target };
  await services.sla.savePolicies(ws, [
    {
      policy: {
        ...defaultPolicy,
        name: 'Bench',
        targets: { first_response: flat, next_response: {}, periodic_update: {}, resolution: {} },
        warnings: { percents: [], beforeDueMinutes: [] },
      },
    },
  ]);
  const from = receiver.pushed.length;
  services.scheduler.start(1000);
  const end = createdAt(SAMPLES - 1) + TARGET_MIN * 60_000 + 8000;
  while (Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  await services.scheduler.stop();
  await services.push.drain();

  // Which alert each delivery was about, and so which breach instant.
  const alerts = await env.client.execute('SELECT id, ticket_id FROM alerts');
  const ticketOf = new Map(alerts.rows.map((r) => [r[0] as string, r[1] as string]));
  const last = new Map<string, number>();
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (let k = from; k < receiver.pushed.length; k++) {
    const { alertId } = JSON.parse(receiver.decrypt(receiver.pushed[k]!)) as { alertId: string };
    const ticket = ticketOf.get(alertId)!;
    last.set(ticket, Math.max(last.get(ticket) ?? 0, receiver.arrivals[k]!));
    first.set(ticket, Math.min(first.get(ticket) ?? Infinity, receiver.arrivals[k]!));
    count.set(ticket, (count.get(ticket) ?? 0) + 1);
  }
  const lags: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const at = last.get(`t${i}`);
    const instant = createdAt(i) + TARGET_MIN * 60_000;
    if (at !== undefined && count.get(`t${i}`) === people) {
      lags.push(at - instant);
      firsts.push(first.get(`t${i}`)! - instant);
    }
  }
  env.close();
  return { ...quantiles(lags), firstMedian: quantiles(firsts).median, complete: lags.length };
}

const base = await run(1);
const hundred = await run(100);
receiver.close();
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `baseline, 1 person paged: median ${s(base.median)}, p95 ${s(base.p95)} (${base.complete}/${SAMPLES} pages fully delivered)`,
);
console.log(
  `100 people paged: first push after ${s(hundred.firstMedian)} (median); last push: median ${s(hundred.median)} (${(hundred.median / base.median).toFixed(2)}x), p95 ${s(hundred.p95)} (${(hundred.p95 / base.p95).toFixed(2)}x), max ${s(hundred.max)} (${hundred.complete}/${SAMPLES} pages fully delivered; target p95 <= 2 s)`,
);
