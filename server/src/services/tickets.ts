import { createHash } from 'node:crypto';
import type { Row } from '@libsql/client';
import type {
  ParsedCalendarSpec,
  SlaState,
  TargetState,
  TicketEvent,
  TicketSnapshot,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { HotDb, Stmt } from '../db/hot.js';
import {
  eventFromRow,
  slaTicketFromRow,
  stateRow,
  STATE_UPSERT,
  SLA_EVENT_COLUMNS,
  type Evaluation,
  type Sla,
  type SlaTicket,
  type WorkspaceConfig,
} from './sla.js';

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
 * the clock skew allowed), or an event well before the ticket was created.
 */
export function checkObservedTimes(snap: TicketSnapshot, now: number): ObservationError | null {
  const createdAt = Date.parse(snap.createdAt);
  if (createdAt > now + CLOCK_SKEW_MS)
    return new ObservationError(
      'BAD_REQUEST',
      `The page shows the ticket created ${hoursOff(createdAt - now)} in the future: ${CHECK_ZONE}. Nothing was stored.`,
    );
  const events = [
    ...snap.messages.map((m) => ({ what: 'a message', at: Date.parse(m.at) })),
    ...snap.statusChanges.map((c) => ({ what: 'a status change', at: Date.parse(c.at) })),
  ];
  for (const e of events) {
    if (e.at > now + CLOCK_SKEW_MS)
      return new ObservationError(
        'BAD_REQUEST',
        `The page shows ${e.what} ${hoursOff(e.at - now)} in the future: ${CHECK_ZONE}. Nothing was stored.`,
      );
    if (e.at < createdAt - BEFORE_CREATION_MS)
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

/**
 * The columns of a ticket the hot paths read: first the SLA engine's (`slaTicketFromRow`), then
 * the view's, then the digest of the last stored snapshot.
 */
const TICKET_COLUMNS = `t.id, t.workspace_id, t.source, t.priority, t.category, t.tags, t.requester_org, t.external_id, t.url, t.subject, t.status, t.requester, t.created_at, t.snapshot_digest`;
const C = {
  externalId: 7,
  url: 8,
  subject: 9,
  status: 10,
  requester: 11,
  createdAt: 12,
  digest: 13,
  state: 14,
};

const TICKET_BY_KEY = `SELECT ${TICKET_COLUMNS}, s.state_json FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id WHERE t.workspace_id = ? AND t.source = ? AND t.external_id = ?`;
const EVENTS_BY_KEY = `SELECT ${SLA_EVENT_COLUMNS}, dedupe_key FROM ticket_events WHERE ticket_id = (SELECT id FROM tickets WHERE workspace_id = ? AND source = ? AND external_id = ?) ORDER BY at, recorded_at`;
const TICKET_BY_ID = `SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = ? AND t.workspace_id = ?`;
const EVENTS_BY_ID = `SELECT ${SLA_EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = (SELECT id FROM tickets WHERE id = ? AND workspace_id = ?) ORDER BY at, recorded_at`;

const INSERT_TICKET = `INSERT INTO tickets (id, workspace_id, source, external_id, url, subject, status, category, priority, requester, requester_org, tags, created_at, first_seen_at, last_seen_at, snapshot_digest)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (workspace_id, source, external_id) DO NOTHING`;
/** Applies only over the snapshot this observation was planned from (another may have landed since). */
const UPDATE_TICKET = `UPDATE tickets SET url = ?, subject = ?, status = ?, category = ?, priority = ?, requester = ?, requester_org = ?, tags = ?, last_seen_at = ?, snapshot_digest = ? WHERE id = ? AND snapshot_digest IS ?`;
/** The rest of an observation's writes apply only if its ticket write did (same batch, same transaction). */
const PLANNED = `EXISTS (SELECT 1 FROM tickets WHERE id = ? AND snapshot_digest = ?)`;
const INSERT_EVENT = `INSERT INTO ticket_events (id, ticket_id, workspace_id, type, at, data, dedupe_key, recorded_at) SELECT ?,?,?,?,?,?,?,? WHERE ${PLANNED} ON CONFLICT DO NOTHING`;
const STATE_IF_PLANNED = STATE_UPSERT.replace(
  'VALUES (?,?,?,?,?,?,?)',
  `SELECT ?,?,?,?,?,?,? WHERE ${PLANNED}`,
);

/** How often an observation against a server is planned again when another changed its ticket first. */
const MAX_ATTEMPTS = 5;

/** The digest of a snapshot as validated (zod gives its keys in schema order). */
export const snapshotDigest = (snap: TicketSnapshot) =>
  createHash('sha256').update(JSON.stringify(snap)).digest('base64url');

type NewEvent = { type: TicketEvent['type']; at: number; data: object; dedupeKey: string };

/** The events a page adds to what is recorded (`existing` null: a ticket seen for the first time). */
function eventsSeen(
  snap: TicketSnapshot,
  existing: { category: string; priority: string } | null,
  t: number,
): NewEvent[] {
  const createdAt = Date.parse(snap.createdAt);
  const events: NewEvent[] = [];
  if (!existing) {
    events.push({ type: 'created', at: createdAt, data: {}, dedupeKey: 'created' });
    // The priority a ticket is first seen with is taken as its priority since creation;
    // its status is known only from now on (a page shows no history).
    events.push({
      type: 'priority',
      at: createdAt,
      data: { priority: snap.priority },
      dedupeKey: `priority@${createdAt}`,
    });
    if (snap.statusChanges.length === 0 && snap.statusCategory !== 'new')
      events.push({
        type: 'status',
        at: t,
        data: { category: snap.statusCategory },
        dedupeKey: `status@${t}`,
      });
  } else {
    if (snap.statusChanges.length === 0 && existing.category !== snap.statusCategory)
      events.push({
        type: 'status',
        at: t,
        data: { category: snap.statusCategory },
        dedupeKey: `status@${t}`,
      });
    if (existing.priority !== snap.priority)
      events.push({
        type: 'priority',
        at: t,
        data: { priority: snap.priority },
        dedupeKey: `priority@${t}`,
      });
  }
  // A page that shows its status history gives the real times of each change.
  for (const c of snap.statusChanges) {
    const at = Math.max(Date.parse(c.at), createdAt);
    events.push({
      type: 'status',
      at,
      data: { category: c.statusCategory },
      dedupeKey: c.externalId ? `history:${c.externalId}` : `history@${at}:${c.statusCategory}`,
    });
  }
  for (const m of snap.messages) {
    const at = Date.parse(m.at);
    events.push({
      type: 'message',
      at,
      data: { author: m.author, public: m.public },
      dedupeKey: m.externalId
        ? `msg:${m.externalId}`
        : `msg:${m.author}:${m.public ? 'pub' : 'int'}:${at}`,
    });
  }
  return events;
}

const viewFromRow = (r: unknown[]): TicketView => ({
  id: r[0] as string,
  source: r[2] as string,
  externalId: r[C.externalId] as string,
  url: r[C.url] as string,
  subject: r[C.subject] as string,
  status: r[C.status] as string,
  category: r[4] as string,
  priority: r[3] as string,
  requester: r[C.requester] as string,
  createdAt: Number(r[C.createdAt]),
});

export function createTickets(hot: HotDb, now: () => number, sla: Sla) {
  const answer = (ticket: TicketView, e: Pick<Evaluation, 'state' | 'spec' | 'policyName'>) => ({
    ticket,
    sla: e.state,
    calendar: e.spec,
    policy: e.policyName,
  });

  /**
   * What an observation writes, planned from the ticket's row and events as read: the ticket,
   * the events it adds and the SLA state computed from all of them, as one batch whose writes
   * apply only if the ticket still holds the snapshot it was planned from.
   */
  function plan(
    cfg: WorkspaceConfig,
    workspaceId: string,
    snap: TicketSnapshot,
    digest: string,
    t: number,
    row: unknown[] | null,
    recorded: ArrayLike<unknown>[],
  ): { writes: Stmt[]; answer: TicketWithSla } {
    if (row) {
      const conflict = checkRecordedCreation(snap, Number(row[C.createdAt]));
      if (conflict) throw conflict;
    }
    const id = row ? (row[0] as string) : newId();
    const createdAt = row ? Number(row[C.createdAt]) : Date.parse(snap.createdAt);
    const tags = JSON.stringify(snap.tags);
    const writes: Stmt[] = [
      row
        ? {
            sql: UPDATE_TICKET,
            args: [
              snap.url,
              snap.subject,
              snap.status,
              snap.statusCategory,
              snap.priority,
              snap.requester,
              snap.requesterOrg,
              tags,
              t,
              digest,
              id,
              row[C.digest] as string | null,
            ],
          }
        : {
            sql: INSERT_TICKET,
            args: [
              id,
              workspaceId,
              snap.source,
              snap.externalId,
              snap.url,
              snap.subject,
              snap.status,
              snap.statusCategory,
              snap.priority,
              snap.requester,
              snap.requesterOrg,
              tags,
              createdAt,
              t,
              t,
              digest,
            ],
          },
    ];
    const known = new Set(recorded.map((r) => r[3] as string));
    const added = eventsSeen(
      snap,
      row ? { category: row[4] as string, priority: row[3] as string } : null,
      t,
    ).filter((e) => !known.has(e.dedupeKey) && (known.add(e.dedupeKey), true));
    for (const e of added)
      writes.push({
        sql: INSERT_EVENT,
        args: [
          newId(),
          id,
          workspaceId,
          e.type,
          e.at,
          JSON.stringify(e.data),
          e.dedupeKey,
          t,
          id,
          digest,
        ],
      });
    // The log as the database will order it (by time, then by when recorded: these last).
    const events = [
      ...recorded.map(eventFromRow),
      ...added.map((e) => ({ type: e.type, at: e.at, ...e.data }) as TicketEvent),
    ].sort((a, b) => a.at - b.at);
    const slaTicket: SlaTicket = {
      id,
      workspaceId,
      source: snap.source,
      priority: snap.priority,
      category: snap.statusCategory,
      tags,
      requesterOrg: snap.requesterOrg,
    };
    const e = sla.evaluateOne(cfg, slaTicket, events, t);
    writes.push({ sql: STATE_IF_PLANNED, args: [...stateRow(slaTicket, e, t), id, digest] });
    const ticket: TicketView = {
      id,
      source: snap.source,
      externalId: snap.externalId,
      url: snap.url,
      subject: snap.subject,
      status: snap.status,
      category: snap.statusCategory,
      priority: snap.priority,
      requester: snap.requester,
      createdAt,
    };
    return { writes, answer: answer(ticket, e) };
  }

  /** The stored answer for a page already stored as it is (null: it changed, or is new). */
  function unchanged(cfg: WorkspaceConfig, row: unknown[] | undefined, digest: string) {
    if (!row || row[C.digest] !== digest || row[C.state] == null) return null;
    const r = sla.resolve(cfg, slaTicketFromRow(row as unknown as Row));
    return answer(viewFromRow(row), {
      state: JSON.parse(row[C.state] as string) as SlaState,
      spec: r.spec,
      policyName: r.policy.name,
    });
  }

  return {
    /**
     * Records what a page showed, in one transaction (ticket, new events, SLA state). A page sent
     * again unchanged is a read: it is answered with the stored state (as of its `computedAt`,
     * which the overlay projects from) and writes nothing.
     */
    async observe(workspaceId: string, snap: TicketSnapshot): Promise<TicketWithSla> {
      const t = now();
      const invalid = checkObservedTimes(snap, t);
      if (invalid) throw invalid;
      const digest = snapshotDigest(snap);
      const cfg = await sla.config(workspaceId);
      const key = [workspaceId, snap.source, snap.externalId];
      const local = hot.local;
      if (local) {
        const same = unchanged(cfg, local.all(TICKET_BY_KEY, key)[0], digest);
        if (same) return same;
        // Inside the write lock: what is read is what the writes apply to.
        return local.transaction((db) => {
          const row = db.all(TICKET_BY_KEY, key)[0] ?? null;
          const p = plan(cfg, workspaceId, snap, digest, t, row, db.all(EVENTS_BY_KEY, key));
          for (const w of p.writes) db.run(w.sql, w.args);
          return p.answer;
        });
      }
      // A server: one round trip to read, one to write; planned again if another write won.
      for (let attempt = 1; ; attempt++) {
        const [rows, recorded] = await hot.read([
          { sql: TICKET_BY_KEY, args: key },
          { sql: EVENTS_BY_KEY, args: key },
        ]);
        const same = unchanged(cfg, rows![0], digest);
        if (same) return same;
        const p = plan(cfg, workspaceId, snap, digest, t, rows![0] ?? null, recorded!);
        const changed = await hot.write(p.writes);
        if (changed[0] === 1) return p.answer;
        if (attempt === MAX_ATTEMPTS)
          throw new ObservationError(
            'CONFLICT',
            'This ticket is changing too fast to record; send the page again. Nothing was stored.',
          );
      }
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
      const [rows] = await hot.read([
        {
          sql: `SELECT t.external_id, t.id, s.state_json FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id
                WHERE t.workspace_id = ? AND t.source = ? AND t.external_id IN (SELECT value FROM json_each(?))`,
          args: [workspaceId, source, JSON.stringify(externalIds)],
        },
      ]);
      return rows!.flatMap((r) => {
        const state = JSON.parse(r[2] as string) as SlaState;
        const t = badgeTarget(state.targets);
        if (!t) return [];
        return [
          {
            externalId: r[0] as string,
            ticketId: r[1] as string,
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
      const [rows, events] = await hot.read([
        { sql: TICKET_BY_ID, args: [ticketId, workspaceId] },
        { sql: EVENTS_BY_ID, args: [ticketId, workspaceId] },
      ]);
      const row = rows![0];
      if (!row) return null;
      const cfg = await sla.config(workspaceId);
      const e = sla.evaluateOne(
        cfg,
        slaTicketFromRow(row as unknown as Row),
        events!.map(eventFromRow),
        now(),
        opts,
      );
      return answer(viewFromRow(row), e);
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
