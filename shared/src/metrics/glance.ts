import { Temporal } from 'temporal-polyfill';
import {
  atRisk,
  backlogAt,
  compliance,
  dayPeriods,
  timeMetric,
  volume,
  type Period,
} from './definitions.js';
import type { TicketMetricFacts } from './facts.js';

/** The metrics on the manager's glance screen, in card order. */
export const GLANCE_METRICS = [
  'first_response',
  'next_response',
  'resolution',
  'compliance',
  'breaches',
  'at_risk',
  'backlog',
  'created',
  'solved',
  'reopened',
] as const;
export type GlanceMetric = (typeof GLANCE_METRICS)[number];

export interface GlanceMetricInfo {
  label: string;
  /** `duration`: milliseconds of business time; `rate`: 0..1; `count`: tickets or targets. */
  unit: 'duration' | 'rate' | 'count';
  /** Which way is good, for the trend arrow and the target. */
  better: 'lower' | 'higher';
}

export const GLANCE_METRIC_INFO: Record<GlanceMetric, GlanceMetricInfo> = {
  first_response: { label: 'First response (median)', unit: 'duration', better: 'lower' },
  next_response: { label: 'Next response (median)', unit: 'duration', better: 'lower' },
  resolution: { label: 'Resolution time (median)', unit: 'duration', better: 'lower' },
  compliance: { label: 'SLA compliance', unit: 'rate', better: 'higher' },
  breaches: { label: 'Breaches', unit: 'count', better: 'lower' },
  at_risk: { label: 'At risk now', unit: 'count', better: 'lower' },
  backlog: { label: 'Backlog (open at end)', unit: 'count', better: 'lower' },
  created: { label: 'Created', unit: 'count', better: 'lower' },
  solved: { label: 'Solved', unit: 'count', better: 'higher' },
  reopened: { label: 'Reopened', unit: 'count', better: 'lower' },
};

export type PeriodName = 'today' | '7d' | '30d' | 'custom';
export interface PeriodSpec {
  period: PeriodName;
  /** ISO dates, inclusive, for `custom`. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface ResolvedPeriod {
  current: Period;
  /** The period before, of the same length in local days (and for today, up to the same time). */
  previous: Period;
  /** The local days of the current period, the last cut at `now`: the sparkline's points. */
  days: (Period & { day: string })[];
}

const startOf = (d: Temporal.PlainDate, timeZone: string) =>
  d.toZonedDateTime({ timeZone }).epochMilliseconds;

/**
 * The instants a named period covers in a time zone at `now`: today (since local midnight), the
 * last 7 or 30 local days including today, or custom dates (inclusive, cut at `now`); and the
 * period before it. Days are local days, so one across a DST change is 23 or 25 hours.
 * @example resolvePeriod({ period: '7d' }, 'Europe/Amsterdam', now).days.length // 7
 */
export function resolvePeriod(spec: PeriodSpec, timeZone: string, now: number): ResolvedPeriod {
  const nowZ = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone);
  const today = nowZ.toPlainDate();
  let first: Temporal.PlainDate;
  let last: Temporal.PlainDate;
  if (spec.period === 'custom') {
    if (!spec.from || !spec.to) throw new RangeError('a custom period needs from and to');
    first = Temporal.PlainDate.from(spec.from);
    last = Temporal.PlainDate.from(spec.to);
    if (Temporal.PlainDate.compare(last, today) > 0) last = today;
  } else {
    const n = spec.period === 'today' ? 1 : spec.period === '7d' ? 7 : 30;
    first = today.subtract({ days: n - 1 });
    last = today;
  }
  const n = first.until(last, { largestUnit: 'days' }).days + 1;
  const end = Math.min(startOf(last.add({ days: 1 }), timeZone), now);
  const from = startOf(first, timeZone);
  const cutToday = Temporal.PlainDate.compare(last, today) === 0;
  const previous: Period = {
    from: startOf(first.subtract({ days: n }), timeZone),
    // A period running up to now is compared with the days before up to the same local time.
    to: cutToday ? nowZ.subtract({ days: n }).epochMilliseconds : from,
  };
  const days = dayPeriods(first.toString(), last.toString(), timeZone).map((d) => ({
    ...d,
    to: Math.min(d.to, now),
  }));
  return { current: { from, to: Math.max(from, end) }, previous, days };
}

/**
 * One metric over a period, as known at `now`: response and resolution times are the business
 * time median of cycles stopped in it; compliance met / concluded; breaches the targets missed in
 * it; backlog the open tickets at its end; created, solved and reopened the counts in it. At risk
 * is a count at `now` only (the engine keeps no past warnings), so null for a period ending before.
 */
export function metricValue(
  facts: readonly TicketMetricFacts[],
  metric: GlanceMetric,
  period: Period,
  now: number,
): number | null {
  switch (metric) {
    case 'first_response':
    case 'next_response':
    case 'resolution':
      return timeMetric(facts, metric, period).business.median;
    case 'compliance':
      return compliance(facts, period, now).rate;
    case 'breaches':
      return compliance(facts, period, now).breached;
    case 'at_risk':
      return period.to >= now ? atRisk(facts, now).length : null;
    case 'backlog':
      return backlogAt(facts, Math.min(period.to, now)).open;
    case 'created':
    case 'solved':
    case 'reopened':
      return volume(facts, period)[metric];
  }
}

export interface GlanceCard {
  metric: GlanceMetric;
  value: number | null;
  previous: number | null;
  target: number | null;
  /** One point per local day of the period. */
  series: { day: string; value: number | null }[];
  /** For time metrics: p90 and the calendar-time figures beside the business median. */
  detail: {
    count?: number;
    p90?: number | null;
    calendarMedian?: number | null;
    calendarP90?: number | null;
    met?: number;
    /** Left out because they begin before their ticket's status was known. */
    excludedUnknown?: number;
  };
}

export interface Glance {
  from: number;
  to: number;
  previousFrom: number;
  previousTo: number;
  timeZone: string;
  cards: GlanceCard[];
}

function detailOf(
  facts: readonly TicketMetricFacts[],
  metric: GlanceMetric,
  period: Period,
  now: number,
): GlanceCard['detail'] {
  if (metric === 'first_response' || metric === 'next_response' || metric === 'resolution') {
    const m = timeMetric(facts, metric, period);
    return {
      count: m.business.count,
      p90: m.business.p90,
      calendarMedian: m.calendar.median,
      calendarP90: m.calendar.p90,
      excludedUnknown: m.excludedUnknown,
    };
  }
  if (metric === 'compliance' || metric === 'breaches') {
    const c = compliance(facts, period, now);
    return { met: c.met, count: c.met + c.breached, excludedUnknown: c.excludedUnknown };
  }
  if (metric === 'backlog')
    return { excludedUnknown: backlogAt(facts, Math.min(period.to, now)).excludedUnknown };
  return {};
}

/** Every glance card over a period: value, the previous period's, the manager's target, a daily series. */
export function glance(
  facts: readonly TicketMetricFacts[],
  spec: PeriodSpec,
  timeZone: string,
  now: number,
  targets: Partial<Record<GlanceMetric, number>> = {},
): Glance {
  const p = resolvePeriod(spec, timeZone, now);
  return {
    from: p.current.from,
    to: p.current.to,
    previousFrom: p.previous.from,
    previousTo: p.previous.to,
    timeZone,
    cards: GLANCE_METRICS.map((metric) => ({
      metric,
      value: metricValue(facts, metric, p.current, now),
      previous: metricValue(facts, metric, p.previous, now),
      target: targets[metric] ?? null,
      series: p.days.map((d) => ({
        day: d.day,
        value: d.from >= d.to ? null : metricValue(facts, metric, d, now),
      })),
      detail: detailOf(facts, metric, p.current, now),
    })),
  };
}

/** One ticket behind a number: when it counted, and its time for time metrics. */
export interface MetricTicket {
  ticketId: string;
  at: number | null;
  businessMs: number | null;
  calendarMs: number | null;
  /** What it counted as: `met`, `breached`, a metric at risk, a status category. */
  note: string | null;
}

/**
 * The tickets behind a metric's number over a period, by the same definitions (each ticket is
 * the metric of itself alone): a manager's drill-down and the CSV export.
 */
export function metricTickets(
  facts: readonly TicketMetricFacts[],
  metric: GlanceMetric,
  period: Period,
  now: number,
): MetricTicket[] {
  if (metric === 'first_response' || metric === 'next_response' || metric === 'resolution')
    return timeMetric(facts, metric, period)
      .tickets.map((t) => ({
        ticketId: t.ticketId,
        at: t.stoppedAt,
        businessMs: t.businessMs,
        calendarMs: t.calendarMs,
        note: null,
      }))
      .sort((a, b) => b.businessMs - a.businessMs);
  if (metric === 'at_risk')
    return atRisk(facts, now).map((r) => ({
      ticketId: r.ticketId,
      at: r.dueAt,
      businessMs: null,
      calendarMs: r.msLeft,
      note: r.metric,
    }));
  const out: MetricTicket[] = [];
  const at = Math.min(period.to, now);
  for (const f of facts) {
    const one = [f];
    const row = (when: number | null, note: string | null) =>
      out.push({ ticketId: f.ticketId, at: when, businessMs: null, calendarMs: null, note });
    if (metric === 'compliance' || metric === 'breaches') {
      const c = compliance(one, period, now);
      if (c.breached)
        row(c.breaches[0]!.at, c.breaches.map((b) => `${b.metric} breached`).join(', '));
      else if (c.met && metric === 'compliance') row(null, `${c.met} met`);
    } else if (metric === 'backlog') {
      const b = backlogAt(one, at);
      if (b.open) row(f.createdAt, Object.keys(b.byCategory)[0] ?? null);
    } else if (volume(one, period)[metric] > 0)
      row(metric === 'created' ? f.createdAt : null, null);
  }
  return out;
}
