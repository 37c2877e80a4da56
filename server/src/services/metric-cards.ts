import type { Client } from '@libsql/client';
import {
  agentStats,
  backlogBreakdown,
  escalationStats,
  filterFacts,
  resolvePeriod,
  risingTags,
  type MetricsQuery,
  type Priority,
} from '@deskwatch/shared';
import type { Metrics } from './metrics.js';
import { tagVolume } from './redflags.js';

/**
 * The glance's other cards (issue #18): escalations, CSAT, agents, recurring problems and the
 * backlog broken down. Ticket figures come from the metrics service's drill-down lists (the same
 * definitions as the glance), escalations from their own table.
 */
export function createMetricCards(
  client: Client,
  now: () => number,
  metrics: Pick<Metrics, 'tickets'>,
) {
  async function escalationRows(workspaceId: string, q: MetricsQuery, from: number, to: number) {
    const rs = await client.execute({
      sql: `SELECT e.ticket_id, t.subject, e.type, e.severity, e.state, e.created_at, e.decided_at,
                   EXISTS (SELECT 1 FROM pages p WHERE p.source_id = e.id AND (p.level > 0 OR p.round > 0)),
                   t.source, t.priority, t.tags
            FROM escalations e JOIN tickets t ON t.id = e.ticket_id
            WHERE e.workspace_id = ? AND e.created_at >= ? AND e.created_at < ?`,
      args: [workspaceId, from, to],
    });
    const rows = rs.rows.map((r) => ({
      ticketId: String(r[0]),
      subject: String(r[1]),
      type: String(r[2]),
      severity: String(r[3]),
      state: String(r[4]),
      createdAt: Number(r[5]),
      decidedAt: r[6] === null ? null : Number(r[6]),
      pastTimeout: Number(r[7]) === 1,
      // What the metric filters read.
      source: String(r[8]),
      priority: String(r[9]) as Priority,
      tags: JSON.parse(String(r[10])) as string[],
      assignee: null as string | null,
    }));
    return filterFacts(rows, q);
  }

  return {
    async get(workspaceId: string, q: MetricsQuery) {
      const at = now();
      const p = resolvePeriod(q, q.timeZone, at);
      const list = (m: Parameters<Metrics['tickets']>[2]) =>
        metrics.tickets(workspaceId, q, m).then((r) => r.tickets);
      const [solved, backlog, firstResponse, breaches, reopened] = await Promise.all([
        list('solved'),
        list('backlog'),
        list('first_response'),
        list('breaches'),
        list('reopened'),
      ]);
      const [current, previous] = await Promise.all([
        tagVolume(client, workspaceId, p.current.from, p.current.to),
        tagVolume(client, workspaceId, p.previous.from, p.previous.to),
      ]);
      const escalations = escalationStats(
        await escalationRows(workspaceId, q, p.current.from, p.current.to),
        p.current,
      );
      return {
        asOf: at,
        escalations,
        csat: {
          // No connector or adapter reports satisfaction ratings yet: the card says where they would come from.
          available: false as const,
          source:
            'A rating field from a connector (Zendesk satisfaction ratings) or a taught adapter field; none is mapped yet.',
        },
        agents: agentStats({ solved, backlog, firstResponse, breaches, reopened }),
        recurring: {
          tags: risingTags(current, previous).slice(0, 10),
          reopened: reopened.length,
          solved: solved.length,
          reopenRate: solved.length ? reopened.length / solved.length : null,
        },
        backlog: backlogBreakdown(backlog, Math.min(p.current.to, at)),
      };
    },
  };
}
export type MetricCards = ReturnType<typeof createMetricCards>;
