import { Temporal } from 'temporal-polyfill';
import type { StatusCategory } from '../constants.js';
import type { SlaCycle } from '../sla/state.js';
import type { SlaMetric } from '../sla/metrics.js';
import { isDone, type TicketMetricFacts } from './facts.js';

/** A half-open span of instants, [from, to). */
export interface Period {
  from: number;
  to: number;
}

const within = (t: number | null, p: Period): t is number => t !== null && t >= p.from && t < p.to;

/**
 * The median: the middle value, or the mean of the two middle values of an even count.
 * @example median([1, 2, 3, 10]) // 2.5
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p`% of values at or below it.
 * @example percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) // 9
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

export interface Durations {
  count: number;
  median: number | null;
  p90: number | null;
}

const durations = (values: number[]): Durations => ({
  count: values.length,
  median: median(values),
  p90: percentile(values, 90),
});

export interface TimeMetric {
  metric: SlaMetric;
  business: Durations;
  calendar: Durations;
  /** Cycles that concluded in the period but began before their ticket's status was known. */
  excludedUnknown: number;
  /** The cycles counted, for the list behind the number. */
  tickets: {
    ticketId: string;
    start: number;
    stoppedAt: number;
    businessMs: number;
    calendarMs: number;
  }[];
}

/** A response cycle ended by a done status had no response: it has no response time. */
export const answered = (c: SlaCycle) => c.metric === 'resolution' || !c.stoppedByStatus;

/**
 * Response and resolution times: every cycle of `metric` whose clock stopped in the period
 * (for response metrics, by a response), its counted time (pauses excluded) in the ticket's
 * business calendar and in calendar time; median and p90 of each. Cycles that began before the
 * ticket's status was known are left out and counted in `excludedUnknown`.
 */
export function timeMetric(
  facts: readonly TicketMetricFacts[],
  metric: SlaMetric,
  period: Period,
): TimeMetric {
  const business: number[] = [];
  const calendar: number[] = [];
  const tickets: TimeMetric['tickets'] = [];
  let excludedUnknown = 0;
  for (const f of facts)
    for (const c of f.cycles) {
      if (c.metric !== metric || !within(c.stoppedAt, period) || !answered(c)) continue;
      if (c.unknown) {
        excludedUnknown++;
        continue;
      }
      business.push(c.businessMs);
      calendar.push(c.calendarMs);
      tickets.push({
        ticketId: f.ticketId,
        start: c.start,
        stoppedAt: c.stoppedAt,
        businessMs: c.businessMs,
        calendarMs: c.calendarMs,
      });
    }
  return {
    metric,
    business: durations(business),
    calendar: durations(calendar),
    excludedUnknown,
    tickets,
  };
}

/**
 * When a cycle's target was missed, as known at `now`: the engine's breach instant, or for a
 * clock that was running when last computed, its due instant once `now` is past it.
 */
export function breachInstant(c: SlaCycle, now: number): number | null {
  if (c.breachAt !== null) return c.breachAt <= now ? c.breachAt : null;
  if (c.stoppedAt === null && c.dueAt !== null && c.dueAt <= now) return c.dueAt;
  return null;
}

export interface Compliance {
  met: number;
  breached: number;
  /** met / (met + breached), null when nothing concluded. */
  rate: number | null;
  excludedUnknown: number;
  breaches: { ticketId: string; metric: SlaMetric; at: number }[];
}

/**
 * SLA compliance: targets met / targets concluded in the period. A target concludes when its
 * clock stops within it (met), or when it is missed within it (breached, counted once per
 * cycle at the breach instant, whether the clock then stopped or still runs). A response
 * target ended by a done status with no response is neither. Cycles that began before the
 * ticket's status was known are left out and counted. `metric` absent: all metrics together.
 */
export function compliance(
  facts: readonly TicketMetricFacts[],
  period: Period,
  now: number,
  metric?: SlaMetric,
): Compliance {
  let met = 0;
  let excludedUnknown = 0;
  const breaches: Compliance['breaches'] = [];
  for (const f of facts)
    for (const c of f.cycles) {
      if (metric && c.metric !== metric) continue;
      const breach = breachInstant(c, now);
      const metIn = breach === null && within(c.stoppedAt, period) && answered(c);
      const breachIn = within(breach, period);
      if (!metIn && !breachIn) continue;
      if (c.unknown) {
        excludedUnknown++;
        continue;
      }
      if (metIn) met++;
      else breaches.push({ ticketId: f.ticketId, metric: c.metric, at: breach! });
    }
  const concluded = met + breaches.length;
  return {
    met,
    breached: breaches.length,
    rate: concluded ? met / concluded : null,
    excludedUnknown,
    breaches,
  };
}

export interface AtRisk {
  ticketId: string;
  metric: SlaMetric;
  dueAt: number;
  /** Calendar time from `now` to the due instant. */
  msLeft: number;
  assignee: string | null;
}

/**
 * At risk now: running targets past their first warning and not yet due, soonest due first.
 * Known from the last computation of each ticket (a paused clock is not at risk).
 */
export function atRisk(facts: readonly TicketMetricFacts[], now: number): AtRisk[] {
  const out: AtRisk[] = [];
  for (const f of facts)
    for (const c of f.cycles)
      if (c.stoppedAt === null && c.dueAt !== null && c.warnAt !== null)
        if (c.warnAt <= now && now < c.dueAt)
          out.push({
            ticketId: f.ticketId,
            metric: c.metric,
            dueAt: c.dueAt,
            msLeft: c.dueAt - now,
            assignee: f.assignee,
          });
  return out.sort((a, b) => a.dueAt - b.dueAt);
}

/** The category of a ticket at instant `t` (its last change before `t`), or null before creation. */
export function categoryAt(f: TicketMetricFacts, t: number): StatusCategory | null {
  if (t <= f.createdAt) return null;
  let cat: StatusCategory | null = null;
  for (const s of f.statuses) {
    if (s.from >= t) break;
    cat = s.category;
  }
  return cat;
}

export const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
const DAY = 86_400_000;

/** Age bucket of a ticket `ageMs` old: under 1 day, 1 to 3, 3 to 7, over 7 (lower bounds inclusive). */
export function ageBucket(ageMs: number): AgeBucket {
  return ageMs < DAY ? '<1d' : ageMs < 3 * DAY ? '1-3d' : ageMs < 7 * DAY ? '3-7d' : '>7d';
}

export interface BacklogPoint {
  /** The instant the backlog is taken at: the end of the day. */
  at: number;
  open: number;
  byCategory: Partial<Record<StatusCategory, number>>;
  byAge: Record<AgeBucket, number>;
  /** Tickets that existed then but whose status then is unknown. */
  excludedUnknown: number;
}

/**
 * Backlog at the instant `at` (the end of a day): tickets created before it, not solved or
 * closed at it, by status category and by age (`at` minus creation). A ticket whose status at
 * `at` is unknown (before it was first seen with history) is left out and counted.
 */
export function backlogAt(facts: readonly TicketMetricFacts[], at: number): BacklogPoint {
  const p: BacklogPoint = {
    at,
    open: 0,
    byCategory: {},
    byAge: { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 },
    excludedUnknown: 0,
  };
  for (const f of facts) {
    const cat = categoryAt(f, at);
    if (cat === null) continue;
    if (f.knownFrom !== null && at <= f.knownFrom) {
      p.excludedUnknown++;
      continue;
    }
    if (isDone(cat)) continue;
    p.open++;
    p.byCategory[cat] = (p.byCategory[cat] ?? 0) + 1;
    p.byAge[ageBucket(at - f.createdAt)]++;
  }
  return p;
}

export interface VolumePoint {
  created: number;
  solved: number;
  reopened: number;
}

/**
 * Volume in a period: tickets created in it; tickets solved in it (a change from an open
 * category to solved or closed, so solved then closed counts once); tickets reopened in it (a
 * change from solved or closed back to an open category). Changes known only because the
 * ticket was first seen that way (at its `knownFrom`) are not counted: nobody saw them happen.
 */
export function volume(facts: readonly TicketMetricFacts[], period: Period): VolumePoint {
  const v: VolumePoint = { created: 0, solved: 0, reopened: 0 };
  for (const f of facts) {
    if (within(f.createdAt, period)) v.created++;
    for (let i = 1; i < f.statuses.length; i++) {
      const s = f.statuses[i]!;
      if (!within(s.from, period) || (f.knownFrom !== null && s.from <= f.knownFrom)) continue;
      const was = isDone(f.statuses[i - 1]!.category);
      if (!was && isDone(s.category)) v.solved++;
      else if (was && !isDone(s.category)) v.reopened++;
    }
  }
  return v;
}

/**
 * The days from `from` to `to` (inclusive, ISO dates) in a time zone, each as its instants
 * [start of day, start of next day): 23 or 25 hours long across a DST change.
 */
export function dayPeriods(
  from: string,
  to: string,
  timeZone: string,
): (Period & { day: string })[] {
  const out: (Period & { day: string })[] = [];
  const last = Temporal.PlainDate.from(to);
  for (
    let d = Temporal.PlainDate.from(from);
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  )
    out.push({
      day: d.toString(),
      from: d.toZonedDateTime({ timeZone }).epochMilliseconds,
      to: d.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds,
    });
  return out;
}

/** The local date of an instant in a time zone. */
export function localDay(t: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(t)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}

export interface FactsFilter {
  sources?: string[] | undefined;
  priorities?: string[] | undefined;
  tags?: string[] | undefined;
  assignees?: string[] | undefined;
}

/** Tickets matching every given filter (a tag filter matches a ticket with any of the tags). */
export function filterFacts<
  F extends Pick<TicketMetricFacts, 'source' | 'priority' | 'tags' | 'assignee'>,
>(facts: readonly F[], q: FactsFilter): F[] {
  return facts.filter(
    (f) =>
      (!q.sources?.length || q.sources.includes(f.source)) &&
      (!q.priorities?.length || q.priorities.includes(f.priority)) &&
      (!q.tags?.length || q.tags.some((t) => f.tags.includes(t))) &&
      (!q.assignees?.length || (f.assignee !== null && q.assignees.includes(f.assignee))),
  );
}
