import type { Client, InValue } from '@libsql/client';
import { DONE_CATEGORIES, type GlanceMetric, type Period } from '@deskwatch/shared';

const DONE = DONE_CATEGORIES.map((c) => `'${c}'`).join(', ');

/**
 * The tickets that may be behind one metric's number (issue #18 drill-down), read by index from
 * the rollups' metric points (`metric_points_ws_kind_at`), never by a scan of the workspace's
 * event logs. A superset: the caller derives only these tickets' facts and keeps, by the shared
 * definitions (`metricTickets`), those that count. Tickets still waiting for the catch-up are
 * left out, as the glance leaves them out of the number.
 */
export async function metricCandidates(
  client: Client,
  workspaceId: string,
  metric: GlanceMetric,
  period: Period,
  now: number,
): Promise<string[]> {
  const byKinds = async (kinds: string[], from: number, to: number) => {
    const rs = await client.execute({
      sql: `SELECT DISTINCT ticket_id FROM metric_points
            WHERE workspace_id = ? AND kind IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ?`,
      args: [workspaceId, JSON.stringify(kinds), from, to] as InValue[],
    });
    return rs.rows.map((r) => r[0] as string);
  };
  switch (metric) {
    case 'first_response':
    case 'next_response':
    case 'resolution':
    case 'created':
    case 'solved':
    case 'reopened':
      return byKinds([metric], period.from, period.to);
    case 'compliance':
      return byKinds(['met', 'breach'], period.from, period.to);
    case 'breaches':
      return byKinds(['breach'], period.from, period.to);
    case 'at_risk': {
      const rs = await client.execute({
        sql: `SELECT DISTINCT ticket_id FROM metric_points
              WHERE workspace_id = ? AND kind = 'risk' AND at <= ? AND until > ?`,
        args: [workspaceId, now, now],
      });
      return rs.rows.map((r) => r[0] as string);
    }
    case 'backlog': {
      // Open at t: open now, or in a spell that ended at t or since.
      const t = Math.min(period.to, now);
      const [ended, open] = await Promise.all([
        byKinds(['open_end'], t, Number.MAX_SAFE_INTEGER),
        client.execute({
          sql: `SELECT id FROM tickets WHERE workspace_id = ? AND category NOT IN (${DONE}) AND created_at < ?`,
          args: [workspaceId, t],
        }),
      ]);
      return [...new Set([...ended, ...open.rows.map((r) => r[0] as string)])];
    }
  }
}
