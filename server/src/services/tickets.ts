import type { Row } from '@libsql/client';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ParsedCalendarSpec, SlaState, TicketEvent, TicketSnapshot } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import type { HotDb, LocalExec, Stmt } from '../db/hot.js';
import { insertRows } from '../db/rows.js';
import { snapshotDigestSync } from './snapshot-digest.js';
import { badgeTarget, storedBadge, type StoredBadge } from './sla-badge.js';
import {
  extensionTokens,
  ticketEvents,
  ticketObservations,
  ticketSources,
  tickets,
  users,
} from '../db/schema.js';
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
import {
  disagreement,
  isApiSource,
  emptyLog,
  hoursOff,
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
export interface TicketBadge extends StoredBadge {
  externalId: string;
  ticketId: string;
}

export { badgeTarget };

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

/** Who reported a view: a paired extension (its token), a signed-in session (its user), or the server itself. */
export interface SourceRef {
  key: string;
  userId: string | null;
  tokenId: string | null;
}
/** Views recorded by the server's own code (the demo seed, tests that call the service). */
export const SERVER_SOURCE: SourceRef = { key: 'server', userId: null, tokenId: null };

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

/**
 * The columns of a ticket the hot paths read: first the SLA engine's (`slaTicketFromRow`), then
 * the view's, then the digest of the last stored snapshot.
 */
export const TICKET_COLUMNS = `t.id, t.workspace_id, t.source, t.priority, t.category, t.tags, t.requester_org, t.status_known_from, t.external_id, t.url, t.subject, t.status, t.requester, t.created_at, t.snapshot_digest`;
const C = {
  externalId: 8,
  url: 9,
  subject: 10,
  status: 11,
  requester: 12,
  createdAt: 13,
  digest: 14,
  state: 15,
  /** This view's source as recorded for the ticket (null columns: not yet). */
  sourceKey: 16,
  sourceDigest: 17,
  sourceConflict: 18,
  sourceExcludedAt: 19,
  sourceCategory: 20,
  sourcePriority: 21,
};

/**
 * A ticket as an observation reads it (`unchanged`, `plan`): its columns, its stored SLA state and
 * this view's source; from `tickets t`, `ticket_sla s` and `ticket_sources src` joined as below.
 */
export const TICKET_KEY_COLUMNS = `${TICKET_COLUMNS}, s.state_json, src.source_key, src.snapshot_digest, src.conflict, src.excluded_at, src.last_category, src.last_priority`;
/** Arguments: the source's key, then the workspace, the tool and the ticket's external id. */
const TICKET_BY_KEY = `SELECT ${TICKET_KEY_COLUMNS}
  FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id LEFT JOIN ticket_sources src ON src.ticket_id = t.id AND src.source_key = ?
  WHERE t.workspace_id = ? AND t.source = ? AND t.external_id = ?`;
const EVENTS_BY_KEY = `SELECT ${SLA_EVENT_COLUMNS}, dedupe_key FROM ticket_events WHERE ticket_id = (SELECT id FROM tickets WHERE workspace_id = ? AND source = ? AND external_id = ?) ORDER BY at, recorded_at`;
const TICKET_BY_ID = `SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = ? AND t.workspace_id = ?`;
const EVENTS_BY_ID = `SELECT ${SLA_EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = (SELECT id FROM tickets WHERE id = ? AND workspace_id = ?) ORDER BY at, recorded_at`;

const INSERT_TICKET = `INSERT INTO tickets (id, workspace_id, source, external_id, url, subject, status, category, priority, requester, requester_org, assignee, tags, created_at, first_seen_at, last_seen_at, status_known_from, snapshot_digest)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (workspace_id, source, external_id) DO NOTHING`;
/** Applies only over the snapshot this observation was planned from (another may have landed since). */
const UPDATE_TICKET = `UPDATE tickets SET url = ?, subject = ?, status = ?, category = ?, priority = ?, requester = ?, requester_org = ?, assignee = ?, tags = ?, last_seen_at = ?, status_known_from = ?, snapshot_digest = ? WHERE id = ? AND snapshot_digest IS ?`;
/** The rest of an observation's writes apply only if its ticket write did (same batch, same transaction). */
const PLANNED = `EXISTS (SELECT 1 FROM tickets WHERE id = ? AND snapshot_digest = ?)`;
/** A view kept apart writes only its source's rows: they apply as long as the ticket is there. */
const KEPT_APART = `EXISTS (SELECT 1 FROM tickets WHERE id = ? AND ? IS NOT NULL)`;
/** Events added by an observation, many rows a statement (`insertRows`). */
const insertEvents = (values: string) =>
  `INSERT INTO ticket_events (id, ticket_id, workspace_id, type, at, data, dedupe_key, recorded_at) SELECT * FROM (VALUES ${values}) WHERE ${PLANNED} ON CONFLICT DO NOTHING`;
/** The events an observation drops, by their keys (a JSON array), in one statement. */
const DROP_EVENTS = `DELETE FROM ticket_events WHERE ticket_id = ? AND dedupe_key IN (SELECT value FROM json_each(?)) AND ${PLANNED}`;
const MOVE_CREATION = `UPDATE tickets SET created_at = ? WHERE id = ? AND ${PLANNED}`;
const STATE_IF_PLANNED = STATE_UPSERT.replace(
  'VALUES (?,?,?,?,?,?,?,?)',
  `SELECT ?,?,?,?,?,?,?,? WHERE ${PLANNED}`,
);
/** A view's source and its bookkeeping; its flag is set when its times disagreed, and kept otherwise. */
const upsertSource = (guard: string) =>
  `INSERT INTO ticket_sources (ticket_id, workspace_id, source_key, user_id, token_id, first_seen_at, last_seen_at, last_category, last_priority, conflict, conflict_at, snapshot_digest)
  SELECT ?,?,?,?,?,?,?,?,?,?,?,? WHERE ${guard}
  ON CONFLICT (ticket_id, source_key) DO UPDATE SET last_seen_at = excluded.last_seen_at, last_category = excluded.last_category, last_priority = excluded.last_priority, snapshot_digest = excluded.snapshot_digest,
    conflict = coalesce(excluded.conflict, ticket_sources.conflict), conflict_at = CASE WHEN excluded.conflict IS NULL THEN ticket_sources.conflict_at ELSE excluded.conflict_at END`;
/** A source's readings of facts, each kept once (a different reading of it is another row); many rows a statement. */
const insertObservations = (guard: string) => (values: string) =>
  `INSERT INTO ticket_observations (ticket_id, workspace_id, source_key, type, at, data, dedupe_key, recorded_at) SELECT * FROM (VALUES ${values}) WHERE ${guard} ON CONFLICT DO NOTHING`;
const SOURCE_IF_PLANNED = upsertSource(PLANNED);
const SOURCE_KEPT_APART = upsertSource(KEPT_APART);
const OBSERVATIONS_IF_PLANNED = insertObservations(PLANNED);
const OBSERVATIONS_KEPT_APART = insertObservations(KEPT_APART);

/** How often an observation against a server is planned again when another changed its ticket first. */
const MAX_ATTEMPTS = 5;

/** Each paired browser is a source of its own; a signed-in session is its user's. */
export const sourceOf = (c: { userId: string; tokenId?: string | undefined }): SourceRef =>
  c.tokenId
    ? { key: `token:${c.tokenId}`, userId: c.userId, tokenId: c.tokenId }
    : { key: `user:${c.userId}`, userId: c.userId, tokenId: null };

/** A list row's badge from its ticket's stored SLA state (null: no clock to show). */
export function badgeFromRow(
  externalId: string,
  ticketId: string,
  stateJson: string,
): TicketBadge | null {
  const b = storedBadge(JSON.parse(stateJson) as SlaState);
  return b ? { externalId, ticketId, ...b } : null;
}

/** A list row's badge from its stored `badge_json` (null: no clock to show). */
export const badgeFromStored = (
  externalId: string,
  ticketId: string,
  badge: string | null,
): TicketBadge | null =>
  badge ? { externalId, ticketId, ...(JSON.parse(badge) as StoredBadge) } : null;

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

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** What an observation's plan writes, and its answer. */
interface Plan {
  writes: Stmt[];
  answer: TicketWithSla;
}

export function createTickets(hot: HotDb, now: () => number, sla: Sla, db: Db) {
  const answer = (
    ticket: TicketView,
    e: Pick<Evaluation, 'state' | 'spec' | 'policyName'>,
  ): TicketWithSla => ({
    ticket,
    sla: e.state,
    calendar: e.spec,
    policy: e.policyName,
  });
  const view = (
    t: TicketRow,
    e: { state: SlaState; spec: ParsedCalendarSpec | null; policyName: string },
  ): TicketWithSla => answer(toView(t), e);

  /**
   * What an observation writes, planned from the ticket's row, its events and this source's
   * bookkeeping as read: the view as its source saw it, and unless the view is kept apart the
   * ticket, the events the view adds and the SLA state computed from all of them; one batch
   * whose writes apply only if the ticket still holds the snapshot it was planned from.
   */
  function plan(
    cfg: WorkspaceConfig,
    workspaceId: string,
    snap: TicketSnapshot,
    source: SourceRef,
    digest: string,
    t: number,
    row: unknown[] | null,
    recorded: ArrayLike<unknown>[],
  ): Plan {
    const id = row ? (row[0] as string) : newId();
    const createdAt = row ? Number(row[C.createdAt]) : Date.parse(snap.createdAt);
    const knownFrom = statusKnownFrom(
      snap,
      { firstSeen: !row, from: row ? numberOrNull(row[7]) : null },
      t,
    );
    const observed = observationsOf(snap, t);
    const log = emptyLog();
    if (row) {
      log.createdAt = createdAt;
      log.category = row[4] as string;
      log.priority = row[3] as string;
      for (const r of recorded) {
        const e = eventFromRow(r);
        const { type: _, at, ...data } = e as unknown as Record<string, unknown>;
        log.events.set(r[3] as string, {
          type: e.type,
          at: Number(at),
          data,
          dedupeKey: r[3] as string,
        });
      }
    }
    const prior =
      row && row[C.sourceKey] != null
        ? {
            conflict: (row[C.sourceConflict] as string | null) ?? null,
            excludedAt: numberOrNull(row[C.sourceExcludedAt]),
            lastCategory: row[C.sourceCategory] as string | null,
            lastPriority: row[C.sourcePriority] as string | null,
          }
        : undefined;
    const setAside = prior?.excludedAt
      ? 'An admin set the views of this browser aside for this ticket'
      : (prior?.conflict ?? null);
    // A connector is never kept apart for its times: where it disagrees, it wins.
    const api = isApiSource(source.key);
    const conflict = setAside || api ? null : disagreement(log, observed);
    const { added, dropped } =
      setAside || conflict ? { added: [], dropped: [] } : mergeView(log, observed, { api });
    // A view's status and priority are kept when they change what this source or the log said.
    const seenChanged =
      added.some((e) => e.type === 'status' || e.type === 'priority') ||
      prior?.lastCategory !== snap.statusCategory ||
      prior?.lastPriority !== snap.priority;
    const viewRows = observed.filter((o) => o.type !== 'seen' || seenChanged);
    // (A first view of a ticket has nothing to disagree with, so `row` is there.)
    const why = setAside ?? conflict;
    const keptApart = why !== null && row !== null;
    const guard = keptApart ? [id, id] : [id, digest];
    const sourceWrites: Stmt[] = [
      {
        sql: keptApart ? SOURCE_KEPT_APART : SOURCE_IF_PLANNED,
        args: [
          id,
          workspaceId,
          source.key,
          source.userId,
          source.tokenId,
          t,
          t,
          snap.statusCategory,
          snap.priority,
          conflict,
          conflict ? t : null,
          digest,
          ...guard,
        ],
      },
      ...insertRows(
        keptApart ? OBSERVATIONS_KEPT_APART : OBSERVATIONS_IF_PLANNED,
        viewRows.map((o) => [
          id,
          workspaceId,
          source.key,
          o.type,
          o.at,
          JSON.stringify(o.data),
          o.dedupeKey,
          t,
        ]),
        guard,
      ),
    ];
    if (keptApart) {
      // Kept apart, not refused: the source is flagged for an admin, and the agent sees why,
      // with the state the other views make.
      const e = sla.evaluateOne(
        cfg,
        slaTicketFromRow(row as unknown as Row),
        recorded.map(eventFromRow),
        t,
      );
      return {
        writes: sourceWrites,
        answer: {
          ...answer(viewFromRow(row), e),
          conflict: `${why}; ${CHECK_ZONE}. This view was kept apart for an admin to review; the timers shown come from the other views.`,
        },
      };
    }
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
              snap.assignee,
              tags,
              t,
              knownFrom,
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
              snap.assignee,
              tags,
              createdAt,
              t,
              t,
              knownFrom,
              digest,
            ],
          },
      ...sourceWrites,
    ];
    // The tool's creation time wins over a page's (`mergeView`).
    if (row && log.createdAt !== createdAt)
      writes.push({ sql: MOVE_CREATION, args: [log.createdAt, id, id, digest] });
    // Moved or superseded events go before their replacements are inserted.
    if (dropped.length)
      writes.push({ sql: DROP_EVENTS, args: [id, JSON.stringify(dropped), id, digest] });
    writes.push(
      ...insertRows(
        insertEvents,
        added.map((e) => [
          newId(),
          id,
          workspaceId,
          e.type,
          e.at,
          JSON.stringify(e.data),
          e.dedupeKey,
          t,
        ]),
        [id, digest],
      ),
    );
    // The log as the database will order it (by time, then by when recorded: these last).
    const gone = new Set(dropped);
    const events = [
      ...recorded.filter((r) => !gone.has(r[3] as string)).map(eventFromRow),
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
      statusKnownFrom: knownFrom,
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
      createdAt: log.createdAt ?? createdAt,
    };
    return { writes, answer: answer(ticket, e) };
  }

  /**
   * The stored answer for a page already stored as it is, from a source that already recorded
   * it and is neither flagged nor set aside (null: something is new).
   */
  function unchanged(cfg: WorkspaceConfig, row: unknown[] | undefined, digest: string) {
    if (
      !row ||
      row[C.digest] !== digest ||
      row[C.state] == null ||
      row[C.sourceDigest] !== digest ||
      row[C.sourceConflict] != null ||
      row[C.sourceExcludedAt] != null
    )
      return null;
    const r = sla.resolve(cfg, slaTicketFromRow(row as unknown as Row));
    return answer(viewFromRow(row), {
      state: JSON.parse(row[C.state] as string) as SlaState,
      spec: r.spec,
      policyName: r.policy.name,
    });
  }

  /** A ticket read with `TICKET_COLUMNS` and its events, with its SLA state now. */
  async function stateNow(
    workspaceId: string,
    row: unknown[],
    events: unknown[][],
    opts: { explain?: boolean } = {},
  ): Promise<TicketWithSla> {
    const cfg = await sla.config(workspaceId);
    const e = sla.evaluateOne(
      cfg,
      slaTicketFromRow(row as unknown as Row),
      events.map(eventFromRow),
      now(),
      opts,
    );
    return answer(viewFromRow(row), e);
  }

  return {
    /**
     * Records what a page showed, as seen by `source`, in one transaction (the view and its
     * source, the ticket, new events, SLA state). The event log only grows by what changed since
     * the last observation. A view whose times disagree with the log's is kept apart, its source
     * flagged for an admin, and answered with the others' state and why (`conflict`); so are
     * views from a source an admin set aside for this ticket. A page this source already sent,
     * unchanged and still the ticket's last, is a read: it is answered with the stored state (as
     * of its `computedAt`, which the overlay projects from) and writes nothing.
     */
    async observe(
      workspaceId: string,
      snap: TicketSnapshot,
      source: SourceRef = SERVER_SOURCE,
    ): Promise<TicketWithSla> {
      const t = now();
      const invalid = checkObservedTimes(snap, t);
      if (invalid) throw invalid;
      const digest = snapshotDigestSync(snap);
      const cfg = await sla.config(workspaceId);
      const key = [workspaceId, snap.source, snap.externalId];
      const byKey = [source.key, ...key];
      const local = hot.local;
      if (local) {
        const same = unchanged(cfg, local.all(TICKET_BY_KEY, byKey)[0], digest);
        if (same) return same;
        // Inside the write lock: what is read is what the writes apply to.
        return local.transaction((db) => {
          const row = db.all(TICKET_BY_KEY, byKey)[0] ?? null;
          const p = plan(
            cfg,
            workspaceId,
            snap,
            source,
            digest,
            t,
            row,
            db.all(EVENTS_BY_KEY, key),
          );
          for (const w of p.writes) db.run(w.sql, w.args);
          return p.answer;
        });
      }
      // A server: one round trip to read, one to write; planned again if another write won.
      for (let attempt = 1; ; attempt++) {
        const [rows, recorded] = await hot.read([
          { sql: TICKET_BY_KEY, args: byKey },
          { sql: EVENTS_BY_KEY, args: key },
        ]);
        const same = unchanged(cfg, rows![0], digest);
        if (same) return same;
        const p = plan(cfg, workspaceId, snap, source, digest, t, rows![0] ?? null, recorded!);
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
     * Many tickets' views in ONE write transaction, for a connector's page of a backfill: each
     * planned and written as `observe` plans it (its events, its SLA state computed once from
     * its whole log), then its `writes`, then `after` (given every item's outcome). One commit
     * instead of one per ticket: on a local file the commit's disk wait was most of a backfill.
     * An item whose times are refused answers its `ObservationError` and writes nothing; one
     * whose `guard` says its basis changed since it was read answers `'stale'` and writes
     * nothing (the caller takes it in alone). Null on a server: there, use `observe`.
     */
    async observeMany(
      workspaceId: string,
      items: {
        snap: TicketSnapshot;
        source: SourceRef;
        guard?: (db: LocalExec) => boolean;
        writes: Stmt[];
      }[],
      after: (outcomes: (null | ObservationError | 'stale')[]) => Stmt[],
    ): Promise<(null | ObservationError | 'stale')[] | null> {
      const local = hot.local;
      if (!local) return null;
      const t = now();
      const cfg = await sla.config(workspaceId);
      const digests = items.map(
        (it) => checkObservedTimes(it.snap, t) ?? snapshotDigestSync(it.snap),
      );
      return local.transaction((db) => {
        const outcomes = items.map((it, i) => {
          const digest = digests[i]!;
          if (digest instanceof ObservationError) return digest;
          if (it.guard && !it.guard(db)) return 'stale' as const;
          const key = [workspaceId, it.snap.source, it.snap.externalId];
          const row = db.all(TICKET_BY_KEY, [it.source.key, ...key])[0] ?? null;
          if (!unchanged(cfg, row ?? undefined, digest)) {
            const p = plan(
              cfg,
              workspaceId,
              it.snap,
              it.source,
              digest,
              t,
              row,
              db.all(EVENTS_BY_KEY, key),
            );
            for (const w of p.writes) db.run(w.sql, w.args);
          }
          for (const w of it.writes) db.run(w.sql, w.args);
          return null;
        });
        for (const w of after(outcomes)) db.run(w.sql, w.args);
        return outcomes;
      });
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
          sql: `SELECT t.external_id, t.id, s.badge_json FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id
                WHERE t.workspace_id = ? AND t.source = ? AND t.external_id IN (SELECT value FROM json_each(?))`,
          args: [workspaceId, source, JSON.stringify(externalIds)],
        },
      ]);
      return rows!.flatMap((r) => {
        const b = badgeFromStored(r[0] as string, r[1] as string, r[2] as string | null);
        return b ? [b] : [];
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
      return row ? stateNow(workspaceId, row, events!, opts) : null;
    },

    stateNow,

    /**
     * The stored answer for a ticket read with `TICKET_KEY_COLUMNS`, when the page whose digest
     * is `digest` is what its source last sent and still the ticket's last (null: it is not, or
     * there is no such ticket). What `observe` answers for that page, without the page.
     */
    async storedAnswer(
      workspaceId: string,
      row: unknown[] | undefined,
      digest: string,
    ): Promise<TicketWithSla | null> {
      if (!row || row[0] == null) return null;
      return unchanged(await sla.config(workspaceId), row, digest);
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
            // The next view is merged again, not answered from what the last one stored.
            snapshotDigest: null,
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
