import type { Client } from '@libsql/client';
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { AutoRule, autoRuleInput } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { autoEscalationRules, users } from '../db/schema.js';
import type { Caller } from './accounts.js';
import type { Escalations } from './escalations.js';
import { OnCallError } from './oncall-error.js';
import type { OnCallService, PageRequest } from './oncall.js';
import type { Push } from './push.js';

/** Automatic rules are looked at this often: they count in hours, not seconds. */
export const AUTO_RULES_EVERY_MS = 60_000;
/** At most this many tickets per rule per look, so one rule cannot hold a tick up. */
const PER_RULE = 100;

const describe = (w: AutoRule['when']) =>
  w.kind === 'unresolved' ? `unresolved for ${w.hours} h` : 'breached and unassigned';

/**
 * Automatic escalation rules ("unresolved for 24 hours", "breached and unassigned"): the
 * scheduler opens an escalation for each ticket a rule meets, with no agent asking, once per
 * ticket and rule (the `auto_escalations` key is claimed before the escalation is opened, so two
 * instances never both open it). The escalation is requested in the name of whoever set the rule
 * up and goes down the paths like any other request.
 */
export function createAutoEscalation(
  db: Db,
  client: Client,
  now: () => number,
  escalations: Pick<Escalations, 'request'>,
) {
  let lastLook = -Infinity;

  async function ticketsFor(rule: typeof autoEscalationRules.$inferSelect, t: number) {
    const when = JSON.parse(rule.whenJson) as AutoRule['when'];
    const met =
      when.kind === 'unresolved'
        ? { sql: 'tk.created_at <= ?', args: [t - when.hours * 3_600_000] }
        : {
            sql: `(tk.assignee IS NULL OR tk.assignee = '') AND EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = tk.id AND a.kind = 'sla_breach')`,
            args: [],
          };
    const rs = await client.execute({
      sql: `SELECT tk.id FROM tickets tk
            WHERE tk.workspace_id = ? AND tk.category NOT IN ('solved', 'closed') AND ${met.sql}
              AND NOT EXISTS (SELECT 1 FROM auto_escalations x WHERE x.rule_id = ? AND x.ticket_id = tk.id)
            ORDER BY tk.created_at LIMIT ?`,
      args: [rule.workspaceId, ...met.args, rule.id, PER_RULE],
    });
    return { when, ticketIds: rs.rows.map((r) => r[0] as string) };
  }

  async function open(rule: typeof autoEscalationRules.$inferSelect, ticketId: string, t: number) {
    const claim = await client.execute({
      sql: `INSERT INTO auto_escalations (rule_id, ticket_id, escalation_id, created_at) VALUES (?, ?, '', ?) ON CONFLICT DO NOTHING`,
      args: [rule.id, ticketId, t],
    });
    if (claim.rowsAffected === 0) return null; // another instance, or an earlier look, has it
    const creator = await db.query.users.findFirst({ where: eq(users.id, rule.createdBy) });
    const caller: Caller = {
      userId: rule.createdBy,
      workspaceId: rule.workspaceId,
      role: creator?.role ?? 'manager',
      name: `Rule "${rule.name}"`,
      email: creator?.email ?? '',
      via: 'session',
    };
    try {
      const esc = await escalations.request(caller, {
        ticketId,
        type: rule.type,
        severity: rule.severity,
        reason: `Opened automatically by the rule "${rule.name}": ${describe(JSON.parse(rule.whenJson) as AutoRule['when'])}`,
      });
      await client.execute({
        sql: 'UPDATE auto_escalations SET escalation_id = ? WHERE rule_id = ? AND ticket_id = ?',
        args: [esc.id, rule.id, ticketId],
      });
      return esc.id;
    } catch (err) {
      // Not opened: give the claim back, so a later look tries again.
      await client.execute({
        sql: `DELETE FROM auto_escalations WHERE rule_id = ? AND ticket_id = ? AND escalation_id = ''`,
        args: [rule.id, ticketId],
      });
      throw err;
    }
  }

  return {
    /** Opens the escalations every enabled rule calls for at `t`; returns their ids. */
    async check(t = now()): Promise<string[]> {
      if (t - lastLook < AUTO_RULES_EVERY_MS) return [];
      lastLook = t;
      const rules = await db
        .select()
        .from(autoEscalationRules)
        .where(eq(autoEscalationRules.enabled, true));
      const opened: string[] = [];
      for (const rule of rules) {
        const { ticketIds } = await ticketsFor(rule, t);
        for (const ticketId of ticketIds) {
          const id = await open(rule, ticketId, t);
          if (id) opened.push(id);
        }
      }
      return opened;
    },

    async listRules(workspaceId: string) {
      const rows = await db
        .select()
        .from(autoEscalationRules)
        .where(eq(autoEscalationRules.workspaceId, workspaceId))
        .orderBy(asc(autoEscalationRules.name));
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        when: JSON.parse(r.whenJson) as AutoRule['when'],
        type: r.type,
        severity: r.severity,
        enabled: r.enabled,
      }));
    },

    async saveRule(caller: Caller, input: z.output<typeof autoRuleInput>) {
      const t = now();
      const values = {
        name: input.name,
        whenJson: JSON.stringify(input.when),
        type: input.type,
        severity: input.severity,
        enabled: input.enabled,
        updatedAt: t,
      };
      if (input.id) {
        const updated = await db
          .update(autoEscalationRules)
          .set(values)
          .where(
            and(
              eq(autoEscalationRules.id, input.id),
              eq(autoEscalationRules.workspaceId, caller.workspaceId),
            ),
          )
          .returning({ id: autoEscalationRules.id });
        if (updated.length === 0) throw new OnCallError('NOT_FOUND', 'No such rule');
        return { id: input.id };
      }
      const id = newId();
      await db.insert(autoEscalationRules).values({
        id,
        workspaceId: caller.workspaceId,
        createdBy: caller.userId,
        createdAt: t,
        ...values,
      });
      return { id };
    },
  };
}
export type AutoEscalation = ReturnType<typeof createAutoEscalation>;

/**
 * Pages about something at once, outside another write: down the path routes and conditions
 * choose, or to every manager when none fits. The hook for red flags and anything else that
 * pages on its own.
 */
export function createPager(oncall: Pick<OnCallService, 'pageStatements'>, push: Push) {
  return {
    async page(req: PageRequest & { kind: 'red_flag' | 'connector' }) {
      const paged = await oncall.pageStatements(req);
      if (paged) await push.writeAndKick(paged, req.t);
      else
        await push.writeAndNotifyManagers([], {
          workspaceId: req.workspaceId,
          kind: req.kind,
          sourceId: req.sourceId,
          payload: req.payload,
          t: req.t,
        });
      return { paged: paged !== null };
    },
  };
}
export type Pager = ReturnType<typeof createPager>;
