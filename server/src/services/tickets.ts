import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ParsedCalendarSpec, SlaState, TargetState, TicketSnapshot } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import {
  extensionTokens,
  ticketEvents,
  ticketObservations,
  ticketSla,
  ticketSources,
  tickets,
  users,
} from '../db/schema.js';
import type { Sla } from './sla.js';
import {
  disagreement,
  emptyLog,
  mergeView,
  observationsOf,
  replay,
  type Observation,
} from './sources.js';

type TicketRow = typeof tickets.$inferSelect;

/** How far a tool's clock may run ahead of ours, and how far apart two views of one instant may read. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * How long before the ticket's creation a message may be dated: an e-mail is dated when it was
 * sent, and a tool that fetches mail every few minutes creates the ticket later. Short of an
 * hour, so a time read in the wrong zone (a whole number of hours off) is still refused.
 */
export const BEFORE_CREATION_MS = 30 * 60_000;

/** An observation whose times cannot be right: refused whole, so nothing wrong is stored. */
export class ObservationError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

const hoursOff = (ms: number) => {
  const h = Math.abs(ms) / 3_600_000;
  return h >= 1 ? `${Math.round(h * 4) / 4} h` : `${Math.round(Math.abs(ms) / 60_000)} min`;
};
const CHECK_ZONE = "check the tool's time zone and date format in the adapter settings";

/**
 * Refuses the times of a page that cannot be right: a creation or an event in the future (beyond
 * the clock skew allowed), a message well before the ticket was created (an e-mail may be dated
 * a little earlier), or a status change before it (beyond the clock skew: no ticket, no status).
 */
export function checkObservedTimes(snap: TicketSnapshot, now: number): ObservationError | null {
  const createdAt = Date.parse(snap.createdAt);
  if (createdAt > now + CLOCK_SKEW_MS)
    return new ObservationError(
      'BAD_REQUEST',
      `The page shows the ticket created ${hoursOff(createdAt - now)} in the future: ${CHECK_ZONE}. Nothing was stored.`,
    );
  const events = [
    ...snap.messages.map((m) => ({
      what: 'a message',
      at: Date.parse(m.at),
      before: BEFORE_CREATION_MS,
    })),
    ...snap.statusChanges.map((c) => ({
      what: 'a status change',
      at: Date.parse(c.at),
      before: CLOCK_SKEW_MS,
    })),
    ...snap.priorityChanges.map((c) => ({
      what: 'a priority change',
      at: Date.parse(c.at),
      before: CLOCK_SKEW_MS,
    })),
  ];
  for (const e of events) {
    if (e.at > now + CLOCK_SKEW_MS)
      return new ObservationError(
        'BAD_REQUEST',
        `The page shows ${e.what} ${hoursOff(e.at - now)} in the future: ${CHECK_ZONE}. Nothing was stored.`,
      );
    if (e.at < createdAt - e.before)
      return new ObservationError(
        'BAD_REQUEST',
        `The page shows ${e.what} ${hoursOff(createdAt - e.at)} before the ticket was created: ${CHECK_ZONE}. Nothing was stored.`,
      );
  }
  return null;
}

/**
 * From when a ticket's status is known after this observation (null: since creation). A page
 * whose status history goes back to creation makes it known since creation; one that shows some
 * history makes it known from its oldest change; a page with none, from the first sight of a
 * ticket that is no longer new.
 */
export function statusKnownFrom(
  snap: TicketSnapshot,
  known: { firstSeen: boolean; from: number | null },
  now: number,
): number | null {
  const createdAt = Date.parse(snap.createdAt);
  if (snap.statusHistoryComplete ?? snap.statusChanges.length > 0) return null;
  const oldest = Math.min(...snap.statusChanges.map((c) => Date.parse(c.at)));
  let from = known.firstSeen
    ? snap.statusCategory === 'new' && !snap.statusChanges.length
      ? null
      : now
    : known.from;
  if (from !== null && oldest < from) from = oldest;
  return from !== null && from > createdAt ? from : null;
}

export interface TicketView {
  id: string;
  source: string;
  externalId: string;
  url: string;
  subject: string;
  status: string;
  category: string;
  priority: string;
  requester: string;
  createdAt: number;
}

export interface TicketWithSla {
  ticket: TicketView;
  sla: SlaState;
  /** The business calendar of the ticket's policy (null: 24x7), so the overlay ticks in business time. */
  calendar: ParsedCalendarSpec | null;
  policy: string;
  /**
   * Set when this view was kept apart instead of merged (its times disagree with the others',
   * or an admin set its browser aside): why, for the agent; the state is the others' views'.
   */
  conflict?: string;
}

/** A list row's SLA at a glance: the clock that matters most for the ticket now. */
export interface TicketBadge {
  externalId: string;
  ticketId: string;
  metric: TargetState['metric'];
  status: TargetState['status'];
  breached: boolean;
  clock: TargetState['clock'];
  /** When the clock is due (null while paused before a breach). */
  dueAt: number | null;
  /** As of `computedAt`; for a paused clock, what is left when it resumes. */
  remainingMs: number;
  targetMs: number;
  computedAt: number;
  /** The clock stopped before the ticket was first seen, at a time no page showed. */
  outcomeUnknown?: true;
}

/** The running clock due first (a breached one first of all), else a paused one, else the last stopped one. */
export function badgeTarget(targets: TargetState[]): TargetState | null {
  const live = targets.filter((t) => t.stoppedAt === null);
  const byDue = (a: TargetState, b: TargetState) =>
    (a.dueAt ?? Number.POSITIVE_INFINITY) - (b.dueAt ?? Number.POSITIVE_INFINITY);
  return (
    live.filter((t) => t.status !== 'paused').sort(byDue)[0] ??
    live.sort((a, b) => a.remainingMs - b.remainingMs)[0] ??
    targets.find((t) => t.breached) ??
    targets.at(-1) ??
    null
  );
}

const toView = (t: TicketRow): TicketView => ({
  id: t.id,
  source: t.source,
  externalId: t.externalId,
  url: t.url,
  subject: t.subject,
  status: t.status,
  category: t.category,
  priority: t.priority,
  requester: t.requester,
  createdAt: t.createdAt,
});

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Who reported a view: a paired extension (its token), a signed-in session (its user), or the server itself. */
export interface SourceRef {
  key: string;
  userId: string | null;
  tokenId: string | null;
}
/** Views recorded by the server's own code (the demo seed, tests that call the service). */
export const SERVER_SOURCE: SourceRef = { key: 'server', userId: null, tokenId: null };

/** Keeps a view as its source saw it, and the source's bookkeeping (and its flag, when its times disagreed). */
async function recordView(
  tx: Tx,
  v: {
    workspaceId: string;
    ticketId: string;
    source: SourceRef;
    t: number;
    view: Observation[];
    seen: { category: string; priority: string };
    conflict: string | null;
  },
) {
  await tx
    .insert(ticketSources)
    .values({
      ticketId: v.ticketId,
      workspaceId: v.workspaceId,
      sourceKey: v.source.key,
      userId: v.source.userId,
      tokenId: v.source.tokenId,
      firstSeenAt: v.t,
      lastSeenAt: v.t,
      lastCategory: v.seen.category,
      lastPriority: v.seen.priority,
      conflict: v.conflict,
      conflictAt: v.conflict ? v.t : null,
    })
    .onConflictDoUpdate({
      target: [ticketSources.ticketId, ticketSources.sourceKey],
      set: {
        lastSeenAt: v.t,
        lastCategory: v.seen.category,
        lastPriority: v.seen.priority,
        ...(v.conflict ? { conflict: v.conflict, conflictAt: v.t } : {}),
      },
    });
  if (v.view.length)
    await tx
      .insert(ticketObservations)
      .values(
        v.view.map((o) => ({
          ticketId: v.ticketId,
          workspaceId: v.workspaceId,
          sourceKey: v.source.key,
          type: o.type,
          at: o.at,
          data: JSON.stringify(o.data),
          dedupeKey: o.dedupeKey,
          recordedAt: v.t,
        })),
      )
      .onConflictDoNothing();
}

/** One source of a ticket, for an admin: who, when, whether its views are flagged or set aside, and what it saw. */
export interface TicketSourceView {
  sourceKey: string;
  /** The person (and the paired browser) behind it; `legacy` for views from before sources were kept. */
  user: string | null;
  device: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  conflict: string | null;
  conflictAt: number | null;
  excludedAt: number | null;
  observations: {
    type: Observation['type'];
    at: number;
    data: Record<string, unknown>;
    dedupeKey: string;
    recordedAt: number;
    /** This reading is the one in the ticket's log. */
    inLog: boolean;
  }[];
}

/** Most observations listed per source; the oldest are left out beyond it. */
const SOURCE_LIST_LIMIT = 500;

export function createTickets(db: Db, now: () => number, sla: Sla) {
  const view = (
    t: TicketRow,
    e: { state: SlaState; spec: ParsedCalendarSpec | null; policyName: string },
  ): TicketWithSla => ({
    ticket: toView(t),
    sla: e.state,
    calendar: e.spec,
    policy: e.policyName,
  });

  return {
    /**
     * Records what a page showed, as seen by `source`. The event log only grows by what changed
     * since the last observation, so reporting the same page twice writes nothing new. A view
     * whose times disagree with the log's is kept apart, its source flagged for an admin, and
     * answered with the others' state and why (`conflict`); so are views from a source an admin
     * set aside for this ticket.
     */
    async observe(
      workspaceId: string,
      snap: TicketSnapshot,
      source: SourceRef = SERVER_SOURCE,
    ): Promise<TicketWithSla> {
      const t = now();
      const invalid = checkObservedTimes(snap, t);
      if (invalid) throw invalid;
      const outcome = await db.transaction(async (tx) => {
        const fields = {
          url: snap.url,
          subject: snap.subject,
          status: snap.status,
          category: snap.statusCategory,
          priority: snap.priority,
          requester: snap.requester,
          requesterOrg: snap.requesterOrg,
          tags: JSON.stringify(snap.tags),
          lastSeenAt: t,
        };
        const existing = await tx.query.tickets.findFirst({
          where: and(
            eq(tickets.workspaceId, workspaceId),
            eq(tickets.source, snap.source),
            eq(tickets.externalId, snap.externalId),
          ),
        });
        const knownFrom = statusKnownFrom(
          snap,
          { firstSeen: !existing, from: existing?.statusKnownFrom ?? null },
          t,
        );
        const observed = observationsOf(snap, t);
        const log = emptyLog();
        let ticketId: string;
        if (existing) {
          ticketId = existing.id;
          log.createdAt = existing.createdAt;
          log.category = existing.category;
          log.priority = existing.priority;
          const keys = [...observed.map((o) => o.dedupeKey), `status@${t}`, `priority@${t}`];
          for (const e of await tx
            .select({ key: ticketEvents.dedupeKey, at: ticketEvents.at })
            .from(ticketEvents)
            .where(and(eq(ticketEvents.ticketId, ticketId), inArray(ticketEvents.dedupeKey, keys))))
            log.at.set(e.key, e.at);
        } else {
          ticketId = newId();
          await tx.insert(tickets).values({
            id: ticketId,
            workspaceId,
            source: snap.source,
            externalId: snap.externalId,
            createdAt: Date.parse(snap.createdAt),
            firstSeenAt: t,
            statusKnownFrom: knownFrom,
            ...fields,
          });
        }
        const prior = existing
          ? await tx.query.ticketSources.findFirst({
              where: and(
                eq(ticketSources.ticketId, ticketId),
                eq(ticketSources.sourceKey, source.key),
              ),
            })
          : undefined;
        const setAside = prior?.excludedAt
          ? 'An admin set the views of this browser aside for this ticket'
          : (prior?.conflict ?? null);
        const conflict = setAside ? null : disagreement(log, observed);
        const events = setAside || conflict ? [] : mergeView(log, observed);
        // A view's status and priority are kept when they change what this source or the log said.
        const seenChanged =
          events.some((e) => e.type === 'status' || e.type === 'priority') ||
          prior?.lastCategory !== snap.statusCategory ||
          prior?.lastPriority !== snap.priority;
        await recordView(tx, {
          workspaceId,
          ticketId,
          source,
          t,
          view: observed.filter((o) => o.type !== 'seen' || seenChanged),
          seen: { category: snap.statusCategory, priority: snap.priority },
          conflict,
        });
        // (A first view of a ticket has nothing to disagree with, so `existing` is there.)
        const why = setAside ?? conflict;
        if (why && existing) return { keptApart: existing, why };
        if (existing)
          await tx
            .update(tickets)
            .set({ ...fields, statusKnownFrom: knownFrom })
            .where(eq(tickets.id, ticketId));
        if (events.length > 0) {
          await tx
            .insert(ticketEvents)
            .values(
              events.map((e) => ({
                id: newId(),
                ticketId,
                workspaceId,
                type: e.type,
                at: e.at,
                data: JSON.stringify(e.data),
                dedupeKey: e.dedupeKey,
                recordedAt: t,
              })),
            )
            .onConflictDoNothing();
        }
        return { row: (await tx.query.tickets.findFirst({ where: eq(tickets.id, ticketId) }))! };
      });
      // Kept apart, not refused: the source is flagged for an admin (a write), and the agent sees
      // why, with the state the other views make.
      if (outcome.keptApart) {
        const row = outcome.keptApart;
        return {
          ...view(row, await sla.stateOf(row)),
          conflict: `${outcome.why}; ${CHECK_ZONE}. This view was kept apart for an admin to review; the timers shown come from the other views.`,
        };
      }
      const row = outcome.row;
      // Store the state and its next instant, and answer with that same computation.
      return view(row, (await sla.recompute([row], { at: t })).get(row.id)!);
    },

    /**
     * Badges for the rows of a tool's ticket list: the stored SLA state of each ticket the
     * workspace has seen (tickets never opened with the extension have none). No recomputation:
     * the stored due instants stay right until something changes, and changes recompute them.
     */
    async badges(
      workspaceId: string,
      source: string,
      externalIds: string[],
    ): Promise<TicketBadge[]> {
      if (externalIds.length === 0) return [];
      const rows = await db
        .select({
          externalId: tickets.externalId,
          ticketId: tickets.id,
          stateJson: ticketSla.stateJson,
        })
        .from(tickets)
        .innerJoin(ticketSla, eq(ticketSla.ticketId, tickets.id))
        .where(
          and(
            eq(tickets.workspaceId, workspaceId),
            eq(tickets.source, source),
            inArray(tickets.externalId, externalIds),
          ),
        );
      return rows.flatMap((r) => {
        const state = JSON.parse(r.stateJson) as SlaState;
        const t = badgeTarget(state.targets);
        if (!t) return [];
        return [
          {
            externalId: r.externalId,
            ticketId: r.ticketId,
            metric: t.metric,
            status: t.status,
            breached: t.breached,
            clock: t.clock,
            dueAt: t.dueAt,
            remainingMs: t.remainingMs,
            targetMs: t.targetMs,
            computedAt: state.computedAt,
            ...(t.outcomeUnknown ? { outcomeUnknown: true as const } : {}),
          },
        ];
      });
    },

    /** A ticket of the workspace with its SLA state now; with `explain`, the segments behind each clock. */
    async get(
      workspaceId: string,
      ticketId: string,
      opts: { explain?: boolean } = {},
    ): Promise<TicketWithSla | null> {
      const row = await db.query.tickets.findFirst({
        where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
      });
      return row ? view(row, await sla.stateOf(row, opts)) : null;
    },

    /** A ticket's sources with what each saw (newest first), or null when the workspace has no such ticket. */
    async sources(workspaceId: string, ticketId: string): Promise<TicketSourceView[] | null> {
      const row = await db.query.tickets.findFirst({
        where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
        columns: { id: true },
      });
      if (!row) return null;
      const [list, inLog] = await Promise.all([
        db
          .select({
            src: ticketSources,
            user: users.name,
            device: extensionTokens.deviceName,
          })
          .from(ticketSources)
          .leftJoin(users, eq(users.id, ticketSources.userId))
          .leftJoin(extensionTokens, eq(extensionTokens.id, ticketSources.tokenId))
          .where(
            and(eq(ticketSources.ticketId, ticketId), eq(ticketSources.workspaceId, workspaceId)),
          )
          .orderBy(asc(ticketSources.firstSeenAt), asc(sql`${ticketSources}.rowid`)),
        db
          .select({ key: ticketEvents.dedupeKey, at: ticketEvents.at })
          .from(ticketEvents)
          .where(eq(ticketEvents.ticketId, ticketId)),
      ]);
      const logAt = new Map(inLog.map((e) => [e.key, e.at]));
      const out: TicketSourceView[] = [];
      for (const { src, user, device } of list) {
        const obs = await db
          .select()
          .from(ticketObservations)
          .where(
            and(
              eq(ticketObservations.ticketId, ticketId),
              eq(ticketObservations.sourceKey, src.sourceKey),
            ),
          )
          .orderBy(desc(ticketObservations.recordedAt), desc(ticketObservations.at))
          .limit(SOURCE_LIST_LIMIT);
        out.push({
          sourceKey: src.sourceKey,
          user,
          device,
          firstSeenAt: src.firstSeenAt,
          lastSeenAt: src.lastSeenAt,
          conflict: src.conflict,
          conflictAt: src.conflictAt,
          excludedAt: src.excludedAt,
          observations: obs.map((o) => ({
            type: o.type,
            at: o.at,
            data: JSON.parse(o.data) as Record<string, unknown>,
            dedupeKey: o.dedupeKey,
            recordedAt: o.recordedAt,
            inLog: o.type !== 'seen' && logAt.get(o.dedupeKey) === o.at,
          })),
        });
      }
      return out;
    },

    /**
     * Sets one source's views of a ticket aside and re-derives the ticket (its creation, status,
     * priority, event log and SLA state) from the views of the others, replayed in the order
     * they came; sources that still disagree with the rest stay flagged, those that now agree
     * are merged. Null when the workspace has no such ticket or source.
     */
    async recomputeWithout(
      workspaceId: string,
      ticketId: string,
      sourceKey: string,
      by: string,
    ): Promise<TicketWithSla | null> {
      const t = now();
      const row = await db.transaction(async (tx) => {
        const ticket = await tx.query.tickets.findFirst({
          where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
        });
        const src =
          ticket &&
          (await tx.query.ticketSources.findFirst({
            where: and(
              eq(ticketSources.ticketId, ticketId),
              eq(ticketSources.sourceKey, sourceKey),
            ),
          }));
        if (!ticket || !src) return null;
        await tx
          .update(ticketSources)
          .set({ excludedAt: src.excludedAt ?? t, excludedBy: src.excludedBy ?? by })
          .where(and(eq(ticketSources.ticketId, ticketId), eq(ticketSources.sourceKey, sourceKey)));
        const kept = await tx
          // The rowid keeps the order views were stored in, even within one millisecond.
          .select({ o: ticketObservations, seq: sql<number>`${ticketObservations}.rowid` })
          .from(ticketObservations)
          .innerJoin(
            ticketSources,
            and(
              eq(ticketSources.ticketId, ticketObservations.ticketId),
              eq(ticketSources.sourceKey, ticketObservations.sourceKey),
            ),
          )
          .where(and(eq(ticketObservations.ticketId, ticketId), isNull(ticketSources.excludedAt)));
        const { log, events, flagged } = replay(
          kept.map(({ o, seq }) => ({
            seq,
            sourceKey: o.sourceKey,
            type: o.type,
            at: o.at,
            data: JSON.parse(o.data) as Record<string, unknown>,
            dedupeKey: o.dedupeKey,
            recordedAt: o.recordedAt,
          })),
        );
        if (log.createdAt === null)
          throw new ObservationError(
            'BAD_REQUEST',
            'No other source saw this ticket: it cannot be recomputed without this one.',
          );
        await tx.delete(ticketEvents).where(eq(ticketEvents.ticketId, ticketId));
        if (events.length)
          await tx.insert(ticketEvents).values(
            events.map((e) => ({
              id: newId(),
              ticketId,
              workspaceId,
              type: e.type,
              at: e.at,
              data: JSON.stringify(e.data),
              dedupeKey: e.dedupeKey,
              recordedAt: e.recordedAt,
            })),
          );
        for (const s of await tx
          .select({ key: ticketSources.sourceKey })
          .from(ticketSources)
          .where(and(eq(ticketSources.ticketId, ticketId), isNull(ticketSources.excludedAt)))) {
          const f = flagged.get(s.key);
          await tx
            .update(ticketSources)
            .set({ conflict: f?.conflict ?? null, conflictAt: f?.at ?? null })
            .where(and(eq(ticketSources.ticketId, ticketId), eq(ticketSources.sourceKey, s.key)));
        }
        await tx
          .update(tickets)
          .set({
            createdAt: log.createdAt,
            ...(log.category ? { category: log.category as TicketRow['category'] } : {}),
            ...(log.priority ? { priority: log.priority } : {}),
          })
          .where(eq(tickets.id, ticketId));
        return (await tx.query.tickets.findFirst({ where: eq(tickets.id, ticketId) }))!;
      });
      if (!row) return null;
      return view(row, (await sla.recompute([row], { at: t })).get(row.id)!);
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
