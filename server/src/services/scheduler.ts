import type { Client, InValue } from '@libsql/client';
import { calendar24x7, type SlaInstant } from '@deskwatch/shared';
import { alertSubject } from './oncall-subjects.js';
import { newId } from '../crypto.js';
import { repeatingPass } from '../log.js';
import type { OnCallService } from './oncall.js';
import type { Push } from './push.js';
import { SLA_TICKET_COLUMNS, slaTicketFromRow, type Sla, type SlaTicket } from './sla.js';
import { badgeJson } from './sla-badge.js';

/** How long a claim holds before another instance may take the work over (its holder died). */
export const CLAIM_TTL_MS = 30_000;
/** A ticket reached this long after its next instant was missed (a takeover, every instance down): its whole window is replayed. */
const MISSED_AFTER_MS = 5_000;
/** An alert sent this long after its instant says it is late. */
const LATE_AFTER_MS = 60_000;
/** How late an alert fired at `firedAt` went out against its instant: 0 when within a minute. */
export const lateness = (firedAt: number, scheduledAt: number) =>
  firedAt - scheduledAt > LATE_AFTER_MS ? firedAt - scheduledAt : 0;
const BATCH = 500;

type Due = SlaInstant & { scheduledAt: number; skipped: string[] };

const levelName = (level: string) => level.replace('warn:', '');
const lateBy = (ms: number) =>
  ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} h` : `${Math.round(ms / 60_000)} min`;

export interface FiredAlert {
  id: string;
  workspaceId: string;
  ticketId: string;
  key: string;
  level: string;
  metric: string;
}

/**
 * Fires SLA warnings and breaches. It claims tickets whose next instant is due, through the
 * database in one statement, so several instances on one database never take the same ticket;
 * a claim expires, so work held by an instance that died is taken over. It recomputes each
 * claimed ticket at the tick's instant, raises every due alert once (the alert's unique key
 * makes a retry raise nothing twice), and stores the next instant. Outside business hours a
 * non-urgent alert of a business-hours policy waits for the next opening.
 */
export function createScheduler(
  client: Client,
  now: () => number,
  sla: Sla,
  push: Push,
  publicUrl: () => string,
  housekeeping: () => Promise<void> = async () => undefined,
  instanceId = newId(),
  /** Routes alerts through the workspace's default escalation path and advances pages; without it, managers get every alert. */
  oncall?: Pick<OnCallService, 'pageStatements' | 'advanceDue'>,
  /** Work paced in minutes (red flags, weekly digests), run at most once a minute. */
  everyMinute: (t: number) => Promise<void> = async () => undefined,
  /** Bounded background work run every pass after the tick (the metric rollups' catch-up). */
  everyPass: (t: number) => Promise<void> = async () => undefined,
) {
  let lastHousekeeping = 0;
  let lastMinute = 0;

  async function claim(t: number): Promise<(SlaTicket & { subject: string; nextAt: number })[]> {
    const rs = await client.execute({
      sql: `UPDATE ticket_sla SET claimed_by = ?, claimed_until = ?
            WHERE ticket_id IN (SELECT ticket_id FROM ticket_sla
                                WHERE next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                                ORDER BY next_at LIMIT ?)
            RETURNING ticket_id, next_at`,
      args: [instanceId, t + CLAIM_TTL_MS, t, t, BATCH],
    });
    if (rs.rows.length === 0) return [];
    const nextAt = new Map(rs.rows.map((r) => [r[0] as string, Number(r[1])]));
    const tickets = await client.execute({
      sql: `SELECT ${SLA_TICKET_COLUMNS}, subject FROM tickets WHERE id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify([...nextAt.keys()])],
    });
    return tickets.rows.map((r) => ({
      ...slaTicketFromRow(r),
      subject: r[8] as string, // after the SLA columns
      nextAt: nextAt.get(r[0] as string)!,
    }));
  }

  /**
   * The alert instants due at `t`, each with the instant it was meant to fire at. Recomputing at
   * `t` collapses thresholds passed together into the highest, so a late observation or a policy
   * change raises one alert, not a burst. When the scheduler itself missed the stored instant (its
   * holder died, no instance ran), the state at that instant says what was due on time: the alert
   * sent carries the real instant (so it reads as late) and names the levels it stands for.
   */
  async function dueInstants(
    ticket: SlaTicket & { nextAt: number },
    current: SlaInstant[],
    t: number,
  ): Promise<Due[]> {
    const due: Due[] = current
      .filter((i) => i.at <= t)
      .map((i) => ({ ...i, scheduledAt: i.at, skipped: [] }));
    if (t - ticket.nextAt < MISSED_AFTER_MS || due.length === 0) return due;
    const then = (await sla.evaluate([ticket], ticket.nextAt)).get(ticket.id)!;
    for (const missed of then.instants.filter((i) => i.at <= t)) {
      const cycle = missed.key.slice(0, missed.key.length - missed.level.length);
      const same = due.find((d) => d.key === missed.key);
      if (same) same.scheduledAt = Math.min(same.scheduledAt, missed.at);
      // Raised in its place: the last alert due for the same cycle of the metric.
      else due.findLast((d) => d.key.startsWith(cycle))?.skipped.push(missed.level);
    }
    return due;
  }

  /** One pass: fires what is due at `t` and returns the alerts it raised, in instant order. */
  async function tick(t = now()): Promise<FiredAlert[]> {
    const fired: FiredAlert[] = [];
    for (;;) {
      const claimed = await claim(t);
      if (claimed.length === 0) break;
      const evals = await sla.evaluate(claimed, t);
      const stmts: { sql: string; args: InValue[] }[] = [];
      const candidates: FiredAlert[] = [];
      for (const ticket of claimed) {
        const e = evals.get(ticket.id)!;
        const due = await dueInstants(ticket, e.instants, t);
        let next = e.instants.find((i) => i.at > t)?.at ?? null;
        // Nobody is at the desk: a non-urgent alert of a business-hours policy waits for the opening.
        const hold =
          e.calendar !== calendar24x7 && ticket.priority !== 'urgent' && !e.calendar.isOpen(t);
        if (hold && due.length > 0) {
          const opening = e.calendar.nextOpening(t);
          next = next === null ? opening : Math.min(next, opening);
        } else {
          for (const i of due) {
            const dueAt = e.state.targets.find((x) => x.metric === i.metric)?.dueAt ?? null;
            const alert = {
              id: newId(),
              workspaceId: ticket.workspaceId,
              ticketId: ticket.id,
              key: i.key,
              level: i.level,
              metric: i.metric,
            };
            candidates.push(alert);
            const late = lateness(t, i.scheduledAt);
            const skipped = i.skipped.length
              ? `; not sent in time: ${i.skipped.map((l) => (l === 'breach' ? 'the breach' : `the ${levelName(l)} warning`)).join(', ')}`
              : '';
            stmts.push({
              sql: `INSERT INTO alerts (id, workspace_id, ticket_id, key, kind, metric, level, due_at, scheduled_at, skipped_levels, fired_at, fired_by, priority) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(ticket_id, key) DO NOTHING`,
              args: [
                alert.id,
                alert.workspaceId,
                alert.ticketId,
                alert.key,
                i.level === 'breach' ? 'sla_breach' : 'sla_warning',
                i.metric,
                i.level,
                dueAt,
                i.scheduledAt,
                i.skipped.length ? JSON.stringify(i.skipped) : null,
                t,
                instanceId,
                e.state.priority,
              ],
            });
            // Its notifications are queued in the same batch, and only if this insert raised it:
            // down the default escalation path when the workspace has one, else to every manager.
            const what = i.level === 'breach' ? 'breached' : `warning (${levelName(i.level)})`;
            const notice = {
              workspaceId: alert.workspaceId,
              kind: 'sla_alert' as const,
              sourceId: alert.id,
              ifAlert: alert.id,
              t,
              payload: {
                kind: 'sla_alert',
                alertId: alert.id,
                title: `SLA ${what}${late ? `, sent ${lateBy(late)} late` : ''}: ${ticket.subject}`,
                body: `${i.metric.replace('_', ' ')}${dueAt ? `, due ${new Date(dueAt).toISOString()}` : ''}${skipped}`,
                url: `${publicUrl()}/`,
              },
            };
            const paged = await oncall?.pageStatements({
              ...notice,
              title: notice.payload.title,
              subject: alertSubject(ticket, e.policyId, i.level),
            });
            if (paged) stmts.push(...paged);
            else stmts.push(push.enqueueForManagers(notice));
          }
        }
        stmts.push({
          sql: `UPDATE ticket_sla SET state_json = ?, badge_json = ?, next_at = ?, computed_at = ?, claimed_by = NULL, claimed_until = NULL WHERE ticket_id = ? AND claimed_by = ?`,
          args: [JSON.stringify(e.state), badgeJson(e.state), next, t, ticket.id, instanceId],
        });
      }
      const results = await client.batch(stmts, 'write');
      // Only the inserts that took (rowsAffected 1) are new alerts; the rest fired before.
      let k = 0;
      for (let j = 0; j < results.length; j++) {
        if (!stmts[j]!.sql.startsWith('INSERT INTO alerts')) continue;
        const a = candidates[k++]!;
        if (results[j]!.rowsAffected === 1) fired.push(a);
      }
      if (fired.length > 0) push.kick(t);
      if (claimed.length < BATCH) break;
    }
    // Pages nobody acknowledged in time go to their path's next level.
    await oncall?.advanceDue(t);
    return fired;
  }

  /** One pass of the running scheduler: the tick, then the paced work that rides on it. */
  async function pass() {
    await tick();
    // Retries that came due, and anything a kick of another instance left behind.
    await push.deliverDue();
    await everyPass(now());
    if (now() - lastMinute >= 60_000) {
      lastMinute = now();
      await everyMinute(lastMinute);
    }
    // Every ten minutes, drop credentials that can never be used again.
    if (now() - lastHousekeeping >= 10 * 60_000) {
      lastHousekeeping = now();
      await housekeeping();
    }
  }
  // An outage fails every pass: said once, the rest counted, and said when it is over.
  const loop = repeatingPass('[scheduler] tick', pass, { now });

  return {
    instanceId,
    tick,
    /** One pass as the running scheduler makes it (for tests with an injected clock). */
    pass,
    /** Runs `tick` every `intervalMs` until `stop`; passes never overlap. */
    start(intervalMs = 1000) {
      loop.start(intervalMs);
    },
    stop: () => loop.stop(),
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
