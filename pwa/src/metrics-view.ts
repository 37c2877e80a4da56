import {
  GLANCE_METRIC_INFO,
  PRIORITIES,
  type GlanceMetric,
  type MetricsQuery,
} from '@deskwatch/shared';
import { percent, span } from './format';

const PERIODS = ['today', '7d', '30d', 'custom'] as const;
const list = (v: string | null) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? [];

/**
 * The glance's filters live in the address (`?period=7d&priority=high&source=zendesk&tag=vpn`),
 * so a card's chart keeps them and a link shares them. Unknown values fall back to 7 days.
 */
export function queryFromSearch(search: URLSearchParams, timeZone: string): MetricsQuery {
  const period = PERIODS.find((p) => p === search.get('period')) ?? '7d';
  const from = search.get('from');
  const to = search.get('to');
  const custom = period === 'custom' && from && to && from <= to;
  const priorities = list(search.get('priority')).filter((p) =>
    (PRIORITIES as readonly string[]).includes(p),
  ) as MetricsQuery['priorities'];
  const sources = list(search.get('source'));
  const tags = list(search.get('tag'));
  return {
    period: custom ? 'custom' : period === 'custom' ? '7d' : period,
    ...(custom ? { from, to } : {}),
    timeZone,
    ...(priorities?.length ? { priorities } : {}),
    ...(sources.length ? { sources } : {}),
    ...(tags.length ? { tags } : {}),
  };
}

/** The address query of a metrics query (the inverse of `queryFromSearch`). */
export function searchFromQuery(q: MetricsQuery): string {
  const s = new URLSearchParams({ period: q.period });
  if (q.period === 'custom' && q.from && q.to) {
    s.set('from', q.from);
    s.set('to', q.to);
  }
  if (q.priorities?.length) s.set('priority', q.priorities.join(','));
  if (q.sources?.length) s.set('source', q.sources.join(','));
  if (q.tags?.length) s.set('tag', q.tags.join(','));
  return s.toString();
}

/** A metric's value as people read it: `42 min`, `95%`, `12`; an em dash when there is none. */
export function showValue(metric: GlanceMetric, v: number | null): string {
  const unit = GLANCE_METRIC_INFO[metric].unit;
  if (unit === 'duration') return span(v);
  if (unit === 'rate') return percent(v);
  return v === null ? '—' : String(v);
}

/** Whether a value meets its target (null when either is missing). */
export function meetsTarget(metric: GlanceMetric, v: number | null, target: number | null) {
  if (v === null || target === null) return null;
  return GLANCE_METRIC_INFO[metric].better === 'lower' ? v <= target : v >= target;
}

/** A target as typed in its form: minutes for durations, a percentage for rates, else a count. */
export const targetToInput = (metric: GlanceMetric, v: number) =>
  GLANCE_METRIC_INFO[metric].unit === 'duration'
    ? v / 60_000
    : GLANCE_METRIC_INFO[metric].unit === 'rate'
      ? Math.round(v * 1000) / 10
      : v;
export const inputToTarget = (metric: GlanceMetric, n: number) =>
  GLANCE_METRIC_INFO[metric].unit === 'duration'
    ? Math.round(n * 60_000)
    : GLANCE_METRIC_INFO[metric].unit === 'rate'
      ? n / 100
      : n;

/**
 * The points of a sparkline in a `w` x `h` box, gaps (days with no value) skipped; a flat line
 * when every value is equal. Empty when there are no values.
 */
export function sparkPoints(values: readonly (number | null)[], w: number, h: number): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values
    .flatMap((v, i) => {
      if (v === null) return [];
      const y = hi === lo ? h / 2 : h - ((v - lo) / (hi - lo)) * h;
      return [`${(i * step).toFixed(1)},${y.toFixed(1)}`];
    })
    .join(' ');
}

/**
 * CSV (RFC 4180) of rows, header first. A cell that a spreadsheet would run as a formula
 * (starting with = + - @, tab or return) gets a leading apostrophe: ticket subjects are the
 * customers' text.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
