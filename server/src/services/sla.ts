import type { Client, InValue, Row } from '@libsql/client';
import { and, asc, eq } from 'drizzle-orm';
import {
  BusinessCalendar,
  calendar24x7,
  calendarSpec,
  lintCalendar,
  parseStored,
  compareCompliance,
  computeSlaState,
  defaultPolicy,
  DONE_CATEGORIES,
  lintPolicies,
  selectPolicy,
  slaInstants,
  slaPolicy,
  ticketMetricFacts,
  type Calendar,
  type CalendarSpec,
  type ParsedCalendarSpec,
  type LintIssue,
  type Priority,
  type SlaPolicy,
  type SlaInstant,
  type SlaState,
  type StatusCategory,
  type TicketEvent,
  type TicketMetricFacts,
  type WhatIfComparison,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { calendars, slaPolicies } from '../db/schema.js';
import { badgeJson } from './sla-badge.js';

/** The ticket fields the SLA engine needs. */
export interface SlaTicket {
  id: string;
  workspaceId: string;
  source: string;
  priority: string;
  category: string;
  tags: string;
  requesterOrg: string | null;
  /** From when the status is known, when not since creation (see `tickets.statusKnownFrom`). */
  statusKnownFrom: number | null;
}

/** The columns of `tickets` the SLA engine reads, in the order `slaTicketFromRow` expects. */
export const SLA_TICKET_COLUMNS =
  'id, workspace_id, source, priority, category, tags, requester_org, status_known_from';

export function slaTicketFromRow(r: Row): SlaTicket {
  return {
    id: r[0] as string,
    workspaceId: r[1] as string,
    source: r[2] as string,
    priority: r[3] as string,
    category: r[4] as string,
    tags: r[5] as string,
    requesterOrg: (r[6] as string | null) ?? null,
    statusKnownFrom: r[7] === null || r[7] === undefined ? null : Number(r[7]),
  };
}

/** What the engine says of a ticket at an instant: its state and its alert instants. */
export interface Evaluation {
  state: SlaState;
  instants: SlaInstant[];
  calendar: Calendar;
  /** The calendar's spec, for the overlay to tick in business time (null: 24x7). */
  spec: ParsedCalendarSpec | null;
  policyId: string | null;
  policyName: string;
  calendarId: string | null;
}

/** The columns of `ticket_events` the SLA engine reads, in the order `eventFromRow` expects. */
export const SLA_EVENT_COLUMNS = 'type, at, data';

/** An event as stored; written by this server from validated input, so read without re-validating. */
export function eventFromRow(r: ArrayLike<unknown>): TicketEvent {
  return { type: r[0], at: Number(r[1]), ...JSON.parse(r[2] as string) } as TicketEvent;
}

/** `stateRow`'s columns: the state is always stored with its list badge (`sla-badge.ts`). */
const STATE_COLUMNS =
  'ticket_id, workspace_id, policy_id, calendar_id, state_json, badge_json, next_at, computed_at';
const STATE_SET =
  'policy_id = excluded.policy_id, calendar_id = excluded.calendar_id, state_json = excluded.state_json, badge_json = excluded.badge_json';

/**
 * Stores a ticket's state with its next alert instant (the scheduler's index). It drops any
 * scheduler claim: a tick that read the ticket's events before this write would otherwise store
 * its older state over this one (its write is conditional on still holding the claim).
 */
export const STATE_UPSERT = `INSERT INTO ticket_sla (${STATE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)
  ON CONFLICT(ticket_id) DO UPDATE SET ${STATE_SET}, next_at = excluded.next_at, computed_at = excluded.computed_at, claimed_by = NULL, claimed_until = NULL`;

export function stateRow(ticket: SlaTicket, e: Evaluation, t: number): InValue[] {
  return [
    ticket.id,
    ticket.workspaceId,
    e.policyId,
    e.calendarId,
    JSON.stringify(e.state),
    badgeJson(e.state),
    e.instants[0]?.at ?? null,
    t,
  ];
}

export interface WorkspaceConfig {
  policies: { id: string | null; policy: SlaPolicy }[];
  calendars: Map<string, { spec: ParsedCalendarSpec; calendar: BusinessCalendar }>;
  loadedAt: number;
}

export class SlaConfigError extends Error {
  constructor(readonly issues: LintIssue[]) {
    super(
      issues
        .filter((i) => i.severity === 'error')
        .map((i) => i.message)
        .join('; '),
    );
  }
}

/** How long an instance trusts its cached policies; other instances' changes arrive within this. */
const CONFIG_TTL_MS = 5_000;
const CHUNK = 500;
/** How far back a what-if looks. */
export const WHAT_IF_DAYS = 30;

/** Settings not saved yet: a calendar to add or replace, and/or the whole ordered policy list. */
export interface SlaDraft {
  calendar?: { id?: string | undefined; spec: CalendarSpec } | undefined;
  policies?: { id?: string | undefined; policy: SlaPolicy }[] | undefined;
}

export function createSla(db: Db, client: Client, now: () => number) {
  const cache = new Map<string, WorkspaceConfig>();

  async function config(workspaceId: string): Promise<WorkspaceConfig> {
    const hit = cache.get(workspaceId);
    if (hit && Date.now() - hit.loadedAt < CONFIG_TTL_MS) return hit;
    const [pRows, cRows] = await Promise.all([
      db.query.slaPolicies.findMany({
        where: eq(slaPolicies.workspaceId, workspaceId),
        orderBy: asc(slaPolicies.position),
      }),
      db.query.calendars.findMany({ where: eq(calendars.workspaceId, workspaceId) }),
    ]);
    const cfg: WorkspaceConfig = {
      policies:
        pRows.length > 0
          ? pRows.map((r) => ({
              id: r.id,
              policy: parseStored(slaPolicy, JSON.parse(r.policyJson)),
            }))
          : [{ id: null, policy: defaultPolicy }],
      calendars: new Map(
        cRows.map((r) => {
          const spec = parseStored(calendarSpec, JSON.parse(r.specJson));
          return [r.id, { spec, calendar: new BusinessCalendar(spec, r.id) }];
        }),
      ),
      loadedAt: Date.now(),
    };
    cache.set(workspaceId, cfg);
    return cfg;
  }

  function resolve(cfg: WorkspaceConfig, t: SlaTicket) {
    const facts = {
      source: t.source,
      priority: t.priority as Priority,
      category: t.category as StatusCategory,
      tags: t.tags === '[]' ? [] : (JSON.parse(t.tags) as string[]),
      requesterOrg: t.requesterOrg,
    };
    const chosen = selectPolicy(
      cfg.policies.map((p) => p.policy),
      facts,
    );
    const entry = cfg.policies.find((p) => p.policy === chosen) ?? {
      id: null,
      policy: defaultPolicy,
    };
    const cal = entry.policy.calendarId ? cfg.calendars.get(entry.policy.calendarId) : undefined;
    return {
      policyId: entry.id,
      policy: entry.policy,
      calendar: (cal?.calendar ?? calendar24x7) as Calendar,
      spec: cal?.spec ?? null,
      calendarId: cal ? entry.policy.calendarId : null,
    };
  }

  async function eventsByTicket(ids: string[]): Promise<Map<string, TicketEvent[]>> {
    const rs = await client.execute({
      sql: 'SELECT ticket_id, type, at, data FROM ticket_events WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, at, recorded_at',
      args: [JSON.stringify(ids)],
    });
    const out = new Map<string, TicketEvent[]>();
    for (const r of rs.rows) {
      const id = r[0] as string;
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(eventFromRow([r[1], r[2], r[3]]));
    }
    return out;
  }

  /** What the engine says of one ticket at `at`, from its events (ordered by time): no I/O. */
  function evaluateOne(
    cfg: WorkspaceConfig,
    ticket: SlaTicket,
    events: TicketEvent[],
    at: number,
    opts: { explain?: boolean } = {},
  ): Evaluation {
    const r = resolve(cfg, ticket);
    const state = computeSlaState(events, r.policy, r.calendar, at, {
      ...opts,
      statusKnownFrom: ticket.statusKnownFrom,
    });
    const instants = DONE_CATEGORIES.includes(state.category)
      ? []
      : slaInstants(state, r.policy, r.calendar);
    return {
      state,
      instants,
      calendar: r.calendar,
      spec: r.spec,
      policyId: r.policyId,
      policyName: r.policy.name,
      calendarId: r.calendarId,
    };
  }

  /** Computes tickets' states and alert instants at `at` from their event logs, without writing. */
  async function evaluate(
    list: SlaTicket[],
    at: number,
    opts: { explain?: boolean } = {},
  ): Promise<Map<string, Evaluation>> {
    const out = new Map<string, Evaluation>();
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const events = await eventsByTicket(chunk.map((c) => c.id));
      const configs = new Map<string, WorkspaceConfig>();
      for (const ticket of chunk) {
        let cfg = configs.get(ticket.workspaceId);
        if (!cfg) configs.set(ticket.workspaceId, (cfg = await config(ticket.workspaceId)));
        out.set(ticket.id, evaluateOne(cfg, ticket, events.get(ticket.id) ?? [], at, opts));
      }
    }
    return out;
  }

  /**
   * Recomputes tickets from their event logs and stores each state with its next alert instant,
   * so the scheduler finds what is due through one index. Warnings that no longer apply (a
   * pause, a reply, a policy change) simply stop being the next instant.
   */
  async function recompute(
    list: SlaTicket[],
    opts: { at?: number } = {},
  ): Promise<Map<string, Evaluation>> {
    const t = opts.at ?? now();
    const evals = await evaluate(list, t);
    const rows = list.map((ticket) => stateRow(ticket, evals.get(ticket.id)!, t));
    const stmts: { sql: string; args: InValue[] }[] = [];
    for (let j = 0; j < rows.length; j += 500) {
      const chunk = rows.slice(j, j + 500);
      stmts.push({
        sql: `INSERT INTO ticket_sla (${STATE_COLUMNS}) VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?)').join(',')}
              ON CONFLICT(ticket_id) DO UPDATE SET ${STATE_SET}, next_at = excluded.next_at, computed_at = excluded.computed_at, claimed_by = NULL, claimed_until = NULL`,
        args: chunk.flat(),
      });
    }
    for (let j = 0; j < stmts.length; j += 20) await client.batch(stmts.slice(j, j + 20), 'write');
    return evals;
  }

  async function ticketsOf(workspaceId: string, includeClosed: boolean): Promise<SlaTicket[]> {
    const rs = await client.execute({
      sql: `SELECT ${SLA_TICKET_COLUMNS} FROM tickets WHERE workspace_id = ? ${includeClosed ? '' : "AND category NOT IN ('solved', 'closed')"}`,
      args: [workspaceId],
    });
    return rs.rows.map(slaTicketFromRow);
  }

  /**
   * The tickets a what-if looks at: every open one (its clock may breach with no event) and
   * every one with an event in the period (a reply or a resolution concludes a target).
   */
  async function ticketsActiveSince(workspaceId: string, from: number) {
    const rs = await client.execute({
      sql: `SELECT ${SLA_TICKET_COLUMNS}, created_at, subject, external_id FROM tickets t WHERE workspace_id = ? AND (category NOT IN ('solved', 'closed') OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.at >= ?))`,
      args: [workspaceId, from],
    });
    return rs.rows.map((r) => ({
      ticket: slaTicketFromRow(r),
      createdAt: Number(r[8]),
      subject: r[9] as string,
      externalId: r[10] as string,
    }));
  }

  return {
    config,
    resolve,

    /** State of one ticket now (with `explain`, the segments behind each clock), without writing. */
    async stateOf(ticket: SlaTicket, opts: { explain?: boolean } = {}) {
      return (await evaluate([ticket], now(), opts)).get(ticket.id)!;
    },

    evaluate,
    evaluateOne,
    eventsByTicket,
    recompute,

    /** After a policy or calendar change: every open ticket. With `includeClosed` ("repair"), every ticket. */
    async recomputeWorkspace(workspaceId: string, opts: { includeClosed?: boolean } = {}) {
      cache.delete(workspaceId);
      const list = await ticketsOf(workspaceId, opts.includeClosed ?? false);
      await recompute(list);
      return { recomputed: list.length };
    },

    async listConfig(workspaceId: string) {
      const [pRows, cRows] = await Promise.all([
        db.query.slaPolicies.findMany({
          where: eq(slaPolicies.workspaceId, workspaceId),
          orderBy: asc(slaPolicies.position),
        }),
        db.query.calendars.findMany({ where: eq(calendars.workspaceId, workspaceId) }),
      ]);
      return {
        policies: pRows.map((r) => ({
          id: r.id,
          policy: parseStored(slaPolicy, JSON.parse(r.policyJson)),
        })),
        calendars: cRows.map((r) => ({
          id: r.id,
          spec: parseStored(calendarSpec, JSON.parse(r.specJson)),
        })),
      };
    },

    /** Creates or replaces a calendar; refuses one that would break a policy using it. */
    async saveCalendar(workspaceId: string, id: string | undefined, spec: CalendarSpec) {
      const calId = id ?? newId();
      const current = await this.listConfig(workspaceId);
      if (id && !current.calendars.some((c) => c.id === id))
        throw new SlaConfigError([
          {
            severity: 'error',
            policy: -1,
            message: `No calendar "${id}" in this workspace`,
            path: ['id'],
          },
        ]);
      const specs = Object.fromEntries([
        ...current.calendars.map((c) => [c.id, c.spec] as const),
        [calId, spec],
      ]);
      const issues = [
        ...lintCalendar(spec),
        ...lintPolicies(
          current.policies.map((p) => p.policy),
          specs,
        ),
      ];
      if (issues.some((i) => i.severity === 'error')) throw new SlaConfigError(issues);
      await db
        .insert(calendars)
        .values({ id: calId, workspaceId, specJson: JSON.stringify(spec), updatedAt: now() })
        .onConflictDoUpdate({
          target: calendars.id,
          set: { specJson: JSON.stringify(spec), updatedAt: now() },
        });
      const res = await this.recomputeWorkspace(workspaceId);
      return { id: calId, warnings: issues, ...res };
    },

    async deleteCalendar(workspaceId: string, id: string) {
      const current = await this.listConfig(workspaceId);
      const users = current.policies
        .filter((p) => p.policy.calendarId === id)
        .map((p) => p.policy.name);
      if (users.length > 0)
        throw new SlaConfigError([
          {
            severity: 'error',
            policy: -1,
            message: `Calendar "${id}" is used by ${users.join(', ')}`,
            path: ['id'],
          },
        ]);
      await db
        .delete(calendars)
        .where(and(eq(calendars.workspaceId, workspaceId), eq(calendars.id, id)));
      cache.delete(workspaceId);
    },

    /**
     * What a draft would have done over the last 30 days: every ticket of the workspace active in
     * them recomputed from its event log with the engine, under the current settings and under
     * the draft, compared by compliance. Writes nothing; a draft the linter rejects is refused
     * with the same errors a save would give.
     */
    async whatIf(workspaceId: string, draft: SlaDraft) {
      const at = now();
      const period = { from: at - WHAT_IF_DAYS * 86_400_000, to: at };
      const current = await config(workspaceId);
      const calendarsOf = new Map(current.calendars);
      if (draft.calendar) {
        const { id, spec } = draft.calendar;
        if (id && !calendarsOf.has(id))
          throw new SlaConfigError([
            {
              severity: 'error',
              policy: -1,
              message: `No calendar "${id}" in this workspace`,
              path: ['id'],
            },
          ]);
        const parsed = calendarSpec.parse(spec);
        const calId = id ?? 'draft';
        calendarsOf.set(calId, { spec: parsed, calendar: new BusinessCalendar(parsed, calId) });
      }
      const policies = draft.policies
        ? draft.policies.map((p, i) => ({ id: p.id ?? `draft-${i}`, policy: p.policy }))
        : current.policies;
      const issues = [
        ...(draft.calendar ? lintCalendar(draft.calendar.spec) : []),
        ...lintPolicies(
          policies.map((p) => p.policy),
          Object.fromEntries([...calendarsOf].map(([id, c]) => [id, c.spec])),
        ),
      ];
      if (issues.some((i) => i.severity === 'error')) throw new SlaConfigError(issues);
      const drafted: WorkspaceConfig = {
        policies: policies.length > 0 ? policies : [{ id: null, policy: defaultPolicy }],
        calendars: calendarsOf,
        loadedAt: current.loadedAt,
      };
      const list = await ticketsActiveSince(workspaceId, period.from);
      const before: TicketMetricFacts[] = [];
      const after: TicketMetricFacts[] = [];
      for (let i = 0; i < list.length; i += CHUNK) {
        const chunk = list.slice(i, i + CHUNK);
        const events = await eventsByTicket(chunk.map((c) => c.ticket.id));
        for (const { ticket, createdAt } of chunk) {
          const log = events.get(ticket.id) ?? [];
          const facts = {
            id: ticket.id,
            source: ticket.source,
            priority: ticket.priority as Priority,
            tags: [],
            assignee: null,
            createdAt,
            statusKnownFrom: ticket.statusKnownFrom,
          };
          for (const [cfg, out] of [
            [current, before],
            [drafted, after],
          ] as const) {
            const r = resolve(cfg, ticket);
            out.push(ticketMetricFacts(facts, log, r.policy, r.calendar, at));
          }
        }
      }
      const r: WhatIfComparison = compareCompliance(before, after, period, at);
      const byId = new Map(list.map((x) => [x.ticket.id, x]));
      const named = (l: WhatIfComparison['newlyBreached']) =>
        l.map((x) => {
          const t = byId.get(x.ticketId)!;
          return { ...x, source: t.ticket.source, externalId: t.externalId, subject: t.subject };
        });
      return {
        ...r,
        tickets: list.length,
        newlyBreached: named(r.newlyBreached),
        noLongerBreached: named(r.noLongerBreached),
      };
    },

    /** Replaces the ordered policy list after linting it; errors reject the whole list and write nothing. */
    async savePolicies(
      workspaceId: string,
      list: { id?: string | undefined; policy: SlaPolicy }[],
    ) {
      const current = await this.listConfig(workspaceId);
      const issues = lintPolicies(
        list.map((p) => p.policy),
        Object.fromEntries(current.calendars.map((c) => [c.id, c.spec])),
      );
      if (issues.some((i) => i.severity === 'error')) throw new SlaConfigError(issues);
      const t = now();
      // An id is kept only for a policy of this workspace, and once: ids are global keys, and a
      // foreign or repeated one would collide with another row (or carry another tenant's id).
      const kept = new Set(current.policies.map((p) => p.id));
      const ids = list.map((p) => (p.id && kept.delete(p.id) ? p.id : newId()));
      await db.transaction(async (tx) => {
        await tx.delete(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId));
        if (list.length > 0) {
          await tx.insert(slaPolicies).values(
            list.map((p, i) => ({
              id: ids[i]!,
              workspaceId,
              position: i,
              policyJson: JSON.stringify(p.policy),
              updatedAt: t,
            })),
          );
        }
      });
      const res = await this.recomputeWorkspace(workspaceId);
      return { warnings: issues, ...res };
    },
  };
}
export type Sla = ReturnType<typeof createSla>;
