import { Temporal } from 'temporal-polyfill';
import type { SlaMetric } from '../sla/metrics.js';
import { answered, breachInstant, dayPeriods, localDay, type Period } from './definitions.js';
import { isDone, type TicketMetricFacts } from './facts.js';
import {
  GLANCE_METRICS,
  resolvePeriod,
  type Glance,
  type GlanceCard,
  type GlanceMetric,
  type PeriodSpec,
} from './glance.js';

/**
 * Daily rollups (issue #18, docs/metrics.md). A ticket's figures all count at instants: its
 * creation, a solve or a reopen, a response or resolution time where its clock stopped, a met
 * target or a breach, the start and end of a spell in the backlog. These are its metric points,
 * derived from its facts (the SLA engine's cycles) by the definitions in `definitions.ts`; a
 * figure over a period is a sum (or, for times, the median of the samples) of the points in it.
 * Points are kept per ticket and summed per local day and filter dimensions; a change to a
 * ticket replaces its points and applies the difference to the days it touches.
 */

export const TIME_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type TimeMetricName = (typeof TIME_METRICS)[number];
const isTimeMetric = (m: string): m is TimeMetricName =>
  (TIME_METRICS as readonly string[]).includes(m);

export type PointKind =
  | 'created'
  | 'solved'
  | 'reopened'
  /** A response or resolution time: `businessMs` and `calendarMs` at `at` (its clock's stop). */
  | TimeMetricName
  /** A time left out because its cycle began before the ticket's status was known. */
  | `${TimeMetricName}_x`
  | 'met'
  | 'breach'
  /** A concluded target left out (its cycle began before the status was known). */
  | 'compliance_x'
  /** In the backlog from just after `at` (`open_end`: up to and including `at`). */
  | 'open_start'
  | 'open_end'
  /** Existing with its status unknown, from just after `at` (`unknown_end`: up to `at`). */
  | 'unknown_start'
  | 'unknown_end'
  /** A running target at risk from `at` (its first warning) until `until` (its due instant). */
  | 'risk';

export interface MetricPoint {
  kind: PointKind;
  at: number;
  metric?: SlaMetric | undefined;
  until?: number | undefined;
  businessMs?: number | undefined;
  calendarMs?: number | undefined;
}

/**
 * The metric points of one ticket, from its facts. Computed once at any instant after its last
 * event, they stay right as time passes with no event: a breach of a running clock counts at its
 * due instant (`breachInstant` at an infinitely late now), which no query sees before it comes.
 */
export function metricPoints(f: TicketMetricFacts): MetricPoint[] {
  const out: MetricPoint[] = [{ kind: 'created', at: f.createdAt }];
  const unseen = (t: number) => f.knownFrom !== null && t <= f.knownFrom;
  for (let i = 1; i < f.statuses.length; i++) {
    const s = f.statuses[i]!;
    if (unseen(s.from)) continue;
    const was = isDone(f.statuses[i - 1]!.category);
    if (!was && isDone(s.category)) out.push({ kind: 'solved', at: s.from });
    else if (was && !isDone(s.category)) out.push({ kind: 'reopened', at: s.from });
  }
  // Backlog at t (`backlogAt`): the span in force just before t is open, t after creation and
  // after the instant the status is known; excluded (unknown) from creation to that instant.
  if (f.knownFrom !== null && f.knownFrom > f.createdAt) {
    out.push({ kind: 'unknown_start', at: f.createdAt }, { kind: 'unknown_end', at: f.knownFrom });
  }
  f.statuses.forEach((s, i) => {
    if (isDone(s.category)) return;
    const from = f.knownFrom !== null ? Math.max(s.from, f.knownFrom) : s.from;
    const to = f.statuses[i + 1]?.from ?? Infinity;
    if (from >= to) return;
    out.push({ kind: 'open_start', at: from });
    if (to !== Infinity) out.push({ kind: 'open_end', at: to });
  });
  for (const c of f.cycles) {
    if (isTimeMetric(c.metric) && c.stoppedAt !== null && answered(c))
      out.push(
        c.unknown
          ? { kind: `${c.metric}_x`, at: c.stoppedAt }
          : {
              kind: c.metric,
              at: c.stoppedAt,
              businessMs: c.businessMs,
              calendarMs: c.calendarMs,
            },
      );
    const breach = breachInstant(c, Infinity);
    if (breach !== null)
      out.push({ kind: c.unknown ? 'compliance_x' : 'breach', at: breach, metric: c.metric });
    else if (c.stoppedAt !== null && answered(c))
      out.push({ kind: c.unknown ? 'compliance_x' : 'met', at: c.stoppedAt, metric: c.metric });
    if (c.stoppedAt === null && c.dueAt !== null && c.warnAt !== null)
      out.push({ kind: 'risk', at: c.warnAt, until: c.dueAt, metric: c.metric });
  }
  return out;
}

/** Points summed: counts by kind, and each time metric's samples (business and calendar ms). */
export interface Agg {
  counts: Partial<Record<PointKind, number>>;
  samples: Partial<Record<`${TimeMetricName}:${'b' | 'c'}`, number[]>>;
}

export const emptyAgg = (): Agg => ({ counts: {}, samples: {} });

function removeOne(list: number[], v: number) {
  const i = list.indexOf(v);
  if (i < 0) throw new Error(`rollup sample ${v} not found: the rollup is out of step`);
  list.splice(i, 1);
}

/** Adds (`sign` 1) or takes away (-1) a point from a sum; `risk` points are not summed. */
export function applyPoint(agg: Agg, p: MetricPoint, sign: 1 | -1): void {
  if (p.kind === 'risk') return;
  if (isTimeMetric(p.kind)) {
    for (const [k, v] of [
      [`${p.kind}:b`, p.businessMs!],
      [`${p.kind}:c`, p.calendarMs!],
    ] as const) {
      const list = (agg.samples[k] ??= []);
      if (sign > 0) list.push(v);
      else removeOne(list, v);
      if (list.length === 0) delete agg.samples[k];
    }
    return;
  }
  const n = (agg.counts[p.kind] ?? 0) + sign;
  if (n === 0) delete agg.counts[p.kind];
  else agg.counts[p.kind] = n;
}

/** Sums `b` into `a`. */
export function mergeAgg(a: Agg, b: Agg): Agg {
  for (const [k, v] of Object.entries(b.counts) as [PointKind, number][])
    a.counts[k] = (a.counts[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.samples) as [keyof Agg['samples'], number[]][]) {
    const list = (a.samples[k] ??= []);
    for (const x of v) list.push(x);
  }
  return a;
}

export const isEmptyAgg = (a: Agg) =>
  Object.keys(a.counts).length === 0 && Object.keys(a.samples).length === 0;

/** A point's identity, for the difference between a ticket's old and new points. */
export const pointKey = (p: MetricPoint) =>
  `${p.kind}|${p.at}|${p.metric ?? ''}|${p.until ?? ''}|${p.businessMs ?? ''}|${p.calendarMs ?? ''}`;

/** The points to take away and to add to go from `before` to `after` (as multisets). */
export function diffPoints<P extends MetricPoint>(
  before: readonly P[],
  after: readonly P[],
  key: (p: P) => string = pointKey,
): { removed: P[]; added: P[] } {
  const left = new Map<string, P[]>();
  for (const p of before) {
    const k = key(p);
    const l = left.get(k);
    if (l) l.push(p);
    else left.set(k, [p]);
  }
  const added: P[] = [];
  for (const p of after) {
    const l = left.get(key(p));
    if (l?.length) l.pop();
    else added.push(p);
  }
  return { removed: [...left.values()].flat(), added };
}

/**
 * Median and nearest-rank p90 of samples, by the definitions of `median` and `percentile`
 * (one numeric sort of a typed copy, for the tens of thousands of samples of a large month).
 */
export function sampleStats(values: readonly number[]) {
  if (values.length === 0) return { count: 0, median: null, p90: null };
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return {
    count: s.length,
    median: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2,
    p90: s[Math.max(0, Math.ceil(0.9 * s.length) - 1)]!,
  };
}

const QUARTER = 15 * 60_000;
const DAY_MS = 86_400_000;
const offsets = new Map<string, Map<number, number | null>>();
function offsetAt(t: number, timeZone: string) {
  return (
    Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6
  );
}

/**
 * `localDay`, fast for the millions of points of a rollup build: the zone's offset is looked up
 * once per quarter hour (and the exact `localDay` used within a quarter where it changes).
 * @example dayOf(Date.parse('2026-03-29T22:30:00Z'), 'Europe/Amsterdam') // '2026-03-30'
 */
export function dayOf(t: number, timeZone: string): string {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  if (zone.size > 200_000) zone.clear();
  // A UTC day with one offset throughout (most), else its quarter hours, else the exact way.
  const day = -1 - Math.floor(t / DAY_MS);
  let off = zone.get(day);
  if (off === undefined) {
    const a = offsetAt(-(day + 1) * DAY_MS, timeZone);
    off = a === offsetAt(-day * DAY_MS - 1, timeZone) ? a : null;
    zone.set(day, off);
  }
  if (off === null) {
    const q = Math.floor(t / QUARTER);
    off = zone.get(q);
    if (off === undefined) {
      const a = offsetAt(q * QUARTER, timeZone);
      off = a === offsetAt(q * QUARTER + QUARTER - 1, timeZone) ? a : null;
      zone.set(q, off);
    }
  }
  if (off === null) return localDay(t, timeZone);
  return new Date(t + off).toISOString().slice(0, 10);
}

/** A part of the points: one whole local day (from the rollups) or a span within a day. */
export type Piece = { day: string } | { part: Period };

/**
 * The pieces a span of instants is made of in a time zone: every whole local day over by `now`
 * is read from the day rollups, the rest (today, a day cut at some time) from the points.
 * `days`: the zone's local days covering the span (and maybe more), when already known.
 */
export function pieces(
  p: Period,
  timeZone: string,
  now: number,
  days: (Period & { day: string })[] = p.from >= p.to
    ? []
    : dayPeriods(dayOf(p.from, timeZone), dayOf(p.to - 1, timeZone), timeZone),
): Piece[] {
  if (p.from >= p.to) return [];
  const out: Piece[] = [];
  for (const d of days) {
    const from = Math.max(d.from, p.from);
    const to = Math.min(d.to, p.to);
    if (from >= to) continue;
    if (from === d.from && to === d.to && d.to <= now) out.push({ day: d.day });
    else out.push({ part: { from, to } });
  }
  return out;
}

/** Where a rollup glance reads its sums. */
export interface RollupSource {
  /** The sums of the given whole days and parts, in one go. */
  load(days: string[], parts: Period[]): Promise<{ days: Map<string, Agg>; parts: Agg[] }>;
  /** Every open and unknown spell point ever, summed: the backlog now. */
  totals: { open: number; unknown: number };
  /** Targets at risk at `now`. */
  atRisk: number;
}

const count = (a: Agg, k: PointKind) => a.counts[k] ?? 0;

/**
 * The glance (`glance` in glance.ts: same cards, same definitions) from rollups: every figure
 * over a period is a sum of the points in it, and the backlog at an instant is the backlog now
 * less the open-spell points since. Equal to `glance` over the tickets' facts (rollup.test.ts).
 */
export async function rollupGlance(
  src: RollupSource,
  spec: PeriodSpec,
  timeZone: string,
  now: number,
  targets: Partial<Record<GlanceMetric, number>> = {},
): Promise<Glance> {
  const rp = resolvePeriod(spec, timeZone, now);
  const today = dayOf(now, timeZone);
  const endOfToday = Temporal.PlainDate.from(today)
    .add({ days: 1 })
    .toZonedDateTime({ timeZone }).epochMilliseconds;
  // Every day from the previous period's first to today: the backlog at an instant is the
  // backlog now less the spell points since, summed from the days after it.
  const allDays = dayPeriods(dayOf(Math.min(rp.previous.from, now), timeZone), today, timeZone);
  const dayPiece = (d: (typeof allDays)[number]): Piece =>
    d.to <= now ? { day: d.day } : { part: { from: d.from, to: Math.max(d.from, now) } };
  const tail: Piece = { part: { from: now, to: endOfToday } };
  /** The day an instant falls strictly inside of, with the part of it before the instant. */
  const cutAt = (t: number) => {
    const k = allDays.findIndex((d) => d.from < t && t < d.to);
    return k < 0 ? null : { k, before: { part: { from: allDays[k]!.from, to: t } } as Piece };
  };
  const instants = [
    Math.min(rp.current.to, now),
    Math.min(rp.previous.to, now),
    ...rp.days.map((d) => Math.min(d.to, now)),
  ];
  const windows = [rp.current, rp.previous, ...rp.days].map((w) =>
    pieces(w, timeZone, now, allDays),
  );
  const all: Piece[] = [
    ...windows.flat(),
    ...allDays.map(dayPiece),
    tail,
    ...instants.flatMap((t) => cutAt(t)?.before ?? []),
  ];
  const partKey = (p: Period) => `${p.from}:${p.to}`;
  const dayList = [...new Set(all.flatMap((p) => ('day' in p ? [p.day] : [])))];
  const partList = new Map<string, Period>();
  for (const p of all) if ('part' in p) partList.set(partKey(p.part), p.part);
  const loaded = await src.load(dayList, [...partList.values()]);
  const partAgg = new Map([...partList.keys()].map((k, i) => [k, loaded.parts[i]!]));
  const aggOf = (p: Piece) =>
    ('day' in p ? loaded.days.get(p.day) : partAgg.get(partKey(p.part))) ?? emptyAgg();
  const sum = (list: Piece[]) => {
    const a = emptyAgg();
    for (const p of list) mergeAgg(a, aggOf(p));
    return a;
  };
  const cur = sum(windows[0]!);
  const prev = sum(windows[1]!);
  const dayAggs = rp.days.map((_, i) => sum(windows[2 + i]!));
  // Spell points from each day on: suffix[i] = days i.. to today, and what is after now.
  const spell = (a: Agg) => ({
    open: count(a, 'open_start') - count(a, 'open_end'),
    unknown: count(a, 'unknown_start') - count(a, 'unknown_end'),
  });
  const suffix = allDays.map(() => ({ open: 0, unknown: 0 }));
  let acc = spell(aggOf(tail));
  for (let i = allDays.length - 1; i >= 0; i--) {
    const d = spell(aggOf(dayPiece(allDays[i]!)));
    acc = { open: acc.open + d.open, unknown: acc.unknown + d.unknown };
    suffix[i] = acc;
  }
  const backlogAt = (t: number) => {
    const first = allDays.findIndex((d) => d.from >= t);
    const after = first < 0 ? spell(aggOf(tail)) : suffix[first]!;
    let open = src.totals.open - after.open;
    let unknown = src.totals.unknown - after.unknown;
    const cut = cutAt(t);
    if (cut) {
      // The rest of the day t falls in: the whole day (to now) less its part before t.
      const whole = spell(aggOf(dayPiece(allDays[cut.k]!)));
      const before = spell(aggOf(cut.before));
      open -= whole.open - before.open;
      unknown -= whole.unknown - before.unknown;
    }
    return { open, excludedUnknown: unknown };
  };
  const curBacklog = backlogAt(instants[0]!);
  const prevBacklog = backlogAt(instants[1]!);
  const dayBacklog = rp.days.map((_, i) => backlogAt(instants[2 + i]!));

  const value = (
    metric: GlanceMetric,
    a: Agg,
    period: Period,
    backlog: { open: number },
  ): number | null => {
    switch (metric) {
      case 'first_response':
      case 'next_response':
      case 'resolution':
        return sampleStats(a.samples[`${metric}:b`] ?? []).median;
      case 'compliance': {
        const met = count(a, 'met');
        const concluded = met + count(a, 'breach');
        return concluded ? met / concluded : null;
      }
      case 'breaches':
        return count(a, 'breach');
      case 'at_risk':
        return period.to >= now ? src.atRisk : null;
      case 'backlog':
        return backlog.open;
      case 'created':
      case 'solved':
      case 'reopened':
        return count(a, metric);
    }
  };
  const detail = (metric: GlanceMetric): GlanceCard['detail'] => {
    if (isTimeMetric(metric)) {
      const b = sampleStats(cur.samples[`${metric}:b`] ?? []);
      const c = sampleStats(cur.samples[`${metric}:c`] ?? []);
      return {
        count: b.count,
        p90: b.p90,
        calendarMedian: c.median,
        calendarP90: c.p90,
        excludedUnknown: count(cur, `${metric}_x`),
      };
    }
    if (metric === 'compliance' || metric === 'breaches') {
      const met = count(cur, 'met');
      return {
        met,
        count: met + count(cur, 'breach'),
        excludedUnknown: count(cur, 'compliance_x'),
      };
    }
    if (metric === 'backlog') return { excludedUnknown: curBacklog.excludedUnknown };
    return {};
  };
  return {
    from: rp.current.from,
    to: rp.current.to,
    previousFrom: rp.previous.from,
    previousTo: rp.previous.to,
    timeZone,
    cards: GLANCE_METRICS.map((metric) => ({
      metric,
      value: value(metric, cur, rp.current, curBacklog),
      previous: value(metric, prev, rp.previous, prevBacklog),
      target: targets[metric] ?? null,
      series: rp.days.map((d, i) => ({
        day: d.day,
        value: d.from >= d.to ? null : value(metric, dayAggs[i]!, d, dayBacklog[i]!),
      })),
      detail: detail(metric),
    })),
  };
}
