import type { Client } from '@libsql/client';
import { calendar24x7 } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Push } from './push.js';
import type { Sla } from './sla.js';

/** How long a claim holds before another instance may take the work over (its holder died). */
export const CLAIM_TTL_MS = 30_000;
const BATCH = 500;

export interface FiredAlert {
  id: string;
  workspaceId: string;
  ticketId: string;
  key: string;
  level: string;
  metric: string;
}

interface Claimed {
  id: string;
  ticketId: string;
  workspaceId: string;
  key: string;
  metric: string;
  level: string;
  fireAt: number;
}

/**
 * Fires SLA warnings and breaches. Work is claimed through the database in one statement, so
 * several instances on one database never take the same timer; a claim expires, so a timer
 * held by an instance that died is taken over; the alert's unique key makes a retried timer
 * raise nothing twice. Outside business hours a non-urgent alert of a business-hours policy
 * waits for the next opening.
 */
export function createScheduler(
  client: Client,
  now: () => number,
  sla: Sla,
  push: Push,
  publicUrl: () => string,
  instanceId = newId(),
) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function claim(t: number): Promise<Claimed[]> {
    const rs = await client.execute({
      sql: `UPDATE sla_timers SET state = 'claimed', claimed_by = ?, claimed_until = ?
            WHERE id IN (SELECT id FROM sla_timers
                         WHERE (state = 'pending' AND fire_at <= ?) OR (state = 'claimed' AND claimed_until < ?)
                         ORDER BY fire_at LIMIT ?)
            RETURNING id, ticket_id, workspace_id, key, metric, level, fire_at`,
      args: [instanceId, t + CLAIM_TTL_MS, t, t, BATCH],
    });
    // RETURNING has no order of its own: act in instant order.
    return rs.rows
      .map((r) => ({
        id: r[0] as string,
        ticketId: r[1] as string,
        workspaceId: r[2] as string,
        key: r[3] as string,
        metric: r[4] as string,
        level: r[5] as string,
        fireAt: Number(r[6]),
      }))
      .sort((a, b) => a.fireAt - b.fireAt || a.key.localeCompare(b.key));
  }

  /** One pass: fires what is due at `t` and returns the alerts it raised. */
  async function tick(t = now()): Promise<FiredAlert[]> {
    const fired: FiredAlert[] = [];
    for (;;) {
      const claimed = await claim(t);
      if (claimed.length === 0) break;
      const rs = await client.execute({
        sql: `SELECT t.id, t.workspace_id, t.source, t.priority, t.category, t.tags, t.requester_org, t.subject, s.state_json
              FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id WHERE t.id IN (SELECT value FROM json_each(?))`,
        args: [JSON.stringify([...new Set(claimed.map((c) => c.ticketId))])],
      });
      const tickets = new Map(rs.rows.map((r) => [r[0] as string, r]));
      for (const c of claimed) {
        const row = tickets.get(c.ticketId);
        if (!row) continue;
        const ticket = {
          id: c.ticketId,
          workspaceId: c.workspaceId,
          source: row[2] as string,
          priority: row[3] as string,
          category: row[4] as string,
          tags: row[5] as string,
          requesterOrg: (row[6] as string | null) ?? null,
        };
        const { calendar } = sla.resolve(await sla.config(c.workspaceId), ticket);
        if (calendar !== calendar24x7 && ticket.priority !== 'urgent' && !calendar.isOpen(t)) {
          // Nobody is at the desk: tell them when they are.
          await client.execute({
            sql: `UPDATE sla_timers SET state = 'pending', fire_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?`,
            args: [calendar.nextOpening(t), c.id, instanceId],
          });
          continue;
        }
        const alertId = newId();
        const kind = c.level === 'breach' ? 'sla_breach' : 'sla_warning';
        const state = row[8]
          ? (JSON.parse(row[8] as string) as {
              targets: { metric: string; dueAt: number | null }[];
            })
          : null;
        const dueAt = state?.targets.find((x) => x.metric === c.metric)?.dueAt ?? null;
        const res = await client.batch(
          [
            {
              sql: `INSERT INTO alerts (id, workspace_id, ticket_id, key, kind, metric, level, due_at, fired_at, fired_by) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(ticket_id, key) DO NOTHING`,
              args: [
                alertId,
                c.workspaceId,
                c.ticketId,
                c.key,
                kind,
                c.metric,
                c.level,
                dueAt,
                t,
                instanceId,
              ],
            },
            {
              sql: `UPDATE sla_timers SET state = 'fired', fired_at = ? WHERE id = ? AND claimed_by = ?`,
              args: [t, c.id, instanceId],
            },
          ],
          'write',
        );
        if (res[0]!.rowsAffected === 1) {
          const alert = {
            id: alertId,
            workspaceId: c.workspaceId,
            ticketId: c.ticketId,
            key: c.key,
            level: c.level,
            metric: c.metric,
          };
          fired.push(alert);
          const subject = row[7] as string;
          const what =
            c.level === 'breach' ? 'breached' : `warning (${c.level.replace('warn:', '')})`;
          push.background(
            push.notifyManagers(c.workspaceId, async () => ({
              kind: 'sla_alert',
              title: `SLA ${what}: ${subject}`,
              body: `${c.metric.replace('_', ' ')}${dueAt ? `, due ${new Date(dueAt).toISOString()}` : ''}`,
              url: `${publicUrl()}/`,
            })),
          );
        }
      }
      if (claimed.length < BATCH) break;
    }
    return fired;
  }

  return {
    instanceId,
    tick,
    /** Runs `tick` every `intervalMs` until `stop`; passes never overlap. */
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((err) => console.error('[scheduler]', err))
          .finally(() => (running = null));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
