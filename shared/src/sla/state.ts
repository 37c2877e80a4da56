import { DONE_CATEGORIES, type Priority, type StatusCategory } from '../constants.js';
import { calendar24x7, type Calendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import { isPaused, SLA_METRICS, targetFor, type SlaMetric } from './metrics.js';
import type { SlaPolicy } from './policy.js';

/** Events in time order; at equal instants the log order is kept. */
export function sortEvents(events: readonly TicketEvent[]): TicketEvent[] {
  // Array.prototype.sort is stable, and logs usually arrive sorted: check before copying.
  for (let i = 1; i < events.length; i++)
    if (events[i]!.at < events[i - 1]!.at) return [...events].sort((a, b) => a.at - b.at);
  return events as TicketEvent[];
}

export type TargetStatus = 'running' | 'paused' | 'met' | 'breached';

/** Why a stretch of a clock's time counted or not, and which event started it. */
export interface Segment {
  from: number;
  to: number;
  kind: 'running' | 'paused' | 'outside_hours' | 'holiday' | 'unknown';
  /** The status category holding a paused clock. */
  reason?: StatusCategory;
  cause: { type: TicketEvent['type'] | 'cycle_start'; at: number; detail?: string };
}

export interface TargetState {
  metric: SlaMetric;
  status: TargetStatus;
  /** True once the target was missed, whether the clock still runs, is paused or has stopped. */
  breached: boolean;
  /** Business time of the policy's calendar, or plain calendar time. */
  clock: 'business' | 'calendar';
  targetMs: number;
  /** When the current cycle of this metric started (creation, a customer message, a reply, a reopen). */
  cycleStart: number;
  elapsedMs: number;
  /** `targetMs - elapsedMs`: negative once breached. */
  remainingMs: number;
  /** The instant the target is (or was) due; null while paused before a breach, since it is not known yet. */
  dueAt: number | null;
  /** Calendar (wall) time from now to the due instant; negative once past. */
  calendarMsToDue: number | null;
  /** When the cycle's clock stopped for good (a response, a resolution), if it did. */
  stoppedAt: number | null;
  /** The status category holding the clock, while paused. */
  pausedBy: StatusCategory | null;
  percentUsed: number;
  /** With `explain`: the ordered segments of the current cycle. */
  segments?: Segment[];
  /**
   * Set when this cycle began before the ticket's status was known (`SlaState.statusKnownFrom`):
   * what happened before that instant is unknown, and the clock's numbers rest on it.
   */
  unknownBefore?: number;
  /**
   * The cycle stopped when the ticket was first seen done, with no response shown: when it was
   * really resolved is unknown, so neither met nor breached can be said (`breached` is false).
   */
  outcomeUnknown?: true;
  /** Set when this clock counts only from `unknownBefore` (first seen paused or done). */
  countsFrom?: number;
}

export interface SlaState {
  computedAt: number;
  calendarId: string;
  priority: Priority;
  category: StatusCategory;
  targets: TargetState[];
  /**
   * From when the ticket's status is known, when not since its creation: the page showed no
   * history (or history that does not go back to creation) and the ticket was first seen in
   * another status than new. Metrics exclude or flag what lies before it.
   */
  statusKnownFrom?: number;
}

interface Moment {
  at: number;
  category: StatusCategory;
  priority: Priority;
  response: boolean;
  customerMessage: boolean;
  cause: Segment['cause'];
}

function sameEvent(a: TicketEvent, b: TicketEvent): boolean {
  if (a.type !== b.type || a.at !== b.at) return false;
  if (a.type === 'status') return a.category === (b as typeof a).category;
  if (a.type === 'priority') return a.priority === (b as typeof a).priority;
  if (a.type === 'message')
    return a.author === (b as typeof a).author && a.public === (b as typeof a).public;
  return true;
}

function isResponse(e: TicketEvent, policy: SlaPolicy): boolean {
  return (
    e.type === 'message' &&
    (policy.responses.authors as string[]).includes(e.author) &&
    (e.public || policy.responses.includeInternal)
  );
}

function describe(e: TicketEvent): Segment['cause'] {
  if (e.type === 'status') return { type: e.type, at: e.at, detail: e.category };
  if (e.type === 'priority') return { type: e.type, at: e.at, detail: e.priority };
  if (e.type === 'message')
    return { type: e.type, at: e.at, detail: `${e.public ? 'public' : 'internal'} ${e.author}` };
  return { type: e.type, at: e.at };
}

/** The ticket's states over time: one moment per distinct instant, in order. Identical duplicate events count once. */
function moments(events: readonly TicketEvent[], policy: SlaPolicy, now: number): Moment[] {
  const sorted: TicketEvent[] = [];
  let sameInstantFrom = 0;
  for (const e of sortEvents(events)) {
    if (e.at > now) break;
    if (sorted.length === 0 || sorted[sorted.length - 1]!.at !== e.at)
      sameInstantFrom = sorted.length;
    // Identical duplicates can only sit among the events of the same instant.
    let dup = false;
    for (let j = sameInstantFrom; j < sorted.length && !dup; j++) dup = sameEvent(sorted[j]!, e);
    if (!dup) sorted.push(e);
  }
  const created = sorted.find((e) => e.type === 'created')?.at ?? sorted[0]?.at ?? now;
  let category: StatusCategory = 'new';
  let priority: Priority = 'normal';
  const out: Moment[] = [
    {
      at: created,
      category,
      priority,
      response: false,
      customerMessage: false,
      cause: { type: 'created', at: created },
    },
  ];
  for (const e of sorted) {
    const at = Math.max(e.at, created);
    let m = out[out.length - 1]!;
    if (m.at !== at) {
      m = { at, category, priority, response: false, customerMessage: false, cause: describe(e) };
      out.push(m);
    }
    if (e.type === 'status') category = m.category = e.category;
    else if (e.type === 'priority') priority = m.priority = e.priority;
    else if (e.type === 'message') {
      if (isResponse(e, policy)) m.response = true;
      else if (e.author === 'customer' && e.public) m.customerMessage = true;
    }
  }
  return out;
}

interface Cycle {
  start: number;
  cause: Segment['cause'];
  elapsed: number;
  breachAt: number | null;
  stoppedAt: number | null;
  /** Stopped by a done status rather than by a response. */
  stoppedByStatus: boolean;
  segments: Segment[];
}

const ACTIVE: readonly StatusCategory[] = ['new', 'open'];

const done = (c: StatusCategory) => DONE_CATEGORIES.includes(c);

function runMetric(
  ms: Moment[],
  policy: SlaPolicy,
  metric: SlaMetric,
  cal: Calendar,
  targetMs: number,
  now: number,
  explain: boolean,
  countFrom: number | null,
  every?: Cycle[],
): Cycle | null {
  let cur: Cycle | null = null;
  let responded = false;
  const startCycle = (m: Moment): Cycle => {
    const c: Cycle = {
      start: m.at,
      cause: m.cause,
      elapsed: 0,
      breachAt: null,
      stoppedAt: null,
      stoppedByStatus: false,
      segments: [],
    };
    every?.push(c);
    return c;
  };
  const stop = (c: Cycle, m: Moment) => {
    c.stoppedAt = m.at;
    c.stoppedByStatus = !m.response;
  };
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    const isOpen = cur !== null && cur.stoppedAt === null;
    switch (metric) {
      case 'first_response':
        if (i === 0) cur = startCycle(m);
        if (cur && cur.stoppedAt === null && (m.response || done(m.category))) stop(cur, m);
        break;
      case 'next_response':
        if (m.response) {
          if (cur && isOpen) stop(cur, m);
          responded = true;
        } else if (m.customerMessage && responded && !isOpen && !done(m.category)) {
          cur = startCycle(m);
        }
        if (cur && cur.stoppedAt === null && done(m.category)) stop(cur, m);
        break;
      case 'periodic_update':
        if (m.response) {
          if (cur && isOpen) stop(cur, m);
          if (!done(m.category)) cur = startCycle(m);
        }
        if (cur && cur.stoppedAt === null && done(m.category)) stop(cur, m);
        break;
      case 'resolution':
        if (i === 0) cur = startCycle(m);
        if (cur && cur.stoppedAt === null && done(m.category)) {
          cur.stoppedAt = m.at;
          cur.stoppedByStatus = true;
        } else if (cur && cur.stoppedAt !== null && !done(m.category)) {
          // A reopen: the same cycle goes on, or a new one starts, as the policy says.
          if (policy.reopen === 'continue') cur.stoppedAt = null;
          else cur = startCycle(m);
        }
        break;
    }
    if (!cur || cur.stoppedAt !== null) continue;
    const b = ms[i + 1]?.at ?? now;
    // Time before the status is known does not count where the clock counts from then.
    if (countFrom !== null && m.at < countFrom && explain)
      cur.segments.push({
        from: m.at,
        to: Math.min(b, countFrom),
        kind: 'unknown',
        cause: m.cause,
      });
    const a = countFrom !== null ? Math.max(m.at, countFrom) : m.at;
    if (b <= a) continue;
    if (isPaused(policy, metric, m.category)) {
      if (explain)
        cur.segments.push({ from: a, to: b, kind: 'paused', reason: m.category, cause: m.cause });
      continue;
    }
    const span = cal.businessBetween(a, b);
    // Stopping exactly at the due instant meets the target; only time past it breaches.
    if (cur.breachAt === null && cur.elapsed + span > targetMs)
      cur.breachAt = cal.addBusiness(a, targetMs - cur.elapsed);
    cur.elapsed += span;
    if (explain) {
      let t = a;
      for (const [s, e] of cal.openIntervals(a, b)) {
        if (s > t) cur.segments.push({ from: t, to: s, kind: cal.closedReason(t), cause: m.cause });
        cur.segments.push({ from: s, to: e, kind: 'running', cause: m.cause });
        t = e;
      }
      if (t < b) cur.segments.push({ from: t, to: b, kind: cal.closedReason(t), cause: m.cause });
    }
  }
  return cur;
}

/**
 * When the ticket's status is known from, and its category then. Unknown before `known`: first
 * seen open (or new), the ticket is taken as open since creation, which can only overcount; first
 * seen paused or done, the resolution clock counts from then, as nothing says how long it ran
 * before.
 */
function statusKnown(
  ms: readonly Moment[],
  statusKnownFrom: number | null | undefined,
  now: number,
): { known: number | null; firstKnown: StatusCategory | null } {
  const known =
    statusKnownFrom != null && statusKnownFrom > ms[0]!.at && statusKnownFrom <= now
      ? statusKnownFrom
      : null;
  return {
    known,
    firstKnown: known === null ? null : ms.findLast((m) => m.at <= known)!.category,
  };
}

/**
 * The SLA state of a ticket from its event log, at `now`.
 *
 * Per metric, the current cycle: first response (creation to the first response), next
 * response (a customer message after the first response to the next response), periodic
 * update (between responses) and resolution (creation to solved; a reopen continues or
 * restarts, as the policy says). What counts as a response is the policy's (public agent
 * replies by default). A clock stops while the status category is in the metric's pause set,
 * counts business time of `calendar` (or calendar time, per target), and uses the target of
 * the ticket's current priority, keeping elapsed and paused time across a priority change.
 * Events after `now` are ignored and identical duplicates count once, so the same log gives
 * the same answer for the same `now` whatever its order.
 * @example
 * computeSlaState(
 *   [{ type: 'created', at: Date.parse('2026-03-27T09:00:00Z') }, { type: 'priority', at: Date.parse('2026-03-27T09:00:00Z'), priority: 'high' }],
 *   defaultPolicy, calendar24x7, Date.parse('2026-03-27T09:20:00Z'),
 * ).targets[0] // { metric: 'first_response', status: 'running', remainingMs: 2_400_000, ... }
 */
export function computeSlaState(
  events: readonly TicketEvent[],
  policy: SlaPolicy,
  calendar: Calendar,
  now: number,
  opts: { explain?: boolean; statusKnownFrom?: number | null } = {},
): SlaState {
  const ms = moments(events, policy, now);
  const last = ms[ms.length - 1]!;
  const { known, firstKnown } = statusKnown(ms, opts.statusKnownFrom, now);
  const targets: TargetState[] = [];
  for (const metric of SLA_METRICS) {
    const spec = targetFor(policy, metric, last.priority);
    if (!spec) continue;
    const cal = spec.clock === 'calendar' ? calendar24x7 : calendar;
    const targetMs = spec.minutes * 60_000;
    const countFrom =
      metric === 'resolution' && firstKnown !== null && !ACTIVE.includes(firstKnown) ? known : null;
    const cycle = runMetric(
      ms,
      policy,
      metric,
      cal,
      targetMs,
      now,
      opts.explain ?? false,
      countFrom,
    );
    if (!cycle) continue;
    const unknown = known !== null && cycle.start < known;
    const outcomeUnknown =
      unknown && cycle.stoppedByStatus && cycle.stoppedAt !== null && cycle.stoppedAt <= known;
    if (outcomeUnknown) cycle.breachAt = null;
    const remainingMs = targetMs - cycle.elapsed;
    const running =
      cycle.stoppedAt === null && !isPaused(policy, metric, last.category) && !done(last.category);
    const pausedBy = cycle.stoppedAt === null && !running ? last.category : null;
    const breached = cycle.breachAt !== null;
    const dueAt = cycle.breachAt ?? (running ? cal.addBusiness(now, remainingMs) : null);
    targets.push({
      metric,
      status: breached
        ? 'breached'
        : cycle.stoppedAt !== null
          ? 'met'
          : running
            ? 'running'
            : 'paused',
      breached,
      clock: spec.clock,
      targetMs,
      cycleStart: cycle.start,
      elapsedMs: cycle.elapsed,
      remainingMs,
      dueAt,
      calendarMsToDue: dueAt === null ? null : dueAt - now,
      stoppedAt: cycle.stoppedAt,
      pausedBy,
      percentUsed: Math.round((cycle.elapsed / targetMs) * 1000) / 10,
      ...(opts.explain ? { segments: cycle.segments } : {}),
      ...(unknown ? { unknownBefore: known } : {}),
      ...(outcomeUnknown ? { outcomeUnknown: true as const } : {}),
      ...(countFrom !== null ? { countsFrom: countFrom } : {}),
    });
  }
  return {
    computedAt: now,
    calendarId: calendar.id,
    priority: last.priority,
    category: last.category,
    targets,
    ...(known !== null ? { statusKnownFrom: known } : {}),
  };
}

/** One cycle of one metric, as the engine ran it (metrics read every cycle, not only the last). */
export interface SlaCycle {
  metric: SlaMetric;
  start: number;
  /** When the clock stopped for good (a response, or a done status), null while it goes on. */
  stoppedAt: number | null;
  /** Stopped by a done status rather than by a response (for response metrics: no response). */
  stoppedByStatus: boolean;
  /** Counted time to `stoppedAt` (or `now`), pauses excluded: in the ticket's calendar, and in 24x7 time. */
  businessMs: number;
  calendarMs: number;
  /** The target and its clock at the ticket's current priority. */
  targetMs: number;
  clock: 'business' | 'calendar';
  /** The instant the target was missed, once it was (on the target's own clock). */
  breachAt: number | null;
  /**
   * For a clock running at `now` and not yet breached: its due instant, and the instant of its
   * first warning (at or before `now` when already passed). Null while paused or stopped: a
   * paused clock's instants are not known until it runs again, and that is a new event.
   */
  dueAt: number | null;
  warnAt: number | null;
  /** Starts before the ticket's status is known: its numbers rest on what nobody saw. */
  unknown: boolean;
}

/**
 * Every cycle of every metric with a target, from the event log at `now`, with its time counted
 * both in the policy's calendar and in calendar (24x7) time. `computeSlaState` reports only the
 * current cycle; this is the same run, keeping the earlier ones.
 */
export function computeSlaCycles(
  events: readonly TicketEvent[],
  policy: SlaPolicy,
  calendar: Calendar,
  now: number,
  opts: { statusKnownFrom?: number | null } = {},
): SlaCycle[] {
  const ms = moments(events, policy, now);
  const last = ms[ms.length - 1]!;
  const { known, firstKnown } = statusKnown(ms, opts.statusKnownFrom, now);
  const out: SlaCycle[] = [];
  for (const metric of SLA_METRICS) {
    const spec = targetFor(policy, metric, last.priority);
    if (!spec) continue;
    const targetMs = spec.minutes * 60_000;
    const countFrom =
      metric === 'resolution' && firstKnown !== null && !ACTIVE.includes(firstKnown) ? known : null;
    const run = (cal: Calendar) => {
      const every: Cycle[] = [];
      runMetric(ms, policy, metric, cal, targetMs, now, false, countFrom, every);
      return every;
    };
    const business = run(calendar);
    const wall = calendar === calendar24x7 ? business : run(calendar24x7);
    const own = spec.clock === 'calendar' ? wall : business;
    const ownCal = spec.clock === 'calendar' ? calendar24x7 : calendar;
    const warnMs = Math.min(
      ...policy.warnings.percents.map((p) => (targetMs * p) / 100),
      ...policy.warnings.beforeDueMinutes.map((m) => targetMs - m * 60_000).filter((x) => x > 0),
      targetMs,
    );
    const running = !isPaused(policy, metric, last.category) && !done(last.category);
    business.forEach((c, i) => {
      const unknown = known !== null && c.start < known;
      const outcomeUnknown =
        unknown && c.stoppedByStatus && c.stoppedAt !== null && c.stoppedAt <= known;
      const o = own[i]!;
      const ahead = running && c.stoppedAt === null && o.breachAt === null;
      out.push({
        metric,
        start: c.start,
        stoppedAt: c.stoppedAt,
        stoppedByStatus: c.stoppedByStatus,
        businessMs: c.elapsed,
        calendarMs: wall[i]!.elapsed,
        targetMs,
        clock: spec.clock,
        breachAt: outcomeUnknown ? null : o.breachAt,
        dueAt: ahead ? ownCal.addBusiness(now, targetMs - o.elapsed) : null,
        warnAt: ahead
          ? o.elapsed >= warnMs
            ? now
            : ownCal.addBusiness(now, warnMs - o.elapsed)
          : null,
        unknown,
      });
    });
  }
  return out;
}

/**
 * Moves a computed target forward to `now` without the event log, as the overlay does every
 * second: only a running clock advances, in its own clock's time. Pure; the input is not changed.
 */
export function projectTarget(
  t: TargetState,
  calendar: Calendar,
  computedAt: number,
  now: number,
): TargetState {
  if (t.stoppedAt !== null || t.pausedBy !== null) return t;
  const cal = t.clock === 'calendar' ? calendar24x7 : calendar;
  const elapsedMs = t.elapsedMs + cal.businessBetween(computedAt, Math.max(computedAt, now));
  const remainingMs = t.targetMs - elapsedMs;
  const breached = t.breached || remainingMs < 0;
  return {
    ...t,
    elapsedMs,
    remainingMs,
    breached,
    status: breached ? 'breached' : 'running',
    calendarMsToDue: t.dueAt === null ? null : t.dueAt - now,
    percentUsed: Math.round((elapsedMs / t.targetMs) * 1000) / 10,
  };
}

/** A moment at which an alert is due: a warning threshold or the breach of one target's cycle. */
export interface SlaInstant {
  /** Unique per ticket, metric, cycle and level: an alert fires once per key. */
  key: string;
  metric: SlaMetric;
  level: string;
  at: number;
}

/**
 * The alert instants of a state's running targets: each warning threshold (percentages of the
 * target, and fixed business-time offsets before the due instant) still ahead, and the breach.
 * Of the thresholds already passed, only the highest is returned (at `computedAt`), so a late
 * observation or a policy change raises one alert, not a burst. Paused and stopped clocks have
 * none: their instants are not known until they run again.
 */
export function slaInstants(state: SlaState, policy: SlaPolicy, calendar: Calendar): SlaInstant[] {
  const out: SlaInstant[] = [];
  const now = state.computedAt;
  for (const t of state.targets) {
    if (t.stoppedAt !== null || t.pausedBy !== null) continue;
    const cal = t.clock === 'calendar' ? calendar24x7 : calendar;
    const base = `${t.metric}:${t.cycleStart}`;
    const levels = [
      ...policy.warnings.percents.map((p) => ({
        level: `warn:${p}%`,
        threshold: (t.targetMs * p) / 100,
      })),
      ...policy.warnings.beforeDueMinutes.map((m) => ({
        level: `warn:${m}m`,
        threshold: t.targetMs - m * 60_000,
      })),
    ].filter((l) => l.threshold > 0);
    let passed: { level: string; threshold: number } | null = null;
    for (const l of levels) {
      if (l.threshold > t.elapsedMs)
        out.push({
          key: `${base}:${l.level}`,
          metric: t.metric,
          level: l.level,
          at: cal.addBusiness(now, l.threshold - t.elapsedMs),
        });
      else if (!t.breached && (!passed || l.threshold > passed.threshold)) passed = l;
    }
    if (passed)
      out.push({ key: `${base}:${passed.level}`, metric: t.metric, level: passed.level, at: now });
    out.push({
      key: `${base}:breach`,
      metric: t.metric,
      level: 'breach',
      at: t.dueAt!, // running: the due instant, past once breached
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
