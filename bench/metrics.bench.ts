// The manager's glance (issue #18) on the embedded database, through daily rollups
// (docs/metrics.md). Generates BENCH_TICKETS tickets (default 100,000; run with 1000000 for the
// issue's 1M / 10M events) with ~10 events each, spread over the year before now, straight into
// a libSQL file (bulk INSERTs in transactions; the rollup triggers mark every ticket, as any
// write does), derives the rollups from scratch, then prints median and p95 of:
//   - the glance query (every card, 30 and 7 days and today; target p95 <= 100 ms),
//   - a 30-day chart with filters (target p95 <= 200 ms),
//   - rollup upkeep per ingested event as % of ingest time (target <= 20%): rounds of new
//     tickets observed through `tickets.observe`, each followed by the catch-up that derives
//     them, both timed in the same run,
// each also as a ratio to a baseline measured in the same run (one indexed read of a day of raw
// events). A measurement that prints figures; it never fails on them.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsQuery, TicketSnapshot } from '@deskwatch/shared';
import { openDb } from '../server/src/db/client.js';
import { createServices } from '../server/src/services/index.js';
import { loadOrCreateVapidKeys } from '../server/src/services/push.js';
import { quantiles } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const INGEST_ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 20);
const INGEST_TICKETS = 25;
const DAY = 86_400_000;
const MIN = 60_000;
let clock = Date.parse('2026-03-27T12:00:00Z');
const now = () => clock;

const dir = mkdtempSync(join(tmpdir(), 'deskwatch-metrics-bench-'));
const file = join(dir, 'bench.db');
const { db, client } = await openDb({ url: `file:${file}` });
const services = createServices({
  db,
  client,
  vapid: await loadOrCreateVapidKeys(db),
  publicUrl: () => 'http://bench',
  now,
});
const ws = await services.accounts.createWorkspace('Bench');
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
console.log(`start: ${load()} (figures on a loaded box are slower than on an idle one)`);

// ---- generation: ~10 events a ticket, over the 365 days before now ----
const SOURCES = ['zendesk', 'jira', 'freshdesk'];
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const TAGS = [
  [],
  ['billing'],
  ['bug'],
  ['bug', 'login'],
  ['refund'],
  ['vip'],
  ['billing', 'vip'],
  [],
];
let seq = 0;
/** A pseudo-random number in [0, 1) from `i` (the same data every run). */
const rnd = (i: number) => {
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
};
const t0 = performance.now();
let events = 0;
const BATCH = 2_000;
for (let i = 0; i < N; i += BATCH) {
  const tickets: unknown[] = [];
  const evs: unknown[] = [];
  const ev = (id: string, type: string, at: number, data: object, key: string) => {
    evs.push(`e${seq++}`, id, ws, type, at, JSON.stringify(data), key, at);
    events++;
  };
  for (let j = i; j < Math.min(N, i + BATCH); j++) {
    const id = `t${j}`;
    const created = clock - 365 * DAY + Math.floor(rnd(j) * 365 * DAY);
    const p = PRIORITIES[j % 4]!;
    const reply1 = created + Math.floor(rnd(j + 1e7) * 8 * 60 * MIN);
    const solvedAt = reply1 + Math.floor(rnd(j + 2e7) * 3 * DAY);
    const stillOpen = solvedAt > clock || j % 40 === 0;
    const reopened = !stillOpen && j % 9 === 0;
    const category = stillOpen ? 'open' : 'solved';
    tickets.push(
      id,
      ws,
      SOURCES[j % 3]!,
      String(j),
      `https://desk.example/t/${j}`,
      `Ticket ${j}`,
      category === 'open' ? 'Open' : 'Solved',
      category,
      p,
      `r${j}@example.com`,
      `agent${j % 12}`,
      JSON.stringify(TAGS[j % TAGS.length]),
      created,
      created,
      created,
    );
    ev(id, 'created', created, {}, 'created');
    ev(id, 'priority', created, { priority: p }, `priority@${created}`);
    ev(id, 'message', created, { author: 'customer', public: true }, 'm1');
    ev(id, 'status', created + MIN, { category: 'open' }, `status@${created + MIN}`);
    if (reply1 > clock) continue;
    ev(id, 'message', reply1, { author: 'agent', public: true }, 'm2');
    const ask = reply1 + 30 * MIN;
    ev(id, 'message', ask, { author: 'customer', public: true }, 'm3');
    ev(id, 'message', ask + 45 * MIN, { author: 'agent', public: true }, 'm4');
    ev(id, 'status', ask + 46 * MIN, { category: 'pending_customer' }, `s@${ask + 46 * MIN}`);
    ev(id, 'message', ask + 3 * 60 * MIN, { author: 'customer', public: true }, 'm5');
    if (stillOpen) continue;
    ev(id, 'status', solvedAt, { category: 'solved' }, `s@${solvedAt}`);
    if (reopened && solvedAt + DAY < clock) {
      ev(id, 'status', solvedAt + DAY, { category: 'open' }, `s@${solvedAt + DAY}`);
      ev(id, 'status', solvedAt + DAY + 2 * 60 * MIN, { category: 'solved' }, `s@r${solvedAt}`);
    }
  }
  const stmts = [
    {
      sql: `INSERT INTO tickets (id, workspace_id, source, external_id, url, subject, status, category, priority, requester, assignee, tags, created_at, first_seen_at, last_seen_at) VALUES ${Array(
        tickets.length / 15,
      )
        .fill('(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
        .join(',')}`,
      args: tickets as never,
    },
  ];
  for (let k = 0; k < evs.length; k += 8 * 4_000)
    stmts.push({
      sql: `INSERT INTO ticket_events (id, ticket_id, workspace_id, type, at, data, dedupe_key, recorded_at) VALUES ${Array(
        Math.min(4_000, (evs.length - k) / 8),
      )
        .fill('(?,?,?,?,?,?,?,?)')
        .join(',')}`,
      args: evs.slice(k, k + 8 * 4_000) as never,
    });
  await client.batch(stmts, 'write');
}
const genMs = performance.now() - t0;
console.log(
  `generated ${N} tickets, ${events} events in ${(genMs / 1000).toFixed(1)} s (${(events / N).toFixed(1)} events a ticket, over 365 days)`,
);

// ---- rollups from scratch: every ticket derived by the SLA engine, summed per day ----
let t = performance.now();
await services.metrics.rollups.catchUp(ws);
const buildMs = performance.now() - t;
const points = Number(
  (await client.execute({ sql: 'SELECT count(*) FROM metric_points', args: [] })).rows[0]![0],
);
console.log(
  `derived ${N} tickets into ${points} metric points in ${(buildMs / 1000).toFixed(1)} s (${((buildMs * 1000) / N).toFixed(0)} µs a ticket)`,
);
const zone = 'Europe/Amsterdam';
t = performance.now();
await services.metrics.glance(ws, { period: '30d', timeZone: zone });
const rollupRows = Number(
  (await client.execute({ sql: 'SELECT count(*) FROM metric_rollups', args: [] })).rows[0]![0],
);
console.log(
  `first glance in ${zone} (builds that zone's day sums, ${rollupRows} rows): ${(performance.now() - t).toFixed(0)} ms; database ${(statSync(file).size / 1e6).toFixed(0)} MB`,
);

async function time(rounds: number, f: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    await f();
    samples.push(performance.now() - s);
  }
  return quantiles(samples);
}

// Baseline: one indexed read of a day of raw events (what any figure from the log must at least do).
const baseline = await time(ROUNDS, () =>
  client.execute({
    sql: 'SELECT ticket_id, type, at, data FROM ticket_events WHERE workspace_id = ? AND at >= ? AND at < ?',
    args: [ws, clock - DAY, clock],
  }),
);
const q = (over: Partial<MetricsQuery>): MetricsQuery => ({
  period: '30d',
  timeZone: zone,
  ...over,
});
// Before/after in this run: a filter naming every source selects every ticket (the same figures)
// but reads the day rows of each dimension combination, as every glance did before the
// workspace-wide day rows; without filters the glance reads one row a day.
const everySource = { sources: SOURCES };
const rows: [string, ReturnType<typeof quantiles>, string][] = [
  ['raw events of one day (baseline)', baseline, ''],
  [
    'glance, 30 days, dimension rows (before)',
    await time(ROUNDS, () => services.metrics.glance(ws, q(everySource))),
    '',
  ],
  ['glance, 30 days', await time(ROUNDS, () => services.metrics.glance(ws, q({}))), '<= 100'],
  [
    'glance, 7 days, dimension rows (before)',
    await time(ROUNDS, () => services.metrics.glance(ws, q({ period: '7d', ...everySource }))),
    '',
  ],
  [
    'glance, 7 days',
    await time(ROUNDS, () => services.metrics.glance(ws, q({ period: '7d' }))),
    '<= 100',
  ],
  [
    'glance, today',
    await time(ROUNDS, () => services.metrics.glance(ws, q({ period: 'today' }))),
    '<= 100',
  ],
  [
    '30-day chart, priority+source+tag',
    await time(ROUNDS, () =>
      services.metrics.glance(
        ws,
        q({ priorities: ['high', 'urgent'], sources: ['zendesk', 'jira'], tags: ['billing'] }),
      ),
    ),
    '<= 200',
  ],
  [
    '30-day chart, tag bug',
    await time(ROUNDS, () => services.metrics.glance(ws, q({ tags: ['bug'] }))),
    '<= 200',
  ],
];
console.log(`${N} tickets, ${ROUNDS} rounds each, ${load()} (ms; ratio to the baseline's median):`);
for (const [name, r, target] of rows)
  console.log(
    `  ${name.padEnd(42)} median ${r.median.toFixed(1).padStart(7)}  p95 ${r.p95.toFixed(1).padStart(7)}  x${(r.median / baseline.median).toFixed(1)} / x${(r.p95 / baseline.median).toFixed(1)}${target ? `  (target p95 ${target} ms)` : ''}`,
  );

// ---- upkeep: new tickets observed through the real path, then the catch-up that derives them ----
const snap = (n: number, at: number): TicketSnapshot => ({
  source: 'zendesk',
  externalId: `new${n}`,
  url: `https://desk.example/new/${n}`,
  subject: `New ${n}`,
  status: 'Open',
  statusCategory: 'open',
  priority: PRIORITIES[n % 4] as TicketSnapshot['priority'],
  requester: 'x@example.com',
  assignee: `agent${n % 12}`,
  requesterOrg: null,
  tags: n % 2 ? ['billing'] : [],
  statusChanges: [
    { at: new Date(at - 30 * MIN).toISOString(), status: 'New', statusCategory: 'new' },
    { at: new Date(at - 20 * MIN).toISOString(), status: 'Open', statusCategory: 'open' },
  ],
  priorityChanges: [],
  createdAt: new Date(at - 30 * MIN).toISOString(),
  messages: [
    {
      author: 'customer',
      public: true,
      at: new Date(at - 30 * MIN).toISOString(),
      externalId: 'a',
    },
    { author: 'agent', public: true, at: new Date(at - 10 * MIN).toISOString(), externalId: 'b' },
  ],
});
const before = Number(
  (await client.execute({ sql: 'SELECT count(*) FROM ticket_events', args: [] })).rows[0]![0],
);
const ingestPerEvent: number[] = [];
const upkeepPerEvent: number[] = [];
const ratio: number[] = [];
let n = 0;
let counted = before;
for (let r = 0; r < INGEST_ROUNDS; r++) {
  clock += MIN;
  const s = performance.now();
  for (let k = 0; k < INGEST_TICKETS; k++) await services.tickets.observe(ws, snap(n++, clock));
  const ingest = performance.now() - s;
  const u = performance.now();
  await services.metrics.rollups.catchUp(ws);
  const upkeep = performance.now() - u;
  const total = Number(
    (await client.execute({ sql: 'SELECT count(*) FROM ticket_events', args: [] })).rows[0]![0],
  );
  const added = total - counted;
  counted = total;
  ingestPerEvent.push(ingest / added);
  upkeepPerEvent.push(upkeep / added);
  ratio.push((100 * upkeep) / ingest);
}
const ing = quantiles(ingestPerEvent);
const upk = quantiles(upkeepPerEvent);
const pct = quantiles(ratio);
console.log(
  `upkeep, ${INGEST_ROUNDS} rounds of ${INGEST_TICKETS} tickets observed (${counted - before} events) then caught up:`,
);
console.log(
  `  ingest per event (baseline)           median ${ing.median.toFixed(2).padStart(7)}  p95 ${ing.p95.toFixed(2).padStart(7)} ms`,
);
console.log(
  `  rollup upkeep per event               median ${upk.median.toFixed(2).padStart(7)}  p95 ${upk.p95.toFixed(2).padStart(7)} ms`,
);
console.log(
  `  upkeep as % of ingest                 median ${pct.median.toFixed(1).padStart(6)}%  p95 ${pct.p95.toFixed(1).padStart(6)}%  (target <= 20%)`,
);
console.log(`end: ${load()}`);
client.close();
rmSync(dir, { recursive: true, force: true });
