// Backfill of a Redmine connector from a local fake of its REST API (paged lists, one history
// per issue) on the embedded database: BENCH_BACKFILL_TICKETS issues (default 100,000) with 10
// events each (creation, 9 journals: replies, customer notes, status and priority changes).
// Prints the total time (target <= 3 min at 100,000), the time per page (median, p95) against
// only reading the same pages from the fake in the same run (the API's share), and whether the
// SLA state stored for every ticket equals a recompute of it from scratch. Never fails on figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../server/src/db/client.js';
import { parseConnectorHosts } from '../server/src/connectors/base-url.js';
import { startFakeRedmine } from '../server/src/connectors/fakes/redmine.js';
import { createServices } from '../server/src/services/index.js';
import { loadOrCreateVapidKeys } from '../server/src/services/push.js';
import { SLA_TICKET_COLUMNS, slaTicketFromRow } from '../server/src/services/sla.js';
import { quantiles } from './lib.js';

const N = Number(process.env.BENCH_BACKFILL_TICKETS ?? 100_000);
const TOKEN = 'bench-redmine-api-key-0123456789';
const now = Date.parse('2026-03-27T12:00:00Z');
const MIN = 60_000;

const fake = await startFakeRedmine(TOKEN);
for (let i = 1; i <= N; i++) {
  const created = now - 3 * 86_400_000 + ((i * 37) % (2 * 86_400_000));
  fake.add(i, created, { priorityId: 1 + (i % 5) });
  let at = created;
  const step = () => (at += 7 * MIN);
  fake.change(i, step(), { notes: 'Looking into it', statusId: 2 });
  fake.change(i, step(), { user: 'Dana Customer', notes: 'Thanks' });
  fake.change(i, step(), { notes: 'Need your logs', statusId: 4 });
  fake.change(i, step(), { user: 'Dana Customer', notes: 'Attached' });
  fake.change(i, step(), { statusId: 2, priorityId: 3 });
  fake.change(i, step(), { notes: 'internal', private: true });
  fake.change(i, step(), { notes: 'Fixed, please confirm' });
  fake.change(i, step(), { user: 'Dana Customer', notes: 'Works' });
  // A fifth end solved, the rest stay open: both phases of the backfill are read.
  fake.change(i, step(), i % 5 === 0 ? { statusId: 5 } : { notes: 'Monitoring' });
}
console.log(`fake Redmine: ${N} issues x 10 events`);

// Baseline: reading the same pages and histories from the fake, applying nothing.
const headers = { 'x-redmine-api-key': TOKEN };
const readPage = async (status: string, after: number) => {
  const list = (await (
    await fetch(
      `${fake.baseUrl}/issues.json?limit=100&status_id=${status}&issue_id=%3E%3D${after + 1}&sort=id`,
      { headers },
    )
  ).json()) as { issues: { id: number }[] };
  const ids = list.issues.map((i) => i.id);
  for (let k = 0; k < ids.length; k += 4)
    await Promise.all(
      ids
        .slice(k, k + 4)
        .map((id) =>
          fetch(`${fake.baseUrl}/issues/${id}.json?include=journals`, { headers }).then((r) =>
            r.json(),
          ),
        ),
    );
  return ids;
};
const readTimes: number[] = [];
const r0 = performance.now();
for (const status of ['open', 'closed']) {
  for (let after = 0; ;) {
    const t = performance.now();
    const ids = await readPage(status, after);
    readTimes.push(performance.now() - t);
    if (ids.length < 100) break;
    after = ids.at(-1)!;
  }
}
const readMs = performance.now() - r0;

const dir = mkdtempSync(join(tmpdir(), 'deskwatch-bench-backfill-'));
const { db, client, hot } = await openDb({ url: `file:${join(dir, 'bench.db')}` });
const services = createServices({
  db,
  client,
  hot,
  now: () => now,
  vapid: await loadOrCreateVapidKeys(db),
  publicUrl: () => 'http://bench',
  connectorSecretKey: 'bench-connector-key-0123456789abcdef',
  // The fake listens on loopback, which the server refuses unless the operator allows it.
  connectorAllowedHosts: parseConnectorHosts(new URL(fake.baseUrl).host),
});
const ws = await services.accounts.createWorkspace('Bench');
await services.connectors.create(ws, {
  tool: 'redmine',
  name: 'Bench Redmine',
  config: { baseUrl: fake.baseUrl, backfillDays: 30 },
  apiToken: TOKEN,
});
const pageTimes: number[] = [];
const t0 = performance.now();
for (let caughtUp = false; !caughtUp;) {
  const t = performance.now();
  const [out] = await services.poller.tick();
  if (!out) throw new Error('the connector was not due');
  if (out.outcome === 'waiting') throw new Error(`the backfill failed: ${out.error}`);
  if (out.pages) pageTimes.push((performance.now() - t) / out.pages);
  caughtUp = out.outcome === 'caught-up';
}
const totalMs = performance.now() - t0;
const { health } = (await services.connectors.list(ws))[0]!;

const q = quantiles(pageTimes);
const b = quantiles(readTimes);
console.log(
  `backfill of ${health.backfill?.done} tickets in ${(totalMs / 1000).toFixed(1)} s (target 180 s at 100,000; ${((totalMs / 1000 / 180) * (100_000 / N) * 100).toFixed(0)}% of it scaled to 100,000), ${((N * 10) / (totalMs / 1000)).toFixed(0)} events/s`,
);
console.log(
  `per page of 100: median ${q.median.toFixed(0)} ms, p95 ${q.p95.toFixed(0)} ms; reading the API alone: median ${b.median.toFixed(0)} ms, p95 ${b.p95.toFixed(0)} ms (ratio ${(q.median / b.median).toFixed(1)}x median, ${(q.p95 / b.p95).toFixed(1)}x p95; ${(readMs / 1000).toFixed(1)} s in all)`,
);
console.log(
  `health: applied ${health.applied}, duplicates ${health.duplicates}, quarantined ${health.quarantined}, failures ${health.failures}`,
);

// Every ticket's stored SLA state against a recompute from its event log, at the same instant.
const rows = await client.execute({
  sql: `SELECT ${SLA_TICKET_COLUMNS} FROM tickets WHERE workspace_id = ?`,
  args: [ws],
});
const list = rows.rows.map(slaTicketFromRow);
const stored = new Map(
  (
    await client.execute({
      sql: 'SELECT ticket_id, state_json FROM ticket_sla WHERE workspace_id = ?',
      args: [ws],
    })
  ).rows.map((r) => [r[0] as string, r[1] as string]),
);
let differ = 0;
for (let k = 0; k < list.length; k += 1000) {
  const chunk = list.slice(k, k + 1000);
  const evals = await services.sla.evaluate(chunk, now);
  for (const t of chunk) if (JSON.stringify(evals.get(t.id)!.state) !== stored.get(t.id)) differ++;
}
console.log(
  `SLA state: ${list.length - differ} of ${list.length} tickets equal to a recompute from scratch${differ ? `; ${differ} differ` : ''}`,
);
await fake.close();
client.close();
rmSync(dir, { recursive: true, force: true });
