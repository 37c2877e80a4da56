import type { Client } from '@libsql/client';
import { and, eq } from 'drizzle-orm';
import {
  filterFacts,
  glance,
  metricTickets,
  resolvePeriod,
  type GlanceMetric,
  type MetricsQuery,
  type TicketMetricFacts,
} from '@deskwatch/shared';
import type { Db } from '../db/client.js';
import { metricTargets } from '../db/schema.js';
import { metricCandidates } from './metric-candidates.js';
import { createRollups, ticketFactsFromRow } from './rollups.js';
import { SLA_TICKET_COLUMNS, type Sla } from './sla.js';

/** What the drill-down shows of a ticket, to open it in its own tool. */
export interface MetricTicketInfo {
  externalId: string;
  source: string;
  url: string;
  subject: string;
  priority: string;
  assignee: string | null;
}

const CHUNK = 500;

/**
 * The manager's glance (issue #18): every figure is computed from the event log through the SLA
 * engine's cycles (`ticketMetricFacts`) and the shared definitions, never re-derived here.
 * The glance reads daily rollups (rollups.ts); the drill-down finds its tickets by index in the
 * rollups' points (metric-candidates.ts) and derives only theirs.
 */
export function createMetrics(db: Db, client: Client, sla: Sla, now: () => number) {
  const rollups = createRollups(client, sla, now);
  /** The workspace's tickets (or those of `ids`) matching the filters, as metric facts at `at`. */
  async function factsOf(workspaceId: string, q: MetricsQuery, at: number, ids?: string[]) {
    const columns = `${SLA_TICKET_COLUMNS}, created_at, assignee, external_id, url, subject`;
    const rs = await client.execute(
      ids
        ? {
            // Driven by the ids (CROSS JOIN keeps that order), not by a scan of the workspace.
            sql: `SELECT ${columns.replaceAll(/(\w+)/g, 't.$1')} FROM json_each(?) k CROSS JOIN tickets t ON t.id = k.value WHERE t.workspace_id = ?`,
            args: [JSON.stringify(ids), workspaceId],
          }
        : {
            sql: `SELECT ${columns} FROM tickets WHERE workspace_id = ?`,
            args: [workspaceId],
          },
    );
    const cfg = await sla.config(workspaceId);
    const facts: TicketMetricFacts[] = [];
    const info = new Map<string, MetricTicketInfo>();
    for (let i = 0; i < rs.rows.length; i += CHUNK) {
      const rows = rs.rows.slice(i, i + CHUNK);
      const events = await sla.eventsByTicket(rows.map((r) => r[0] as string));
      for (const r of rows) {
        const { ticket: t, assignee, facts: f } = ticketFactsFromRow(sla, cfg, r, events, at);
        facts.push(f);
        info.set(t.id, {
          externalId: r[10] as string,
          source: t.source,
          url: r[11] as string,
          subject: r[12] as string,
          priority: t.priority,
          assignee,
        });
      }
    }
    return { facts: filterFacts(facts, q), info };
  }

  async function targetsOf(workspaceId: string) {
    const rows = await db.query.metricTargets.findMany({
      where: eq(metricTargets.workspaceId, workspaceId),
    });
    return Object.fromEntries(rows.map((r) => [r.metric, r.value])) as Partial<
      Record<GlanceMetric, number>
    >;
  }

  return {
    rollups,

    /**
     * Every card (value, previous period, target, daily series) and the at-risk queue, from the
     * daily rollups (the same figures as `glanceFromLog`).
     */
    async glance(workspaceId: string, q: MetricsQuery) {
      return rollups.glance(workspaceId, q, await targetsOf(workspaceId));
    },

    /**
     * The glance once every marked ticket of the workspace is derived: for the scheduler's
     * readers (red flags, the digest), which must not act on figures still catching up.
     */
    async glanceComplete(workspaceId: string, q: MetricsQuery) {
      await rollups.catchUp(workspaceId);
      return rollups.glance(workspaceId, q, await targetsOf(workspaceId));
    },

    /** The glance recomputed from every ticket's event log: what the rollups must equal. */
    async glanceFromLog(workspaceId: string, q: MetricsQuery) {
      const at = now();
      const [{ facts, info }, targets] = await Promise.all([
        factsOf(workspaceId, q, at),
        targetsOf(workspaceId),
      ]);
      const g = glance(facts, q, q.timeZone, at, targets);
      const atRisk = metricTickets(facts, 'at_risk', { from: g.from, to: g.to }, at).map((row) => ({
        ...row,
        ...info.get(row.ticketId)!,
      }));
      return { asOf: at, ...g, atRisk, pending: 0 as number | null };
    },

    /**
     * The tickets behind one metric's number, with what opens each in its own tool: candidates
     * by index from the metric points, then only their facts, by the shared definitions.
     */
    async tickets(workspaceId: string, q: MetricsQuery, metric: GlanceMetric) {
      await rollups.catchUpFew(workspaceId);
      const at = now();
      const period = resolvePeriod(q, q.timeZone, at).current;
      const ids = await metricCandidates(client, workspaceId, metric, period, at);
      const { facts, info } = await factsOf(workspaceId, q, at, ids);
      return {
        asOf: at,
        metric,
        tickets: metricTickets(facts, metric, period, at).map((row) => ({
          ...row,
          ...info.get(row.ticketId)!,
        })),
      };
    },

    /** The drill-down recomputed from every ticket's event log: what `tickets` must equal. */
    async ticketsFromLog(workspaceId: string, q: MetricsQuery, metric: GlanceMetric) {
      const at = now();
      const { facts, info } = await factsOf(workspaceId, q, at);
      const period = resolvePeriod(q, q.timeZone, at).current;
      return metricTickets(facts, metric, period, at).map((row) => ({
        ...row,
        ...info.get(row.ticketId)!,
      }));
    },

    async setTarget(
      workspaceId: string,
      userId: string,
      metric: GlanceMetric,
      value: number | null,
    ) {
      const where = and(
        eq(metricTargets.workspaceId, workspaceId),
        eq(metricTargets.metric, metric),
      );
      if (value === null) await db.delete(metricTargets).where(where);
      else
        await db
          .insert(metricTargets)
          .values({ workspaceId, metric, value, updatedBy: userId, updatedAt: now() })
          .onConflictDoUpdate({
            target: [metricTargets.workspaceId, metricTargets.metric],
            set: { value, updatedBy: userId, updatedAt: now() },
          });
      return targetsOf(workspaceId);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
