import type { Client } from '@libsql/client';
import { desc, eq } from 'drizzle-orm';
import {
  DEFAULT_RED_FLAG_RULES,
  DONE_CATEGORIES,
  evaluateRedFlags,
  redFlagRules,
  resolvePeriod,
  type RedFlagInputs,
  type RedFlagRules,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { redFlagSettings, redFlags } from '../db/schema.js';
import type { Audit } from './audit.js';
import type { Metrics } from './metrics.js';
import type { OnCallService } from './oncall.js';
import type { Push } from './push.js';

/** How often the scheduler evaluates a workspace's rules: metrics move in hours, not seconds. */
export const RED_FLAG_EVERY_MS = 10 * 60_000;
const DAY = 86_400_000;
const DONE = DONE_CATEGORIES.map((c) => `'${c}'`).join(', ');

/**
 * Tickets created per tag in [from, to), by index from the rollups' `created` points (one per
 * ticket, at its creation, with its tags); tickets still waiting for the catch-up are not counted.
 */
export async function tagVolume(client: Client, workspaceId: string, from: number, to: number) {
  const rs = await client.execute({
    sql: `SELECT j.value, count(*) FROM metric_points p, json_each(p.tags) j
          WHERE p.workspace_id = ? AND p.kind = 'created' AND p.at >= ? AND p.at < ? GROUP BY j.value`,
    args: [workspaceId, from, to],
  });
  return Object.fromEntries(rs.rows.map((r) => [String(r[0]), Number(r[1])]));
}

/**
 * Red flags (issue #18): a manager's rules on the metrics, evaluated by the scheduler. A flag is
 * raised (stored, and pushed to the workspace's managers in the same transaction) when its rule's
 * condition first holds, and cleared when it no longer does: one push per occurrence.
 */
export function createRedFlags(
  db: Db,
  client: Client,
  now: () => number,
  metrics: Pick<Metrics, 'glanceComplete' | 'rollups'>,
  push: Push,
  audit: Audit,
  publicUrl: () => string,
  /** Pages a flag down the on-call path routed for red flags (or the default); absent or no path: every manager. */
  oncall?: Pick<OnCallService, 'pageStatements'>,
) {
  async function rules(workspaceId: string): Promise<RedFlagRules> {
    const row = await db.query.redFlagSettings.findFirst({
      where: eq(redFlagSettings.workspaceId, workspaceId),
    });
    return row ? redFlagRules.parse(JSON.parse(row.rulesJson)) : DEFAULT_RED_FLAG_RULES;
  }

  /** What the enabled rules look at, at `t`; what no enabled rule needs is left empty. */
  async function inputs(workspaceId: string, r: RedFlagRules, t: number): Promise<RedFlagInputs> {
    const out: RedFlagInputs = {
      backlog: [],
      compliance: { rate: null, met: 0, concluded: 0 },
      tagVolume: { current: {}, previous: {} },
      escalations: [],
      open: [],
    };
    if (r.backlog_rising.enabled || r.compliance_under_target.enabled) {
      const g = await metrics.glanceComplete(workspaceId, { period: '7d', timeZone: r.timeZone });
      const card = (m: string) => g.cards.find((c) => c.metric === m)!;
      // Complete days only: today's backlog is still moving.
      out.backlog = card('backlog').series.slice(0, -1);
      const c = card('compliance');
      out.compliance = {
        rate: c.value,
        met: c.detail.met ?? 0,
        concluded: c.detail.count ?? 0,
      };
    }
    if (r.category_spike.enabled) {
      await metrics.rollups.catchUp(workspaceId);
      const p = resolvePeriod({ period: '7d' }, r.timeZone, t);
      out.tagVolume = {
        current: await tagVolume(client, workspaceId, p.current.from, p.current.to),
        previous: await tagVolume(client, workspaceId, p.previous.from, p.previous.to),
      };
    }
    if (r.repeat_escalations.enabled) {
      const rs = await client.execute({
        sql: `SELECT e.ticket_id, t.subject FROM escalations e JOIN tickets t ON t.id = e.ticket_id
              WHERE e.workspace_id = ? AND e.created_at >= ? AND e.created_at <= ?`,
        args: [workspaceId, t - r.repeat_escalations.days * DAY, t],
      });
      out.escalations = rs.rows.map((x) => ({ ticketId: String(x[0]), subject: String(x[1]) }));
    }
    if (r.aging_tickets.enabled) {
      const rs = await client.execute({
        sql: `SELECT id, created_at FROM tickets
              WHERE workspace_id = ? AND category NOT IN (${DONE}) AND created_at <= ?`,
        args: [workspaceId, t - r.aging_tickets.days * DAY],
      });
      out.open = rs.rows.map((x) => ({ ticketId: String(x[0]), createdAt: Number(x[1]) }));
    }
    return out;
  }

  /**
   * Evaluates one workspace's rules at `t`: raises (and pushes) each flag whose condition holds
   * and has no open occurrence, clears open ones whose condition no longer holds. Returns the
   * flags raised now.
   */
  async function evaluate(workspaceId: string, t = now()) {
    const r = await rules(workspaceId);
    const flags = evaluateRedFlags(await inputs(workspaceId, r, t), r, t);
    const raised: { id: string; rule: string; subject: string; title: string }[] = [];
    const tx = await client.transaction('write');
    try {
      for (const f of flags) {
        const id = newId();
        // The partial unique index ignores a second open occurrence (this or another instance).
        const rs = await tx.execute({
          sql: `INSERT OR IGNORE INTO red_flags (id, workspace_id, rule, subject, title, numbers_json, raised_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          args: [id, workspaceId, f.rule, f.subject, f.title, JSON.stringify(f.numbers), t],
        });
        if (rs.rows.length === 0) continue;
        raised.push({ id, rule: f.rule, subject: f.subject, title: f.title });
        const notice = {
          workspaceId,
          kind: 'red_flag' as const,
          sourceId: id,
          t,
          payload: {
            kind: 'red_flag',
            flagId: id,
            rule: f.rule,
            title: `Red flag: ${f.title}`,
            body: Object.entries(f.numbers)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
            url: `${publicUrl()}/metrics/flags`,
          },
        };
        // A flag is about the desk, not one ticket: low urgency (quiet hours hold it), no priority.
        const paged = await oncall?.pageStatements({
          ...notice,
          title: notice.payload.title,
          subject: { kind: 'red_flag', urgency: 'low', priority: null, source: null, tags: [] },
        });
        if (paged) for (const st of paged) await tx.execute(st);
        else await tx.execute(push.enqueueForManagers(notice));
      }
      const holding = JSON.stringify(flags.map((f) => `${f.rule}\u0000${f.subject}`));
      await tx.execute({
        sql: `UPDATE red_flags SET cleared_at = ?
              WHERE workspace_id = ? AND cleared_at IS NULL
                AND rule || char(0) || subject NOT IN (SELECT value FROM json_each(?))`,
        args: [t, workspaceId, holding],
      });
      await tx.execute({
        sql: 'UPDATE red_flag_settings SET evaluated_at = ? WHERE workspace_id = ?',
        args: [t, workspaceId],
      });
      await tx.commit();
    } finally {
      tx.close();
    }
    if (raised.length) push.kick(t);
    return raised;
  }

  return {
    rules,
    evaluate,

    /** Stores a manager's rules (audited with the change), then evaluates them at once. */
    async setRules(workspaceId: string, userId: string, next: RedFlagRules) {
      const before = await rules(workspaceId);
      const t = now();
      await db.transaction(async (tx) => {
        const rulesJson = JSON.stringify(next);
        await tx
          .insert(redFlagSettings)
          .values({ workspaceId, rulesJson, updatedBy: userId, updatedAt: t })
          .onConflictDoUpdate({
            target: redFlagSettings.workspaceId,
            set: { rulesJson, updatedBy: userId, updatedAt: t },
          });
        await audit.record(tx, {
          workspaceId,
          actorId: userId,
          action: 'redflags.rules',
          target: `workspace:${workspaceId}`,
          before,
          after: next,
        });
      });
      const raised = await evaluate(workspaceId, t);
      return { rules: next, raised: raised.length };
    },

    /** The open flags and the last cleared ones, newest first, with the numbers that raised each. */
    async list(workspaceId: string, limit = 50) {
      const rows = await db
        .select()
        .from(redFlags)
        .where(eq(redFlags.workspaceId, workspaceId))
        .orderBy(desc(redFlags.raisedAt), desc(redFlags.id))
        .limit(limit);
      return rows.map((r) => ({
        id: r.id,
        rule: r.rule,
        subject: r.subject,
        title: r.title,
        numbers: JSON.parse(r.numbersJson) as Record<string, number | string>,
        raisedAt: r.raisedAt,
        clearedAt: r.clearedAt,
      }));
    },

    /** Evaluates every workspace with rules not evaluated for `RED_FLAG_EVERY_MS`. */
    async evaluateDue(t = now()) {
      const rs = await client.execute({
        sql: `SELECT workspace_id FROM red_flag_settings WHERE evaluated_at IS NULL OR evaluated_at <= ?`,
        args: [t - RED_FLAG_EVERY_MS],
      });
      let raised = 0;
      for (const r of rs.rows) raised += (await evaluate(String(r[0]), t)).length;
      return raised;
    },
  };
}
export type RedFlags = ReturnType<typeof createRedFlags>;
