import { and, eq, inArray } from 'drizzle-orm';
import type {
  ParsedCalendarSpec,
  SlaState,
  TargetState,
  TicketEvent,
  TicketSnapshot,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { ticketEvents, ticketSla, tickets } from '../db/schema.js';
import type { Sla } from './sla.js';

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
 * Refuses a page whose creation time differs from the one already recorded for the ticket: a
 * browser reading the tool's wall times in another zone shifts them all alike.
 */
export function checkRecordedCreation(
  snap: TicketSnapshot,
  recordedCreatedAt: number,
): ObservationError | null {
  const createdAt = Date.parse(snap.createdAt);
  if (Math.abs(createdAt - recordedCreatedAt) <= CLOCK_SKEW_MS) return null;
  return new ObservationError(
    'CONFLICT',
    `Times off by ${hoursOff(createdAt - recordedCreatedAt)}: this page shows the ticket created at ${snap.createdAt}, but it was recorded as created at ${new Date(recordedCreatedAt).toISOString()}; ${CHECK_ZONE}. Nothing was stored.`,
  );
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
     * Records what a page showed. The event log only grows by what changed since the last
     * observation, so reporting the same page twice writes nothing new.
     */
    async observe(workspaceId: string, snap: TicketSnapshot): Promise<TicketWithSla> {
      const t = now();
      const createdAt = Date.parse(snap.createdAt);
      const invalid = checkObservedTimes(snap, t);
      if (invalid) throw invalid;
      const row = await db.transaction(async (tx) => {
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
        if (existing) {
          const conflict = checkRecordedCreation(snap, existing.createdAt);
          if (conflict) throw conflict;
        }
        const events: { type: TicketEvent['type']; at: number; data: object; dedupeKey: string }[] =
          [];
        let ticketId: string;
        if (!existing) {
          ticketId = newId();
          await tx.insert(tickets).values({
            id: ticketId,
            workspaceId,
            source: snap.source,
            externalId: snap.externalId,
            createdAt,
            firstSeenAt: t,
            ...fields,
          });
          events.push({ type: 'created', at: createdAt, data: {}, dedupeKey: 'created' });
          // The priority a ticket is first seen with is taken as its priority since creation;
          // its status is known only from now on (a page shows no history).
          events.push({
            type: 'priority',
            at: createdAt,
            data: { priority: snap.priority },
            dedupeKey: `priority@${createdAt}`,
          });
          if (snap.statusChanges.length === 0 && snap.statusCategory !== 'new') {
            events.push({
              type: 'status',
              at: t,
              data: { category: snap.statusCategory },
              dedupeKey: `status@${t}`,
            });
          }
        } else {
          ticketId = existing.id;
          await tx.update(tickets).set(fields).where(eq(tickets.id, ticketId));
          if (snap.statusChanges.length === 0 && existing.category !== snap.statusCategory) {
            events.push({
              type: 'status',
              at: t,
              data: { category: snap.statusCategory },
              dedupeKey: `status@${t}`,
            });
          }
          if (existing.priority !== snap.priority) {
            events.push({
              type: 'priority',
              at: t,
              data: { priority: snap.priority },
              dedupeKey: `priority@${t}`,
            });
          }
        }
        // A page that shows its status history gives the real times of each change.
        for (const c of snap.statusChanges) {
          const at = Math.max(Date.parse(c.at), createdAt);
          events.push({
            type: 'status',
            at,
            data: { category: c.statusCategory },
            dedupeKey: c.externalId
              ? `history:${c.externalId}`
              : `history@${at}:${c.statusCategory}`,
          });
        }
        for (const m of snap.messages) {
          const at = Date.parse(m.at);
          const key = m.externalId
            ? `msg:${m.externalId}`
            : `msg:${m.author}:${m.public ? 'pub' : 'int'}:${at}`;
          events.push({
            type: 'message',
            at,
            data: { author: m.author, public: m.public },
            dedupeKey: key,
          });
        }
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
        return (await tx.query.tickets.findFirst({ where: eq(tickets.id, ticketId) }))!;
      });
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
  };
}
export type Tickets = ReturnType<typeof createTickets>;
