import type { Client, InValue } from '@libsql/client';
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  OnCallSchedule,
  WhoCache,
  nextShifts,
  nextStep,
  type escalationPathInput,
  type Layer,
  type OnCall,
  type overrideInput,
  type PathLevel,
  type PathTarget,
  type PageKind,
  type PageSubject,
  type PathConditions,
  type Urgency,
  type Schedule,
  type scheduleInput,
  type Shift,
} from '@deskwatch/shared';
import { newId, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import {
  escalationPaths,
  oncallOverrides,
  oncallSchedules,
  pageEvents,
  pages,
  pageTokens,
  users,
} from '../db/schema.js';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Caller } from './accounts.js';
import { OnCallError } from './oncall-error.js';
import { createOnCallRouting } from './oncall-routing.js';
import { webhookOutboxStatement } from './oncall-webhooks.js';

type Stmt = { sql: string; args: InValue[] };

const actor = alias(users, 'actor');

/** Whether the page (`?` id) is still open at the level and round (`?`, `?`) being paged. */
const STILL_OPEN = `EXISTS (SELECT 1 FROM pages WHERE id = ? AND state = 'open' AND level = ? AND round = ?)`;

/** How long an instance's claim on a due page holds before another may take it over. */
export const PAGE_CLAIM_TTL_MS = 30_000;
const DAY = 86_400_000;

export { OnCallError };

export interface ShiftView {
  userId: string;
  userName: string;
  start: number;
  end: number;
  overrideId: string | null;
}

export interface ScheduleView {
  id: string;
  name: string;
  timeZone: string;
  layers: Layer[];
  now: ShiftView | null;
  next: ShiftView | null;
}

export interface PageView {
  id: string;
  kind: PageKind;
  urgency: Urgency;
  sourceId: string;
  title: string;
  pathName: string;
  level: number;
  round: number;
  state: 'open' | 'acknowledged' | 'exhausted' | 'resolved';
  nextAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  createdAt: number;
}

export interface TimelineEntry {
  at: number;
  type: 'notified' | 'acknowledged' | 'exhausted' | 'resolved' | 'reassigned' | 'webhook';
  userName: string | null;
  /** Who handed the page on (reassigned). */
  byName: string | null;
  level: number | null;
  round: number | null;
  /** For a notification: each device of the person, and what became of the push to it (held: not before `nextAt`, quiet hours). */
  devices: { deviceId: string; state: string; doneAt: number | null; nextAt: number }[];
  /** For a webhook delivery: the webhook, its state (pending, sent, failed) and failure category. */
  webhook: { name: string; state: string; error: string | null; doneAt: number | null } | null;
}

/** What to page about: the push it sends at each level. */
export interface PageRequest {
  workspaceId: string;
  kind: PageKind;
  sourceId: string;
  title: string;
  payload: Record<string, unknown>;
  t: number;
  /** Page only if this alert row exists (its insert, in the same batch, may have done nothing). */
  ifAlert?: string;
  /** Page only if this escalation row exists (an automatic rule's insert may have done nothing). */
  ifEscalation?: string;
  /** What routes and path conditions read; without it, the default path pages, high urgency. */
  subject?: PageSubject;
}

/**
 * On-call: schedules with overrides, escalation paths, and pages that walk a path until someone
 * acknowledges. Each level's push goes through the push outbox under the page's own source id
 * (`page:round:level`), so every level reaches its people even if they were paged before.
 */
export function createOnCall(db: Db, client: Client, now: () => number, kick: (t: number) => void) {
  const routing = createOnCallRouting(db, now);
  /** Who is on call per schedule, until its next handoff or its next edit (shared with shifts). */
  const who = new WhoCache();
  /** How many times a schedule was read and compiled for the cache (tests, benches). */
  let compilations = 0;
  async function loadSchedule(workspaceId: string, id: string) {
    const row = await db.query.oncallSchedules.findFirst({
      where: and(eq(oncallSchedules.id, id), eq(oncallSchedules.workspaceId, workspaceId)),
    });
    if (!row) return null;
    const overrides = await db
      .select()
      .from(oncallOverrides)
      .where(and(eq(oncallOverrides.scheduleId, id), gt(oncallOverrides.endAt, now() - DAY)))
      .orderBy(asc(oncallOverrides.createdAt));
    const spec = JSON.parse(row.spec) as Omit<Schedule, 'overrides'>;
    const schedule: Schedule = {
      ...spec,
      overrides: overrides.map((o) => ({
        id: o.id,
        userId: o.userId,
        start: o.startAt,
        end: o.endAt,
      })),
    };
    return { row, spec, compiled: new OnCallSchedule(schedule) };
  }

  /** Every schedule's version: it changes with each edit and each override added or removed. */
  async function versions(workspaceId: string | null, scheduleId: string | null = null) {
    const rs = await client.execute({
      sql: `SELECT s.id, s.workspace_id, s.name, s.updated_at || ':' || (SELECT count(*) || ':' || coalesce(max(o.created_at), 0) FROM oncall_overrides o WHERE o.schedule_id = s.id)
            FROM oncall_schedules s WHERE (? IS NULL OR s.workspace_id = ?) AND (? IS NULL OR s.id = ?)
            ORDER BY s.name`,
      args: [workspaceId, workspaceId, scheduleId, scheduleId],
    });
    return rs.rows.map((r) => ({
      id: r[0] as string,
      workspaceId: r[1] as string,
      name: r[2] as string,
      version: r[3] as string,
    }));
  }

  /** A schedule compiled (from the cache while its version holds) and who is on call at `t`. */
  async function cachedAt(workspaceId: string, id: string, version: string, t: number) {
    let compiled = who.compiled(id, version);
    if (!compiled) {
      compiled = (await loadSchedule(workspaceId, id))?.compiled ?? null;
      if (!compiled) return null;
      compilations++;
    }
    const c = compiled;
    return { compiled: c, spell: who.at(id, version, t, () => c) };
  }

  async function userNames(workspaceId: string): Promise<Map<string, string>> {
    const rows = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.workspaceId, workspaceId));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  const view = (s: Shift | undefined, names: Map<string, string>): ShiftView | null =>
    s
      ? {
          userId: s.userId,
          userName: names.get(s.userId) ?? 'Unknown',
          start: s.start,
          end: s.end,
          overrideId: s.source.kind === 'override' ? s.source.id : null,
        }
      : null;

  async function requireWorkspaceUsers(workspaceId: string, ids: string[]) {
    if (ids.length === 0) return;
    const found = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, [...new Set(ids)])));
    if (found.length !== new Set(ids).size)
      throw new OnCallError('BAD_REQUEST', 'Every participant must be a person of your workspace');
  }

  /** The people a level pages at `t`, each once. */
  async function resolveTargets(workspaceId: string, level: PathLevel, t: number) {
    const ids = new Set<string>();
    for (const target of level.targets)
      for (const id of await targetUsers(workspaceId, target, t)) ids.add(id);
    return [...ids];
  }

  async function targetUsers(
    workspaceId: string,
    target: PathTarget,
    t: number,
  ): Promise<string[]> {
    if (target.kind === 'schedule') {
      const [v] = await versions(workspaceId, target.scheduleId);
      const got = v ? await cachedAt(workspaceId, v.id, v.version, t) : null;
      const onCall: OnCall | null = got?.spell.who ?? null;
      return onCall ? [onCall.userId] : [];
    }
    const rows = await db
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(
        and(
          eq(users.workspaceId, workspaceId),
          target.kind === 'user' ? eq(users.id, target.userId) : eq(users.role, target.role),
        ),
      );
    return rows.filter((r) => r.deactivatedAt === null).map((r) => r.id);
  }

  /**
   * Statements that page `userIds` at a level of page `pageId`: a push to each live device and a
   * timeline entry per person, only while the page is still open at that level (an
   * acknowledgement that got in first stops them).
   */
  function notifyStatements(
    page: { id: string; workspaceId: string; kind: string; payload: string },
    userIds: string[],
    at: { level: number; round: number },
    t: number,
  ): Stmt[] {
    return [
      outboxStatement(page, userIds, at, `${at.round}:${at.level}`, t),
      ...userIds.map((u) => ({
        sql: `INSERT INTO page_events (id, page_id, at, type, user_id, level, round) SELECT ?, ?, ?, 'notified', ?, ?, ? WHERE ${STILL_OPEN}`,
        args: [newId(), page.id, t, u, at.level, at.round, page.id, at.level, at.round],
      })),
    ];
  }

  /** Queues the page's push for every live device of `userIds` as source `page:suffix`, while the page is open at `at`. */
  function outboxStatement(
    page: { id: string; workspaceId: string; kind: string; payload: string },
    userIds: string[],
    at: { level: number; round: number },
    suffix: string,
    t: number,
    /** Instead of "still open at `at`": a condition of its own (a reassignment's event row). */
    guard?: { sql: string; args: InValue[] },
  ): Stmt {
    const payload = JSON.stringify({ ...JSON.parse(page.payload), pageId: page.id });
    return {
      sql: `INSERT OR IGNORE INTO push_outbox (id, workspace_id, subscription_id, user_id, kind, source_id, payload_json, state, attempts, next_at, created_at)
            SELECT lower(hex(randomblob(12))), s.workspace_id, s.id, s.user_id, ?, ?, ?, 'pending', 0, ?, ?
            FROM push_subscriptions s
            WHERE s.workspace_id = ? AND s.retired_at IS NULL AND s.user_id IN (SELECT value FROM json_each(?))
              AND ${guard?.sql ?? STILL_OPEN}`,
      args: [
        page.kind,
        `${page.id}:${suffix}`,
        payload,
        t,
        t,
        page.workspaceId,
        JSON.stringify(userIds),
        ...(guard?.args ?? [page.id, at.level, at.round]),
      ],
    };
  }

  /**
   * Pages `userIds` at a level: the pushes and timeline, the level's webhooks, then quiet hours'
   * holds for low urgency (people's hours; a webhook's channel has none).
   */
  async function levelStatements(
    page: {
      id: string;
      workspaceId: string;
      pathId: string;
      kind: string;
      title: string;
      payload: string;
      urgency: Urgency;
    },
    userIds: string[],
    at: { level: number; round: number },
    t: number,
  ): Promise<Stmt[]> {
    return [
      ...notifyStatements(page, userIds, at, t),
      webhookOutboxStatement(page, page.pathId, at, t, {
        sql: STILL_OPEN,
        args: [page.id, at.level, at.round],
      }),
      ...(await routing.quietHoldStatements(
        page.workspaceId,
        `${page.id}:${at.round}:${at.level}`,
        userIds,
        page.urgency,
        t,
      )),
    ];
  }

  return {
    /** A schedule of the workspace with its overrides from a day ago on, compiled; null if none. */
    loadSchedule,
    versions,
    cachedAt,
    /** How many schedules were compiled for the who-is-on-call cache so far. */
    compilations: () => compilations,
    ...routing,

    /**
     * Statements that open a page on the workspace's default path and page its first level, to
     * run in the batch that writes what is paged about; null when the workspace has no default
     * path (then everyone who manages is notified, as before paths).
     */
    async pageStatements(req: PageRequest): Promise<Stmt[] | null> {
      const path = await routing.pathFor(req.workspaceId, req.subject, req.t);
      if (!path) return null;
      const levels = path.levels;
      const userIds = await resolveTargets(req.workspaceId, levels[0]!, req.t);
      const id = newId();
      const payload = JSON.stringify(req.payload);
      const urgency = req.subject?.urgency ?? 'high';
      const gate = req.ifAlert
        ? { sql: 'EXISTS (SELECT 1 FROM alerts WHERE id = ?)', args: [req.ifAlert] }
        : req.ifEscalation
          ? { sql: 'EXISTS (SELECT 1 FROM escalations WHERE id = ?)', args: [req.ifEscalation] }
          : { sql: 'true', args: [] };
      return [
        {
          sql: `INSERT INTO pages (id, workspace_id, path_id, kind, source_id, title, payload, level, round, state, urgency, next_at, created_at)
                SELECT ?, ?, ?, ?, ?, ?, ?, 0, 0, 'open', ?, ?, ? WHERE ${gate.sql}
                ON CONFLICT(source_id) DO NOTHING`,
          args: [
            id,
            req.workspaceId,
            path.id,
            req.kind,
            req.sourceId,
            req.title.slice(0, 300),
            payload,
            urgency,
            req.t + levels[0]!.timeoutMinutes * 60_000,
            req.t,
            ...gate.args,
          ],
        },
        ...(await levelStatements(
          {
            id,
            workspaceId: req.workspaceId,
            pathId: path.id,
            kind: req.kind,
            title: req.title.slice(0, 300),
            payload,
            urgency,
          },
          userIds,
          { level: 0, round: 0 },
          req.t,
        )),
      ];
    },

    /**
     * Pages the next level of every open page whose level timed out by `t`. A page is claimed
     * through the database, so of several instances exactly one advances it; an acknowledgement
     * landing meanwhile wins (every write checks the page is still open at that level).
     */
    async advanceDue(t = now()): Promise<number> {
      const instance = newId();
      const claimed = await client.execute({
        sql: `UPDATE pages SET claimed_by = ?, claimed_until = ?
              WHERE id IN (SELECT id FROM pages WHERE state = 'open' AND next_at <= ?
                           AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_at LIMIT 100)
              RETURNING id, workspace_id, path_id, kind, payload, level, round, urgency, title`,
        args: [instance, t + PAGE_CLAIM_TTL_MS, t, t],
      });
      for (const r of claimed.rows) {
        const page = {
          id: r[0] as string,
          workspaceId: r[1] as string,
          pathId: r[2] as string,
          kind: r[3] as string,
          title: r[8] as string,
          payload: r[4] as string,
          urgency: r[7] as Urgency,
        };
        const path = await db.query.escalationPaths.findFirst({
          where: eq(escalationPaths.id, r[2] as string),
        });
        const levels = path ? (JSON.parse(path.levels) as PathLevel[]) : [];
        const at = { level: Number(r[5]), round: Number(r[6]) };
        const step = path ? nextStep(levels.length, path.repeat, at) : null;
        const mine = `id = ? AND claimed_by = ? AND state = 'open' AND level = ? AND round = ?`;
        const where = [page.id, instance, at.level, at.round];
        if (!step) {
          await client.batch(
            [
              {
                sql: `INSERT INTO page_events (id, page_id, at, type) SELECT ?, ?, ?, 'exhausted' WHERE EXISTS (SELECT 1 FROM pages WHERE ${mine})`,
                args: [newId(), page.id, t, ...where],
              },
              {
                sql: `UPDATE pages SET state = 'exhausted', next_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE ${mine}`,
                args: where,
              },
            ],
            'write',
          );
          continue;
        }
        const level = levels[step.level]!;
        const userIds = await resolveTargets(page.workspaceId, level, t);
        await client.batch(
          [
            {
              sql: `UPDATE pages SET level = ?, round = ?, next_at = ?, claimed_by = NULL, claimed_until = NULL WHERE ${mine}`,
              args: [step.level, step.round, t + level.timeoutMinutes * 60_000, ...where],
            },
            ...(await levelStatements(page, userIds, step, t)),
          ],
          'write',
        );
      }
      if (claimed.rows.length > 0) kick(t);
      return claimed.rows.length;
    },

    /** Acknowledges the page about `sourceId` (an alert, an escalation), if one is open: its path stops. */
    async acknowledgeSource(workspaceId: string, sourceId: string, userId: string, t: number) {
      const page = await db.query.pages.findFirst({
        where: and(eq(pages.sourceId, sourceId), eq(pages.workspaceId, workspaceId)),
      });
      return page ? acknowledge(workspaceId, page.id, userId, t) : false;
    },

    acknowledge: (caller: Caller, pageId: string) =>
      acknowledge(caller.workspaceId, pageId, caller.userId, now()),

    /**
     * An acknowledgement from a notification's button: the single-use token stands for the
     * person it was sent to. False when the token is unknown, spent or expired, or the page was
     * answered already.
     */
    async acknowledgeWithToken(token: string): Promise<{ pageId: string } | null> {
      const t = now();
      const [spent] = await db
        .update(pageTokens)
        .set({ usedAt: t })
        .where(
          and(
            eq(pageTokens.tokenHash, sha256(token)),
            isNull(pageTokens.usedAt),
            gt(pageTokens.expiresAt, t),
          ),
        )
        .returning();
      if (!spent) return null;
      const page = await db.query.pages.findFirst({ where: eq(pages.id, spent.pageId) });
      if (!page) return null;
      return (await acknowledge(page.workspaceId, page.id, spent.userId, t))
        ? { pageId: page.id }
        : null;
    },

    async listPages(workspaceId: string): Promise<PageView[]> {
      const rows = await db
        .select({ page: pages, pathName: escalationPaths.name, ackName: users.name })
        .from(pages)
        .innerJoin(escalationPaths, eq(escalationPaths.id, pages.pathId))
        .leftJoin(users, eq(users.id, pages.acknowledgedBy))
        .where(eq(pages.workspaceId, workspaceId))
        .orderBy(desc(pages.createdAt))
        .limit(100);
      return rows.map(({ page: p, pathName, ackName }) => ({
        id: p.id,
        kind: p.kind,
        urgency: p.urgency,
        sourceId: p.sourceId,
        title: p.title,
        pathName,
        level: p.level,
        round: p.round,
        state: p.state,
        nextAt: p.nextAt,
        acknowledgedBy: ackName,
        acknowledgedAt: p.acknowledgedAt,
        createdAt: p.createdAt,
      }));
    },

    /** A page's timeline: who was paged when, on which device and with what result, who acknowledged. */
    async timeline(workspaceId: string, pageId: string): Promise<TimelineEntry[]> {
      const page = await db.query.pages.findFirst({
        where: and(eq(pages.id, pageId), eq(pages.workspaceId, workspaceId)),
      });
      if (!page) throw new OnCallError('NOT_FOUND', 'No such page');
      const events = await db
        .select({ e: pageEvents, name: users.name, by: actor.name })
        .from(pageEvents)
        .leftJoin(users, eq(users.id, pageEvents.userId))
        .leftJoin(actor, eq(actor.id, pageEvents.actorId))
        .where(eq(pageEvents.pageId, pageId))
        .orderBy(asc(pageEvents.at), sql`${pageEvents}.rowid`);
      const pushes = await client.execute({
        sql: `SELECT source_id, user_id, subscription_id, state, done_at, next_at FROM push_outbox WHERE workspace_id = ? AND source_id LIKE ? ESCAPE '\\'`,
        args: [workspaceId, `${pageId.replace(/[%_\\]/g, '\\$&')}:%`],
      });
      // A level's pushes carry `page:round:level`; a reassignment's, `page:r:<event id>`.
      const sourceOf = (e: typeof pageEvents.$inferSelect) =>
        e.type === 'notified'
          ? `${pageId}:${e.round}:${e.level}`
          : e.type === 'reassigned'
            ? `${pageId}:r:${e.id}`
            : null;
      const hooks = await client.execute({
        sql: `SELECT o.source_id, o.created_at, w.name, o.state, o.last_error, o.done_at FROM push_outbox o JOIN oncall_webhooks w ON w.id = o.webhook_id
              WHERE o.workspace_id = ? AND o.source_id LIKE ? ESCAPE '\\' ORDER BY o.created_at`,
        args: [workspaceId, `${pageId.replace(/[%_\\]/g, '\\$&')}:%`],
      });
      const people: TimelineEntry[] = events.map(({ e, name, by }) => ({
        at: e.at,
        type: e.type,
        userName: name,
        byName: by,
        level: e.level,
        round: e.round,
        devices: pushes.rows
          .filter((p) => p[0] === sourceOf(e) && p[1] === e.userId)
          .map((p) => ({
            deviceId: p[2] as string,
            state: p[3] as string,
            doneAt: p[4] === null ? null : Number(p[4]),
            nextAt: Number(p[5]),
          })),
        webhook: null,
      }));
      const webhooks: TimelineEntry[] = hooks.rows.map((h) => {
        const [, round, level] = (h[0] as string).split(':');
        return {
          at: Number(h[1]),
          type: 'webhook',
          userName: null,
          byName: null,
          level: Number(level),
          round: Number(round),
          devices: [],
          webhook: {
            name: h[2] as string,
            state: h[3] as string,
            error: h[4] as string | null,
            doneAt: h[5] === null ? null : Number(h[5]),
          },
        };
      });
      // Stable: a level's webhooks come after the people notified at the same instant.
      return [...people, ...webhooks].sort((a, b) => a.at - b.at);
    },

    /**
     * Resolves an open or acknowledged page: the matter is dealt with, nothing more pages. An SLA
     * alert's page resolved acknowledges the alert too.
     */
    async resolve(caller: Caller, pageId: string): Promise<boolean> {
      const t = now();
      const [done] = await db
        .update(pages)
        .set({ state: 'resolved', nextAt: null })
        .where(
          and(
            eq(pages.id, pageId),
            eq(pages.workspaceId, caller.workspaceId),
            inArray(pages.state, ['open', 'acknowledged']),
          ),
        )
        .returning({ kind: pages.kind, sourceId: pages.sourceId });
      if (!done) return false;
      await client.batch(
        [
          {
            sql: `INSERT INTO page_events (id, page_id, at, type, user_id) VALUES (?, ?, ?, 'resolved', ?)`,
            args: [newId(), pageId, t, caller.userId],
          },
          ...alertAckStatements(done, caller.workspaceId, caller.userId, t),
        ],
        'write',
      );
      return true;
    },

    /**
     * Hands an open or acknowledged page to `userId` (of the caller's workspace): the page opens
     * again at its level, that person is paged now and has the level's timeout to acknowledge
     * before the path goes on.
     */
    async reassign(caller: Caller, pageId: string, userId: string): Promise<boolean> {
      const t = now();
      const page = await db.query.pages.findFirst({
        where: and(eq(pages.id, pageId), eq(pages.workspaceId, caller.workspaceId)),
      });
      if (!page || (page.state !== 'open' && page.state !== 'acknowledged')) return false;
      const to = await db.query.users.findFirst({
        where: and(eq(users.id, userId), eq(users.workspaceId, caller.workspaceId)),
      });
      if (!to || to.deactivatedAt !== null)
        throw new OnCallError('BAD_REQUEST', 'Reassign to an active person of your workspace');
      const path = await db.query.escalationPaths.findFirst({
        where: eq(escalationPaths.id, page.pathId),
      });
      const level = path ? (JSON.parse(path.levels) as PathLevel[])[page.level] : undefined;
      const at = { level: page.level, round: page.round };
      const eventId = newId();
      const rs = await client.batch(
        [
          {
            sql: `UPDATE pages SET state = 'open', acknowledged_by = NULL, acknowledged_at = NULL, next_at = ?, claimed_by = NULL, claimed_until = NULL
                  WHERE id = ? AND state = ? AND level = ? AND round = ?`,
            args: [
              t + (level?.timeoutMinutes ?? 15) * 60_000,
              page.id,
              page.state,
              page.level,
              page.round,
            ],
          },
          {
            sql: `INSERT INTO page_events (id, page_id, at, type, user_id, actor_id, level, round) SELECT ?, ?, ?, 'reassigned', ?, ?, ?, ? WHERE changes() = 1`,
            args: [eventId, page.id, t, userId, caller.userId, page.level, page.round],
          },
          outboxStatement(page, [userId], at, `r:${eventId}`, t, {
            sql: 'EXISTS (SELECT 1 FROM page_events WHERE id = ?)',
            args: [eventId],
          }),
          ...(await routing.quietHoldStatements(
            page.workspaceId,
            `${page.id}:r:${eventId}`,
            [userId],
            page.urgency,
            t,
          )),
        ],
        'write',
      );
      if (rs[0]!.rowsAffected === 0) return false;
      kick(t);
      return true;
    },

    async listSchedules(workspaceId: string, t = now()): Promise<ScheduleView[]> {
      const names = await userNames(workspaceId);
      const out: ScheduleView[] = [];
      for (const v of await versions(workspaceId)) {
        const got = await cachedAt(workspaceId, v.id, v.version, t);
        if (!got) continue;
        const [current, following] = nextShifts(got.compiled, t, { limit: 2 });
        const onNow = current && current.start <= t ? current : undefined;
        const spec = got.compiled.schedule;
        out.push({
          id: v.id,
          name: v.name,
          timeZone: spec.timeZone,
          layers: spec.layers,
          now: view(onNow, names),
          next: view(onNow ? following : current, names),
        });
      }
      return out;
    },

    /** The caller's shifts over the next four weeks, across every schedule of the workspace. */
    async myShifts(caller: Caller, t = now()) {
      const rows = await db
        .select({ id: oncallSchedules.id })
        .from(oncallSchedules)
        .where(eq(oncallSchedules.workspaceId, caller.workspaceId));
      const names = await userNames(caller.workspaceId);
      const out: (ShiftView & { scheduleId: string; scheduleName: string })[] = [];
      for (const { id } of rows) {
        const s = (await loadSchedule(caller.workspaceId, id))!;
        for (const shift of nextShifts(s.compiled, t, { userId: caller.userId, limit: 10 }))
          out.push({ ...view(shift, names)!, scheduleId: id, scheduleName: s.row.name });
      }
      return out.sort((a, b) => a.start - b.start).slice(0, 20);
    },

    async saveSchedule(caller: Caller, input: z.output<typeof scheduleInput>) {
      await requireWorkspaceUsers(
        caller.workspaceId,
        input.layers.flatMap((l) => l.participants),
      );
      const spec = JSON.stringify({ timeZone: input.timeZone, layers: input.layers });
      const t = now();
      if (input.id) {
        const updated = await db
          .update(oncallSchedules)
          .set({ name: input.name, spec, updatedAt: t })
          .where(
            and(
              eq(oncallSchedules.id, input.id),
              eq(oncallSchedules.workspaceId, caller.workspaceId),
            ),
          )
          .returning({ id: oncallSchedules.id });
        if (updated.length === 0) throw new OnCallError('NOT_FOUND', 'No such schedule');
        return { id: input.id };
      }
      const id = newId();
      await db.insert(oncallSchedules).values({
        id,
        workspaceId: caller.workspaceId,
        name: input.name,
        spec,
        createdAt: t,
        updatedAt: t,
      });
      return { id };
    },

    /**
     * Takes or covers a shift: anyone may put themselves on call; a manager or admin may put
     * anyone of the workspace on call.
     */
    async addOverride(caller: Caller, input: z.output<typeof overrideInput>) {
      const userId = input.userId ?? caller.userId;
      if (userId !== caller.userId && caller.role === 'agent')
        throw new OnCallError('FORBIDDEN', 'Only managers and admins put someone else on call');
      const s = await loadSchedule(caller.workspaceId, input.scheduleId);
      if (!s) throw new OnCallError('NOT_FOUND', 'No such schedule');
      await requireWorkspaceUsers(caller.workspaceId, [userId]);
      const id = newId();
      await db.insert(oncallOverrides).values({
        id,
        workspaceId: caller.workspaceId,
        scheduleId: input.scheduleId,
        userId,
        startAt: input.start,
        endAt: input.end,
        createdBy: caller.userId,
        createdAt: now(),
      });
      return { id };
    },

    async savePath(
      caller: Caller,
      input: Omit<z.output<typeof escalationPathInput>, 'conditions'> & {
        conditions?: PathConditions;
      },
    ) {
      const userTargets = input.levels.flatMap((l) =>
        l.targets.flatMap((x) => (x.kind === 'user' ? [x.userId] : [])),
      );
      await requireWorkspaceUsers(caller.workspaceId, userTargets);
      for (const l of input.levels)
        for (const x of l.targets)
          if (x.kind === 'schedule' && !(await loadSchedule(caller.workspaceId, x.scheduleId)))
            throw new OnCallError(
              'BAD_REQUEST',
              'A level pages a schedule that is not in your workspace',
            );
      const t = now();
      const id = input.id ?? newId();
      const values = {
        name: input.name,
        levels: JSON.stringify(input.levels),
        repeat: input.repeat,
        isDefault: input.isDefault,
        conditions: JSON.stringify(input.conditions ?? {}),
        updatedAt: t,
      };
      if (input.id) {
        const found = await db.query.escalationPaths.findFirst({
          where: and(
            eq(escalationPaths.id, id),
            eq(escalationPaths.workspaceId, caller.workspaceId),
          ),
        });
        if (!found) throw new OnCallError('NOT_FOUND', 'No such path');
      }
      await db.transaction(async (tx) => {
        // One default per workspace: making this one the default takes it from the others.
        if (input.isDefault)
          await tx
            .update(escalationPaths)
            .set({ isDefault: false })
            .where(
              and(eq(escalationPaths.workspaceId, caller.workspaceId), ne(escalationPaths.id, id)),
            );
        if (input.id)
          await tx.update(escalationPaths).set(values).where(eq(escalationPaths.id, id));
        else
          await tx
            .insert(escalationPaths)
            .values({ id, workspaceId: caller.workspaceId, createdAt: t, ...values });
      });
      return { id };
    },

    async listPaths(workspaceId: string) {
      const rows = await db
        .select()
        .from(escalationPaths)
        .where(eq(escalationPaths.workspaceId, workspaceId))
        .orderBy(asc(escalationPaths.name));
      return rows.map((p) => ({
        id: p.id,
        name: p.name,
        levels: JSON.parse(p.levels) as PathLevel[],
        repeat: p.repeat,
        isDefault: p.isDefault,
        conditions: JSON.parse(p.conditions) as PathConditions,
      }));
    },
  };

  async function acknowledge(workspaceId: string, pageId: string, userId: string, t: number) {
    const [done] = await db
      .update(pages)
      .set({ state: 'acknowledged', acknowledgedBy: userId, acknowledgedAt: t, nextAt: null })
      .where(and(eq(pages.id, pageId), eq(pages.workspaceId, workspaceId), eq(pages.state, 'open')))
      .returning({ kind: pages.kind, sourceId: pages.sourceId });
    if (!done) return false;
    await client.batch(
      [
        {
          sql: `INSERT INTO page_events (id, page_id, at, type, user_id) VALUES (?, ?, ?, 'acknowledged', ?)`,
          args: [newId(), pageId, t, userId],
        },
        ...alertAckStatements(done, workspaceId, userId, t),
      ],
      'write',
    );
    return true;
  }
}
export type OnCallService = ReturnType<typeof createOnCall>;

/** Acknowledging (or resolving) the page of an SLA alert acknowledges the alert (and the other way round). */
function alertAckStatements(
  page: { kind: string; sourceId: string },
  workspaceId: string,
  userId: string,
  t: number,
): Stmt[] {
  return page.kind === 'sla_alert'
    ? [
        {
          sql: 'UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND workspace_id = ? AND acknowledged_at IS NULL',
          args: [userId, t, page.sourceId, workspaceId],
        },
      ]
    : [];
}
