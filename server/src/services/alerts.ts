import type { Client } from '@libsql/client';
import { lateness } from './scheduler.js';

export interface AlertView {
  id: string;
  ticketId: string;
  ticketSubject: string;
  ticketUrl: string;
  priority: string;
  kind: 'sla_warning' | 'sla_breach';
  metric: string;
  level: string;
  dueAt: number | null;
  firedAt: number;
  /** How long after its instant the alert went out, when that was over a minute (a takeover, an outage); else 0. */
  lateMs: number;
  /** Levels of the same cycle that were due before this one but never sent (a takeover after them). */
  skipped: string[];
  acknowledgedBy: string | null;
}

export function createAlerts(client: Client) {
  return {
    /** The workspace's recent alerts, unacknowledged first. */
    async list(workspaceId: string, limit = 50): Promise<AlertView[]> {
      const rs = await client.execute({
        sql: `SELECT a.id, a.ticket_id, t.subject, t.url, t.priority, a.kind, a.metric, a.level, a.due_at, a.fired_at, u.name, a.scheduled_at, a.skipped_levels
              FROM alerts a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN users u ON u.id = a.acknowledged_by
              WHERE a.workspace_id = ? ORDER BY a.acknowledged_at IS NOT NULL, a.fired_at DESC LIMIT ?`,
        args: [workspaceId, limit],
      });
      return rs.rows.map((r) => ({
        id: r[0] as string,
        ticketId: r[1] as string,
        ticketSubject: r[2] as string,
        ticketUrl: r[3] as string,
        priority: r[4] as string,
        kind: r[5] as AlertView['kind'],
        metric: r[6] as string,
        level: r[7] as string,
        dueAt: r[8] === null ? null : Number(r[8]),
        firedAt: Number(r[9]),
        acknowledgedBy: (r[10] as string | null) ?? null,
        lateMs: r[11] === null ? 0 : lateness(Number(r[9]), Number(r[11])),
        skipped: r[12] === null ? [] : (JSON.parse(r[12] as string) as string[]),
      }));
    },

    async acknowledge(
      workspaceId: string,
      userId: string,
      alertId: string,
      at: number,
    ): Promise<boolean> {
      const rs = await client.execute({
        sql: 'UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND workspace_id = ? AND acknowledged_at IS NULL',
        args: [userId, at, alertId, workspaceId],
      });
      return rs.rowsAffected === 1;
    },
  };
}
export type Alerts = ReturnType<typeof createAlerts>;
