import type { Client, InValue, Row, Transaction } from '@libsql/client';
import {
  applyPoint,
  dayPeriods,
  diffPoints,
  emptyAgg,
  isEmptyAgg,
  dayOf,
  mergeAgg,
  metricPoints,
  rollupGlance,
  ticketMetricFacts,
  type Agg,
  type GlanceMetric,
  type MetricPoint,
  type MetricsQuery,
  type Period,
  type PointKind,
  type Priority,
  type SlaMetric,
  type TicketEvent,
} from '@deskwatch/shared';
import { SLA_TICKET_COLUMNS, slaTicketFromRow, type Sla } from './sla.js';

/**
 * Daily metric rollups (issue #18, docs/metrics.md). Triggers mark every ticket whose log, fields
 * or policies changed (`metric_dirty`, `metric_rebuild`); `catchUp` derives those tickets' metric
 * points again with the SLA engine, stores them and applies only their difference to the day
 * sums of each kept time zone. The glance reads whole past days from the sums, today and any
 * day cut short from the points, and the backlog from the totals.
 */

/** The filter dimensions of a point: what the glance's filters select on. */
interface Dims {
  source: string;
  priority: string;
  assignee: string;
  tags: string;
}
type StoredPoint = MetricPoint & Dims & { ticketId: string };

const CHUNK = 500;
/** Marked tickets a glance derives itself (one chunk at most); more wait for the scheduler. */
export const INLINE_TICKETS = 50;
/** Chunks the scheduler derives per pass (a pass a second by default). */
export const BACKGROUND_CHUNKS = 2;
/** Time zones kept per workspace; a query in yet another zone is summed from the points. */
export const MAX_ROLLUP_ZONES = 8;
const POINT_COLUMNS =
  'ticket_id, kind, at, until, metric, business_ms, calendar_ms, source, priority, assignee, tags';

/**
 * The dimensions of a workspace-wide day row: every point is summed into it as well as into its
 * own dimensions' row, so a glance without filters reads one row a day (`source` '*' is no tool's
 * name; filtered reads skip these rows).
 */
const ALL: Dims = { source: '*', priority: '*', assignee: '*', tags: '[]' };
/** The day rows a point is summed into: its own dimensions' and the workspace-wide one. */
const rowDims = (d: Dims): Dims[] => [d, ALL];

const dimsKey = (d: Dims) => JSON.stringify([d.source, d.priority, d.assignee, d.tags]);
const storedKey = (p: StoredPoint) =>
  `${p.ticketId}|${dimsKey(p)}|${p.kind}|${p.at}|${p.metric ?? ''}|${p.until ?? ''}|${p.businessMs ?? ''}|${p.calendarMs ?? ''}`;
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

function pointFromRow(r: ArrayLike<unknown>): StoredPoint {
  return {
    ticketId: r[0] as string,
    kind: r[1] as PointKind,
    at: Number(r[2]),
    until: num(r[3]),
    metric: (r[4] as SlaMetric | null) ?? undefined,
    businessMs: num(r[5]),
    calendarMs: num(r[6]),
    source: r[7] as string,
    priority: r[8] as string,
    assignee: r[9] as string,
    tags: r[10] as string,
  };
}
const pointArgs = (ws: string, p: StoredPoint): InValue[] => [
  ws,
  p.ticketId,
  p.kind,
  p.at,
  p.until ?? null,
  p.metric ?? null,
  p.businessMs ?? null,
  p.calendarMs ?? null,
  p.source,
  p.priority,
  p.assignee,
  p.tags,
];

/** SQL selecting rows (of points or day sums) by the glance's filters, with its arguments. */
function filterSql(q: Pick<MetricsQuery, 'sources' | 'priorities' | 'tags'>, table = '') {
  const where: string[] = [];
  const args: InValue[] = [];
  if (q.sources?.length) {
    where.push(`${table}source IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(q.sources));
  }
  if (q.priorities?.length) {
    where.push(`${table}priority IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(q.priorities));
  }
  if (q.tags?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM json_each(${table}tags) j WHERE j.value IN (SELECT value FROM json_each(?)))`,
    );
    args.push(JSON.stringify(q.tags));
  }
  return { sql: where.map((w) => ` AND ${w}`).join(''), args };
}

function aggOfRow(counts: unknown, samples: unknown): Agg {
  return {
    counts: JSON.parse(counts as string) as Agg['counts'],
    samples: JSON.parse(samples as string) as Agg['samples'],
  };
}

/**
 * A ticket row (`SLA_TICKET_COLUMNS`, then `created_at`, `assignee`) as metric facts at `at`,
 * through the SLA engine's cycles under the policy and calendar that apply to it.
 */
export function ticketFactsFromRow(
  sla: Sla,
  cfg: Awaited<ReturnType<Sla['config']>>,
  r: Row,
  events: Map<string, TicketEvent[]>,
  at: number,
) {
  const ticket = slaTicketFromRow(r);
  const chosen = sla.resolve(cfg, ticket);
  const assignee = (r[9] as string | null) ?? null;
  const facts = ticketMetricFacts(
    {
      id: ticket.id,
      source: ticket.source,
      priority: ticket.priority as Priority,
      tags: JSON.parse(ticket.tags) as string[],
      assignee,
      createdAt: Number(r[8]),
      statusKnownFrom: ticket.statusKnownFrom,
    },
    events.get(ticket.id) ?? [],
    chosen.policy,
    chosen.calendar,
    at,
  );
  return { ticket, assignee, facts };
}

export function createRollups(client: Client, sla: Sla, now: () => number) {
  const locks = new Map<string, Promise<unknown>>();
  /** One derivation or zone build per workspace at a time in this process. */
  function exclusive<T>(workspaceId: string, f: () => Promise<T>): Promise<T> {
    const prev = locks.get(workspaceId) ?? Promise.resolve();
    const run = prev.then(f, f);
    const tail = run.catch(() => undefined);
    locks.set(workspaceId, tail);
    void tail.then(() => {
      if (locks.get(workspaceId) === tail) locks.delete(workspaceId);
    });
    return run;
  }

  async function zonesOf(tx: Client | Transaction, workspaceId: string) {
    const rs = await tx.execute({
      sql: 'SELECT time_zone FROM metric_rollup_zones WHERE workspace_id = ?',
      args: [workspaceId],
    });
    return rs.rows.map((r) => r[0] as string);
  }

  /** Applies points (sign 1) or takes them away (-1) from the day sums of `zones` and the totals. */
  async function applyToSums(
    tx: Transaction,
    workspaceId: string,
    zones: string[],
    changes: { p: StoredPoint; sign: 1 | -1 }[],
  ) {
    const byRow = new Map<
      string,
      { zone: string; day: string; d: Dims; changes: typeof changes }
    >();
    const totals = new Map<string, { d: Dims; open: number; unknown: number }>();
    for (const c of changes) {
      const { p, sign } = c;
      if (p.kind === 'risk') continue;
      for (const zone of zones) {
        const day = dayOf(p.at, zone);
        for (const d of rowDims(p)) {
          const key = `${zone}|${day}|${dimsKey(d)}`;
          let row = byRow.get(key);
          if (!row) byRow.set(key, (row = { zone, day, d, changes: [] }));
          row.changes.push(c);
        }
      }
      const open = p.kind === 'open_start' ? sign : p.kind === 'open_end' ? -sign : 0;
      const unknown = p.kind === 'unknown_start' ? sign : p.kind === 'unknown_end' ? -sign : 0;
      if (open || unknown) {
        const k = dimsKey(p);
        const tot = totals.get(k) ?? { d: p, open: 0, unknown: 0 };
        tot.open += open;
        tot.unknown += unknown;
        totals.set(k, tot);
      }
    }
    const stmts: { sql: string; args: InValue[] }[] = [];
    const list = [...byRow.values()];
    const keyOf = (zone: string, day: string, d: Dims) => `${zone}|${day}|${dimsKey(d)}`;
    const stored = new Map<string, Agg>();
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      // One read of the rows these points fall in, each by its primary key.
      const rs = await tx.execute({
        sql: `SELECT r.time_zone, r.day, r.source, r.priority, r.assignee, r.tags, r.counts, r.samples
              FROM json_each(?) k CROSS JOIN metric_rollups r ON r.workspace_id = ? AND r.time_zone = json_extract(k.value, '$[0]')
                AND r.day = json_extract(k.value, '$[1]') AND r.source = json_extract(k.value, '$[2]') AND r.priority = json_extract(k.value, '$[3]')
                AND r.assignee = json_extract(k.value, '$[4]') AND r.tags = json_extract(k.value, '$[5]')`,
        args: [
          JSON.stringify(
            part.map((r) => [r.zone, r.day, r.d.source, r.d.priority, r.d.assignee, r.d.tags]),
          ),
          workspaceId,
        ],
      });
      for (const r of rs.rows)
        stored.set(
          keyOf(r[0] as string, r[1] as string, {
            source: r[2] as string,
            priority: r[3] as string,
            assignee: r[4] as string,
            tags: r[5] as string,
          }),
          aggOfRow(r[6], r[7]),
        );
    }
    const gone: unknown[][] = [];
    const kept: InValue[][] = [];
    for (const row of list) {
      const agg = stored.get(keyOf(row.zone, row.day, row.d)) ?? emptyAgg();
      // Additions first: a point moved within one day is taken away from a list holding it.
      for (const c of row.changes) if (c.sign > 0) applyPoint(agg, c.p, 1);
      for (const c of row.changes) if (c.sign < 0) applyPoint(agg, c.p, -1);
      const key = [row.zone, row.day, row.d.source, row.d.priority, row.d.assignee, row.d.tags];
      if (isEmptyAgg(agg)) gone.push(key);
      else
        kept.push([workspaceId, ...key, JSON.stringify(agg.counts), JSON.stringify(agg.samples)]);
    }
    for (let i = 0; i < gone.length; i += 500)
      stmts.push({
        sql: `DELETE FROM metric_rollups WHERE rowid IN (SELECT r.rowid FROM json_each(?) k CROSS JOIN metric_rollups r ON r.workspace_id = ?
                AND r.time_zone = json_extract(k.value, '$[0]') AND r.day = json_extract(k.value, '$[1]') AND r.source = json_extract(k.value, '$[2]')
                AND r.priority = json_extract(k.value, '$[3]') AND r.assignee = json_extract(k.value, '$[4]') AND r.tags = json_extract(k.value, '$[5]'))`,
        args: [JSON.stringify(gone.slice(i, i + 500)), workspaceId],
      });
    for (let i = 0; i < kept.length; i += 100) {
      const part = kept.slice(i, i + 100);
      stmts.push({
        sql: `INSERT OR REPLACE INTO metric_rollups (workspace_id, time_zone, day, source, priority, assignee, tags, counts, samples) VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}`,
        args: part.flat(),
      });
    }
    for (const { d, open, unknown } of totals.values())
      if (open || unknown)
        stmts.push({
          sql: `INSERT INTO metric_rollup_totals (workspace_id, source, priority, assignee, tags, open, unknown) VALUES (?,?,?,?,?,?,?)
                ON CONFLICT DO UPDATE SET open = open + excluded.open, unknown = unknown + excluded.unknown`,
          args: [workspaceId, d.source, d.priority, d.assignee, d.tags, open, unknown],
        });
    if (stmts.length) await tx.batch(stmts);
  }

  /** Derives one chunk of marked tickets; false when none was left. */
  async function deriveChunk(workspaceId: string): Promise<boolean> {
    const marked = await client.execute({
      sql: 'SELECT ticket_id, mark FROM metric_dirty WHERE workspace_id = ? LIMIT ?',
      args: [workspaceId, CHUNK],
    });
    if (marked.rows.length === 0) return false;
    const marks = new Map(marked.rows.map((r) => [r[0] as string, r[1] as number | bigint]));
    const ids = [...marks.keys()];
    const at = now();
    const [rows, events, cfg] = await Promise.all([
      client.execute({
        // Driven by the ids (CROSS JOIN keeps that order), not by a scan of the workspace's tickets.
        sql: `SELECT ${SLA_TICKET_COLUMNS.replaceAll(/(\w+)/g, 't.$1')}, t.created_at, t.assignee FROM json_each(?) k CROSS JOIN tickets t ON t.id = k.value WHERE t.workspace_id = ?`,
        args: [JSON.stringify(ids), workspaceId],
      }),
      sla.eventsByTicket(ids),
      sla.config(workspaceId),
    ]);
    const next = new Map<string, StoredPoint[]>(ids.map((id) => [id, []]));
    for (const r of rows.rows) {
      const { ticket: t, assignee, facts } = ticketFactsFromRow(sla, cfg, r, events, at);
      const d: Dims = {
        source: t.source,
        priority: t.priority,
        assignee: assignee ?? '',
        tags: t.tags,
      };
      next.set(
        t.id,
        metricPoints(facts).map((p) => ({ ...p, ...d, ticketId: t.id })),
      );
    }
    const tx = await client.transaction('write');
    try {
      // Only tickets still marked as read: one marked since is derived again next round, and
      // one another instance derived meanwhile is left as it stored it.
      const still = await tx.execute({
        sql: 'SELECT ticket_id, mark FROM metric_dirty WHERE ticket_id IN (SELECT value FROM json_each(?))',
        args: [JSON.stringify(ids)],
      });
      const mine = still.rows
        .filter((r) => marks.get(r[0] as string) === r[1])
        .map((r) => r[0] as string);
      if (mine.length) {
        const old = await tx.execute({
          sql: `SELECT ${POINT_COLUMNS} FROM metric_points WHERE ticket_id IN (SELECT value FROM json_each(?))`,
          args: [JSON.stringify(mine)],
        });
        const before = old.rows.map(pointFromRow);
        const after = mine.flatMap((id) => next.get(id) ?? []);
        const { removed, added } = diffPoints(before, after, storedKey);
        await applyToSums(tx, workspaceId, await zonesOf(tx, workspaceId), [
          ...removed.map((p) => ({ p, sign: -1 as const })),
          ...added.map((p) => ({ p, sign: 1 as const })),
        ]);
        const changed = [...new Set([...removed, ...added].map((p) => p.ticketId))];
        const stmts: { sql: string; args: InValue[] }[] = [
          {
            sql: 'DELETE FROM metric_points WHERE ticket_id IN (SELECT value FROM json_each(?))',
            args: [JSON.stringify(changed)],
          },
        ];
        const fresh = after.filter((p) => changed.includes(p.ticketId));
        for (let i = 0; i < fresh.length; i += 200) {
          const part = fresh.slice(i, i + 200);
          stmts.push({
            sql: `INSERT INTO metric_points (workspace_id, ${POINT_COLUMNS}) VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
            args: part.flatMap((p) => pointArgs(workspaceId, p)),
          });
        }
        stmts.push(
          ...mine.map((id) => ({
            sql: 'DELETE FROM metric_dirty WHERE ticket_id = ? AND mark = ?',
            args: [id, marks.get(id)!],
          })),
        );
        await tx.batch(stmts);
      }
      await tx.commit();
    } finally {
      tx.close();
    }
    return true;
  }

  /**
   * Derives the workspace's marked tickets (all of them after a policy change), at most
   * `maxChunks` chunks of them; returns the chunks derived.
   */
  async function catchUp(workspaceId: string, maxChunks = Infinity) {
    return exclusive(workspaceId, async () => {
      const rb = await client.execute({
        sql: 'SELECT mark FROM metric_rebuild WHERE workspace_id = ?',
        args: [workspaceId],
      });
      if (rb.rows[0])
        await client.batch(
          [
            {
              sql: `INSERT INTO metric_dirty (ticket_id, workspace_id, mark) SELECT id, workspace_id, (random() % 9007199254740991) FROM tickets WHERE workspace_id = ?
                    ON CONFLICT (ticket_id) DO UPDATE SET mark = excluded.mark`,
              args: [workspaceId],
            },
            {
              sql: 'DELETE FROM metric_rebuild WHERE workspace_id = ? AND mark = ?',
              args: [workspaceId, rb.rows[0][0]!],
            },
          ],
          'write',
        );
      const n = await client.execute({
        sql: 'SELECT count(*) FROM metric_dirty WHERE workspace_id = ?',
        args: [workspaceId],
      });
      // Bounded: tickets marked again while this runs wait for the next catch-up.
      const rounds = Math.min(maxChunks, Math.ceil(Number(n.rows[0]![0]) / CHUNK) + 1);
      let chunks = 0;
      while (chunks < rounds && (await deriveChunk(workspaceId))) chunks++;
      return chunks;
    });
  }

  /** Keeps day sums in `timeZone` from now on, built once from the stored points. */
  async function ensureZone(workspaceId: string, timeZone: string): Promise<boolean> {
    return exclusive(workspaceId, async () => {
      const zones = await zonesOf(client, workspaceId);
      if (zones.includes(timeZone)) return true;
      if (zones.length >= MAX_ROLLUP_ZONES) return false;
      const tx = await client.transaction('write');
      try {
        const rs = await tx.execute({
          sql: `SELECT ${POINT_COLUMNS} FROM metric_points WHERE workspace_id = ? AND kind != 'risk'`,
          args: [workspaceId],
        });
        const rows = new Map<string, { day: string; d: Dims; agg: Agg }>();
        for (const r of rs.rows) {
          const p = pointFromRow(r);
          const day = dayOf(p.at, timeZone);
          for (const d of rowDims(p)) {
            const key = `${day}|${dimsKey(d)}`;
            let row = rows.get(key);
            if (!row) rows.set(key, (row = { day, d, agg: emptyAgg() }));
            applyPoint(row.agg, p, 1);
          }
        }
        const list = [...rows.values()];
        const stmts: { sql: string; args: InValue[] }[] = [
          {
            sql: 'INSERT INTO metric_rollup_zones (workspace_id, time_zone) VALUES (?, ?)',
            args: [workspaceId, timeZone],
          },
        ];
        for (let i = 0; i < list.length; i += 100) {
          const part = list.slice(i, i + 100);
          stmts.push({
            sql: `INSERT INTO metric_rollups (workspace_id, time_zone, day, source, priority, assignee, tags, counts, samples) VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}`,
            args: part.flatMap((r) => [
              workspaceId,
              timeZone,
              r.day,
              r.d.source,
              r.d.priority,
              r.d.assignee,
              r.d.tags,
              JSON.stringify(r.agg.counts),
              JSON.stringify(r.agg.samples),
            ]),
          });
        }
        await tx.batch(stmts);
        await tx.commit();
      } finally {
        tx.close();
      }
      return true;
    });
  }

  /** The summed points (not `risk`) in a span that match the filters. */
  async function pointsIn(workspaceId: string, f: ReturnType<typeof filterSql>, p: Period) {
    const rs = await client.execute({
      sql: `SELECT ${POINT_COLUMNS} FROM metric_points WHERE workspace_id = ? AND at >= ? AND at < ? AND kind != 'risk'${f.sql}`,
      args: [workspaceId, p.from, p.to, ...f.args],
    });
    return rs.rows.map(pointFromRow);
  }

  /** Sums of the points in a span, read from the points (today, a day cut short). */
  async function sumPoints(workspaceId: string, f: ReturnType<typeof filterSql>, p: Period) {
    const agg = emptyAgg();
    for (const x of await pointsIn(workspaceId, f, p)) applyPoint(agg, x, 1);
    return agg;
  }

  /** Tickets of the workspace waiting to be derived, and whether all of them are (a rebuild). */
  async function pendingOf(workspaceId: string) {
    const rs = await client.execute({
      sql: `SELECT (SELECT count(*) FROM metric_dirty WHERE workspace_id = ?),
                   EXISTS (SELECT 1 FROM metric_rebuild WHERE workspace_id = ?)`,
      args: [workspaceId, workspaceId],
    });
    return { tickets: Number(rs.rows[0]![0]), rebuild: Number(rs.rows[0]![1]) === 1 };
  }

  /**
   * The scheduler's background catch-up: derives marked tickets of every workspace (late
   * events, imports, a policy or calendar change that marks them all), at most `maxChunks`
   * chunks of `CHUNK` tickets in this call, so a pass stays short however much is waiting.
   * Returns the chunks derived (0: nothing was waiting).
   */
  async function catchUpDue(maxChunks = BACKGROUND_CHUNKS) {
    const rs = await client.execute(
      'SELECT workspace_id FROM metric_rebuild UNION SELECT DISTINCT workspace_id FROM metric_dirty',
    );
    let done = 0;
    for (const r of rs.rows) {
      if (done >= maxChunks) break;
      done += await catchUp(r[0] as string, maxChunks - done);
    }
    return done;
  }

  /**
   * On a request: a few tickets just written are derived here, so a manager sees a change at
   * once; a rebuild or a large import is left to the scheduler's catch-up (`catchUpDue`).
   * Returns what is still waiting, for the reader to say what it does not count yet.
   */
  async function catchUpFew(workspaceId: string) {
    const pending = await pendingOf(workspaceId);
    if (pending.rebuild || pending.tickets === 0 || pending.tickets > INLINE_TICKETS)
      return pending;
    await catchUp(workspaceId, 1);
    return pendingOf(workspaceId);
  }

  return {
    catchUp,
    catchUpDue,
    catchUpFew,
    pendingOf,

    /**
     * The glance from the rollups (same shape and figures as `glance` over every ticket's facts),
     * and the at-risk queue from the points: first derives whatever changed since the last one.
     */
    async glance(
      workspaceId: string,
      q: MetricsQuery,
      targets: Partial<Record<GlanceMetric, number>>,
    ) {
      const pending = await catchUpFew(workspaceId);
      const zoned = await ensureZone(workspaceId, q.timeZone);
      const at = now();
      const f = filterSql(q);
      const fp = filterSql(q, 'p.');
      const [totals, risk] = await Promise.all([
        client.execute({
          sql: `SELECT coalesce(sum(open), 0), coalesce(sum(unknown), 0) FROM metric_rollup_totals WHERE workspace_id = ?${f.sql}`,
          args: [workspaceId, ...f.args],
        }),
        client.execute({
          sql: `SELECT p.ticket_id, p.metric, p.until, t.external_id, t.source, t.url, t.subject, t.priority, t.assignee
                FROM metric_points p JOIN tickets t ON t.id = p.ticket_id
                WHERE p.workspace_id = ? AND p.kind = 'risk' AND p.at <= ? AND p.until > ?${fp.sql}
                ORDER BY p.until`,
          args: [workspaceId, at, at, ...fp.args],
        }),
      ]);
      const g = await rollupGlance(
        {
          totals: { open: Number(totals.rows[0]![0]), unknown: Number(totals.rows[0]![1]) },
          atRisk: risk.rows.length,
          async load(days, parts) {
            const out = new Map<string, Agg>();
            // Today so far (a part from today's start to now) is today's day row less the points
            // after now (breaches due later today), read with the part after now: no scan of
            // today's points. Both change in one transaction, so the row holds every such point.
            const todayP = dayPeriods(dayOf(at, q.timeZone), dayOf(at, q.timeZone), q.timeZone)[0]!;
            const isSoFar = (p: Period) => p.from === todayP.from && p.to === at && at < todayP.to;
            const isAfter = (p: Period) => p.from === at && p.to === todayP.to;
            const fromRow = zoned && parts.some(isSoFar);
            if (fromRow) days = [...days, todayP.day];
            if (zoned && days.length) {
              const rs = await client.execute({
                // Unfiltered: the workspace-wide row of each day; filtered: the dimensions' rows.
                sql: `SELECT day, counts, samples FROM metric_rollups WHERE workspace_id = ? AND time_zone = ? AND day IN (SELECT value FROM json_each(?))
                      AND source ${f.sql ? "!= '*'" : "= '*'"}${f.sql}`,
                args: [workspaceId, q.timeZone, JSON.stringify(days), ...f.args],
              });
              for (const r of rs.rows) {
                const day = r[0] as string;
                const agg = aggOfRow(r[1], r[2]);
                const have = out.get(day);
                if (!have) out.set(day, agg);
                else mergeAgg(have, agg);
              }
            } else if (days.length) {
              // A zone beyond those kept: each day summed from the points.
              const sorted = [...days].sort();
              for (const d of dayPeriods(sorted[0]!, sorted[sorted.length - 1]!, q.timeZone))
                if (days.includes(d.day)) out.set(d.day, await sumPoints(workspaceId, f, d));
            }
            if (!fromRow)
              return {
                days: out,
                parts: await Promise.all(parts.map((p) => sumPoints(workspaceId, f, p))),
              };
            const after = await pointsIn(workspaceId, f, { from: at, to: todayP.to });
            const soFar = mergeAgg(emptyAgg(), out.get(todayP.day) ?? emptyAgg());
            for (const p of after) applyPoint(soFar, p, -1);
            return {
              days: out,
              parts: await Promise.all(
                parts.map(async (p) => {
                  if (isSoFar(p)) return soFar;
                  if (p.from === todayP.from && p.to === todayP.to)
                    return mergeAgg(emptyAgg(), out.get(todayP.day) ?? emptyAgg());
                  if (!isAfter(p)) return sumPoints(workspaceId, f, p);
                  const agg = emptyAgg();
                  for (const x of after) applyPoint(agg, x, 1);
                  return agg;
                }),
              ),
            };
          },
        },
        q,
        q.timeZone,
        at,
        targets,
      );
      const atRisk = risk.rows.map((r) => ({
        ticketId: r[0] as string,
        at: Number(r[2]),
        businessMs: null,
        calendarMs: Number(r[2]) - at,
        note: r[1] as string,
        externalId: r[3] as string,
        source: r[4] as string,
        url: r[5] as string,
        subject: r[6] as string,
        priority: r[7] as string,
        assignee: (r[8] as string | null) ?? null,
      }));
      return { asOf: at, ...g, atRisk, pending: pending.rebuild ? null : pending.tickets };
    },
  };
}

export type Rollups = ReturnType<typeof createRollups>;
