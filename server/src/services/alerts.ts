import type { Client } from '@libsql/client';
import type { SlaState } from '@deskwatch/shared';
import { lateness } from './scheduler.js';

/** Why an alert needs nobody any more: its clock was met (in time or late), or it no longer applies. */
export type AlertResolution = 'met' | 'met_late' | 'no_longer_applies';

/**
 * Whether an alert is resolved by the ticket's SLA state now: the clock of its cycle stopped (a
 * response, a resolution), or the cycle it was about is gone (a later cycle, the metric no longer
 * applies, the ticket is done). Null while it still matters, or when the state is not known.
 * @example alertResolution('first_response:1700000000000:breach', 'first_response', state)
 */
export function alertResolution(
  key: string,
  metric: string,
  state: SlaState | null,
): AlertResolution | null {
  if (!state) return null;
  const cycleStart = Number(key.slice(metric.length + 1).split(':')[0]);
  const target = state.targets.find((t) => t.metric === metric);
  if (!target || target.cycleStart !== cycleStart) return 'no_longer_applies';
  // A solved ticket meets its resolution target; its response clocks just stop applying.
  const done = state.category === 'solved' || state.category === 'closed';
  if (done && metric !== 'resolution') return 'no_longer_applies';
  if (target.stoppedAt !== null)
    return target.outcomeUnknown ? 'no_longer_applies' : target.breached ? 'met_late' : 'met';
  if (done) return 'no_longer_applies';
  return null;
}

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
  /** Set once the alert needs nobody: its clock was met, or it no longer applies. */
  resolved: AlertResolution | null;
}

export function createAlerts(client: Client) {
  return {
    /** The workspace's recent alerts: open ones first (unacknowledged before acknowledged), then resolved ones. */
    async list(workspaceId: string, limit = 50): Promise<AlertView[]> {
      const rs = await client.execute({
        // The priority at the alert (older alerts, fired before it was kept, fall back to today's).
        sql: `SELECT a.id, a.ticket_id, t.subject, t.url, COALESCE(a.priority, t.priority), a.kind, a.metric, a.level, a.due_at, a.fired_at, u.name, a.scheduled_at, a.skipped_levels, a.key, s.state_json
              FROM alerts a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN users u ON u.id = a.acknowledged_by
              LEFT JOIN ticket_sla s ON s.ticket_id = a.ticket_id
              WHERE a.workspace_id = ? ORDER BY a.acknowledged_at IS NOT NULL, a.fired_at DESC LIMIT ?`,
        args: [workspaceId, limit],
      });
      const views: AlertView[] = rs.rows.map((r) => ({
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
        resolved: alertResolution(
          r[13] as string,
          r[6] as string,
          r[14] === null ? null : (JSON.parse(r[14] as string) as SlaState),
        ),
      }));
      // Stable: within each group the query's order (unacknowledged first, newest first) holds.
      return views.sort((a, b) => Number(a.resolved !== null) - Number(b.resolved !== null));
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
