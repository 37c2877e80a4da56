import type { TicketSnapshot } from '@deskwatch/shared';

/**
 * A ticket's event log is merged from what each source (a paired extension, a session) saw. This
 * module is the one merge rule, pure: the live path applies it to each new view, and a recompute
 * replays every kept view through it in the order they arrived, so both give the same log.
 */

/** How far apart two views of one instant may read before they disagree. */
export const SOURCE_SKEW_MS = 5 * 60_000;

export type ObservationType = 'created' | 'status' | 'priority' | 'message' | 'seen';

/** One fact as one source read it. `seen` is the status category and priority a view showed. */
export interface Observation {
  type: ObservationType;
  at: number;
  data: Record<string, unknown>;
  dedupeKey: string;
}

export interface LogEvent {
  type: Exclude<ObservationType, 'seen'>;
  at: number;
  data: Record<string, unknown>;
  dedupeKey: string;
}

/**
 * The log as merging goes: its creation, the status and priority last seen, and its events by
 * key. An event a connector read from the tool's history carries `api: true` in its data.
 */
export interface LogState {
  createdAt: number | null;
  category: string | null;
  priority: string | null;
  events: Map<string, LogEvent>;
}

export const emptyLog = (): LogState => ({
  createdAt: null,
  category: null,
  priority: null,
  events: new Map(),
});

/** What a view changes in the log: events to add, and keys of events to drop first (a moved event is both). */
export interface LogChange {
  added: LogEvent[];
  dropped: string[];
}

/** Connectors read the tool's API or webhooks; their views are `connector:<id>` (`connectorSource`). */
export const isApiSource = (sourceKey: string) => sourceKey.startsWith('connector:');

const fromApi = (e: LogEvent) => e.data.api === true;

/** How far apart two readings of one instant are, for people: `5 h`, `1.25 h`, `20 min`. */
export const hoursOff = (ms: number) => {
  const h = Math.abs(ms) / 3_600_000;
  return h >= 1 ? `${Math.round(h * 4) / 4} h` : `${Math.round(Math.abs(ms) / 60_000)} min`;
};
const iso = (ms: number) => new Date(ms).toISOString();

/** What one view of a ticket page observed, `t` being when. */
export function observationsOf(snap: TicketSnapshot, t: number): Observation[] {
  const createdAt = Date.parse(snap.createdAt);
  const out: Observation[] = [
    { type: 'created', at: createdAt, data: {}, dedupeKey: 'created' },
    {
      type: 'seen',
      at: t,
      data: {
        category: snap.statusCategory,
        priority: snap.priority,
        history: snap.statusChanges.length > 0,
        priorityHistory: snap.priorityChanges.length > 0,
      },
      dedupeKey: `seen@${t}`,
    },
  ];
  // A page that shows its status history gives the real times of each change.
  for (const c of snap.statusChanges) {
    const at = Math.max(Date.parse(c.at), createdAt);
    out.push({
      type: 'status',
      at,
      data: { category: c.statusCategory },
      dedupeKey: c.externalId ? `history:${c.externalId}` : `history@${at}:${c.statusCategory}`,
    });
  }
  for (const c of snap.priorityChanges) {
    const at = Math.max(Date.parse(c.at), createdAt);
    out.push({
      type: 'priority',
      at,
      data: { priority: c.priority },
      dedupeKey: c.externalId ? `history:${c.externalId}` : `priority-history@${at}:${c.priority}`,
    });
  }
  for (const m of snap.messages) {
    const at = Date.parse(m.at);
    out.push({
      type: 'message',
      at,
      data: { author: m.author, public: m.public },
      dedupeKey: m.externalId
        ? `msg:${m.externalId}`
        : `msg:${m.author}:${m.public ? 'pub' : 'int'}:${at}`,
    });
  }
  return out;
}

/**
 * Why a view's times disagree with the log's (the creation, or a fact the log holds under the
 * same key, read more than the skew apart), or null when they agree.
 */
export function disagreement(log: LogState, view: Observation[]): string | null {
  for (const o of view) {
    if (o.type === 'seen') continue;
    const known = o.type === 'created' ? log.createdAt : log.events.get(o.dedupeKey)?.at;
    if (known === null || known === undefined || Math.abs(o.at - known) <= SOURCE_SKEW_MS) continue;
    const what = o.type === 'created' ? 'the ticket created' : `${o.type} ${o.dedupeKey}`;
    return `Times off by ${hoursOff(o.at - known)}: this view shows ${what} at ${iso(o.at)}, but others saw it at ${iso(known)}`;
  }
  return null;
}

/**
 * Merges a view that agrees with the log (a page's), or any view of a connector (`api`): what it
 * changes (the log's state moves on). The creation and the first priority come from the first
 * view; a view without a status history adds a status change when its category differs from
 * the last one seen, at the time it was seen; facts already in the log are not added twice.
 *
 * Where the tool's API and a page disagree on a time, the API wins, whichever came first: a
 * connector's fact moves the same fact (same key) to its time, and moves the creation; from the
 * first status (priority) change a connector reports, less the skew, the status (priority)
 * changes are the connector's alone, so a page's reading of one (at the instant it was seen, or
 * from its history) is dropped, or not added when it comes later; a page's message is dropped
 * for a connector's one by the same author and visibility within the skew. What pages saw
 * before the connector's history starts stays.
 *
 * @example mergeView(log, observationsOf(connectorSnap, t), { api: true }) // { added, dropped }
 */
export function mergeView(
  log: LogState,
  view: Observation[],
  opts: { api?: boolean } = {},
): LogChange {
  const added: LogEvent[] = [];
  const dropped: string[] = [];
  const put = (e: LogEvent) => {
    log.events.set(e.dedupeKey, e);
    added.push(e);
  };
  const drop = (key: string) => {
    if (!log.events.delete(key)) return;
    const i = added.findIndex((e) => e.dedupeKey === key);
    if (i >= 0) added.splice(i, 1);
    else dropped.push(key);
  };
  const add = (e: LogEvent) => {
    if (log.events.has(e.dedupeKey) || (!opts.api && coveredByApi(log, e))) return;
    put(e);
  };
  const created = view.find((o) => o.type === 'created');
  const seen = view.find((o) => o.type === 'seen');
  const category = seen?.data.category as string | undefined;
  const priority = seen?.data.priority as string | undefined;
  // With a priority history on the page, its changes are the priority's events.
  const priorityHistory = seen?.data.priorityHistory === true;
  if (log.createdAt === null && created) {
    log.createdAt = created.at;
    add({ type: 'created', at: created.at, data: {}, dedupeKey: 'created' });
    // The priority a ticket is first seen with is taken as its priority since creation; its
    // status is known only from then on (`statusKnownFrom`), unless the page shows its history.
    if (priority !== undefined && !priorityHistory)
      add({
        type: 'priority',
        at: created.at,
        data: { priority },
        dedupeKey: `priority@${created.at}`,
      });
    if (seen && !seen.data.history && category !== 'new')
      add({ type: 'status', at: seen.at, data: { category }, dedupeKey: `status@${seen.at}` });
  } else {
    if (opts.api && created && created.at !== log.createdAt)
      moveCreation(log, created.at, put, drop);
    if (seen) {
      if (!seen.data.history && log.category !== null && category !== log.category)
        add({ type: 'status', at: seen.at, data: { category }, dedupeKey: `status@${seen.at}` });
      if (!priorityHistory && log.priority !== null && priority !== log.priority)
        add({
          type: 'priority',
          at: seen.at,
          data: { priority },
          dedupeKey: `priority@${seen.at}`,
        });
    }
  }
  const facts = view.filter(
    (o): o is Observation & { type: LogEvent['type'] } => o.type !== 'seen' && o.type !== 'created',
  );
  if (opts.api) mergeApiFacts(log, facts, put, drop);
  else for (const o of facts) add({ type: o.type, at: o.at, data: o.data, dedupeKey: o.dedupeKey });
  if (category !== undefined) log.category = category;
  if (priority !== undefined) log.priority = priority;
  return { added, dropped };
}

/** The instant a connector's history of this kind of fact starts, or null when it has none. */
function apiStart(log: LogState, type: LogEvent['type']): number | null {
  let start: number | null = null;
  for (const e of log.events.values())
    if (e.type === type && fromApi(e) && (start === null || e.at < start)) start = e.at;
  return start;
}

/** Whether a page's fact is one a connector already tells (or tells better). */
function coveredByApi(log: LogState, e: LogEvent): boolean {
  if (e.type === 'status' || e.type === 'priority') {
    const start = apiStart(log, e.type);
    return start !== null && e.at >= start - SOURCE_SKEW_MS;
  }
  if (e.type === 'message')
    for (const m of log.events.values())
      if (
        m.type === 'message' &&
        fromApi(m) &&
        m.data.author === e.data.author &&
        m.data.public === e.data.public &&
        Math.abs(m.at - e.at) <= SOURCE_SKEW_MS
      )
        return true;
  return false;
}

/** The tool's creation time replaces the log's, and the priority taken as of creation moves with it. */
function moveCreation(
  log: LogState,
  at: number,
  put: (e: LogEvent) => void,
  drop: (key: string) => void,
) {
  const initial = log.events.get(`priority@${log.createdAt}`);
  drop('created');
  put({ type: 'created', at, data: {}, dedupeKey: 'created' });
  if (initial) {
    drop(initial.dedupeKey);
    put({ ...initial, at, dedupeKey: `priority@${at}` });
  }
  log.createdAt = at;
}

/**
 * A connector's history facts enter at the tool's times (moving the same facts pages gave), then
 * the page facts they cover go, and so do its own earlier facts its picture no longer holds (a
 * change the tool later dated earlier) from the start of what it holds.
 */
function mergeApiFacts(
  log: LogState,
  facts: (Observation & { type: LogEvent['type'] })[],
  put: (e: LogEvent) => void,
  drop: (key: string) => void,
) {
  const keys = new Set(facts.map((o) => o.dedupeKey));
  for (const o of facts) {
    const known = log.events.get(o.dedupeKey);
    if (known && known.at === o.at && fromApi(known)) continue;
    drop(o.dedupeKey);
    put({ type: o.type, at: o.at, data: { ...o.data, api: true }, dedupeKey: o.dedupeKey });
  }
  for (const type of ['status', 'priority', 'message'] as const) {
    const held = facts.filter((o) => o.type === type).map((o) => o.at);
    const from = held.length ? Math.min(...held) : Infinity;
    for (const e of [...log.events.values()])
      if (e.type !== type || keys.has(e.dedupeKey)) continue;
      else if (fromApi(e) ? e.at >= from : coveredByApi(log, e)) drop(e.dedupeKey);
  }
}

/** A stored observation with who made it, when, and its place in the order views were stored. */
export interface StoredObservation extends Observation {
  sourceKey: string;
  recordedAt: number;
  seq: number;
}

/**
 * Replays stored views (every source's but those set aside) in the order they were stored: the
 * log they make, and each source whose view disagreed (it is left out from then on, as it was
 * when it arrived). Deterministic: the same observations always give the same log.
 */
export function replay(observations: StoredObservation[]): {
  log: LogState;
  events: (LogEvent & { recordedAt: number })[];
  flagged: Map<string, { conflict: string; at: number }>;
} {
  // A view is a run of rows one source stored at one instant (one transaction).
  const views: StoredObservation[][] = [];
  for (const o of [...observations].sort((a, b) => a.seq - b.seq)) {
    const last = views.at(-1)?.[0];
    if (last && last.sourceKey === o.sourceKey && last.recordedAt === o.recordedAt)
      views.at(-1)!.push(o);
    else views.push([o]);
  }
  const log = emptyLog();
  const recordedAt = new Map<string, number>();
  const flagged = new Map<string, { conflict: string; at: number }>();
  for (const view of views) {
    const { sourceKey, recordedAt: t } = view[0]!;
    if (flagged.has(sourceKey)) continue;
    const api = isApiSource(sourceKey);
    // A connector is never kept apart: where it disagrees, it wins.
    const why = api ? null : disagreement(log, view);
    if (why) flagged.set(sourceKey, { conflict: why, at: t });
    else for (const e of mergeView(log, view, { api }).added) recordedAt.set(e.dedupeKey, t);
  }
  const events = [...log.events.values()].map((e) => ({
    ...e,
    recordedAt: recordedAt.get(e.dedupeKey)!,
  }));
  return { log, events, flagged };
}
