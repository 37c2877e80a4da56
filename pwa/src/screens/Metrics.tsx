import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { GLANCE_METRIC_INFO, PRIORITIES, type MetricsQuery } from '@deskwatch/shared';
import { ExternalLink } from '../ExternalLink';
import { span } from '../format';
import {
  meetsTarget,
  queryFromSearch,
  searchFromQuery,
  showValue,
  sparkPoints,
} from '../metrics-view';
import { useTRPC } from '../trpc';
import { Trend } from '../Trend';
import { Unavailable } from '../Unavailable';
import { MoreCards } from './metrics/MoreCards';

const PERIOD_LABEL = {
  today: 'Today',
  '7d': '7 days',
  '30d': '30 days',
  custom: 'Custom',
} as const;

/** The device's time zone: a manager's days are their own days. */
export const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** "As of" the server's computation: offline, the cached glance says how old it is. */
export function AsOf({ at }: { at: number }) {
  return (
    <p className="muted" data-testid="metrics-as-of">
      As of {new Date(at).toLocaleString()}
    </p>
  );
}

/** Period and filters, kept in the address. */
function Filters({ q, onChange }: { q: MetricsQuery; onChange: (q: MetricsQuery) => void }) {
  const [from, setFrom] = useState(q.from ?? '');
  const [to, setTo] = useState(q.to ?? '');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const names = (k: string) =>
      String(f.get(k) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const priority = String(f.get('priority') ?? '');
    const next: MetricsQuery = { period: q.period, timeZone: q.timeZone };
    if (q.period === 'custom' && from && to) Object.assign(next, { from, to });
    if (priority) next.priorities = [priority as (typeof PRIORITIES)[number]];
    if (names('source').length) next.sources = names('source');
    if (names('tag').length) next.tags = names('tag');
    onChange(next);
  };
  return (
    <>
      <p role="group" aria-label="Period" className="period">
        {(['today', '7d', '30d', 'custom'] as const).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={q.period === p}
            className={q.period === p ? 'primary' : undefined}
            onClick={() =>
              p === 'custom' ? onChange({ ...q, period: 'custom' }) : onChange({ ...q, period: p })
            }
          >
            {PERIOD_LABEL[p]}
          </button>
        ))}
      </p>
      <details className="filters">
        <summary>Filters</summary>
        <form onSubmit={submit}>
          {q.period === 'custom' && (
            <>
              <label>
                From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
              </label>
              <label>
                To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
              </label>
            </>
          )}
          <label>
            Priority{' '}
            <select name="priority" defaultValue={q.priorities?.[0] ?? ''}>
              <option value="">Any</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tool{' '}
            <input name="source" defaultValue={q.sources?.join(', ') ?? ''} placeholder="zendesk" />
          </label>
          <label>
            Tag <input name="tag" defaultValue={q.tags?.join(', ') ?? ''} placeholder="vpn" />
          </label>
          <button type="submit">Apply</button>
        </form>
      </details>
    </>
  );
}

/** A day-by-day line, small enough for a card. */
export function Sparkline({ values }: { values: (number | null)[] }) {
  const points = sparkPoints(values, 100, 24);
  return (
    <svg className="sparkline" viewBox="-2 -2 104 28" preserveAspectRatio="none" aria-hidden="true">
      {points && <polyline points={points} fill="none" stroke="currentColor" strokeWidth="2" />}
    </svg>
  );
}

/**
 * The manager's glance (issue #18): one card per metric with its value, the change against the
 * period before, its target and a daily sparkline; a tap opens the chart and the tickets behind
 * it. Below, the at-risk queue: running targets past their warning, soonest due first.
 */
export function Metrics({ search }: { search: URLSearchParams }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const q = queryFromSearch(search, deviceZone());
  const glance = useQuery(trpc.metrics.glance.queryOptions(q));
  const g = glance.data;
  const qs = searchFromQuery(q);
  return (
    <main className="settings metrics" data-testid="metrics-glance">
      <h1>Team metrics</h1>
      <p>
        <Link href="/metrics/flags">Red flags and weekly digest</Link>
      </p>
      <Filters q={q} onChange={(next) => navigate(`/metrics?${searchFromQuery(next)}`)} />
      {!g && <Unavailable query={glance} what="Team metrics" />}
      {g && (
        <>
          <AsOf at={g.asOf} />
          {(g.pending === null || (g.pending ?? 0) > 0) && (
            <p className="muted" data-testid="metrics-pending">
              {g.pending === null
                ? 'Recounting every ticket after a policy change; figures follow shortly.'
                : `${g.pending} recent tickets are still being counted.`}
            </p>
          )}
          <ul className="cards glance">
            {g.cards.map((c) => {
              const info = GLANCE_METRIC_INFO[c.metric];
              const met = meetsTarget(c.metric, c.value, c.target);
              return (
                <li key={c.metric}>
                  <Link
                    href={`/metrics/${c.metric}?${qs}`}
                    className="card"
                    data-testid={`metric-${c.metric}`}
                  >
                    <span className="muted">{info.label}</span>
                    <strong className="value">{showValue(c.metric, c.value)}</strong>
                    <Trend
                      now={c.value}
                      before={c.previous}
                      show={(v) => showValue(c.metric, v)}
                      higherIsBetter={info.better === 'higher'}
                    />
                    <span className={met === false ? 'card-target bad' : 'card-target muted'}>
                      {c.target === null
                        ? 'No target'
                        : `Target ${showValue(c.metric, c.target)}${met === null ? '' : met ? ' ✓' : ' ✗'}`}
                    </span>
                    <Sparkline values={c.series.map((p) => p.value)} />
                  </Link>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h2>At risk now</h2>
      {g?.atRisk.length === 0 && <p className="muted">No running target is past its warning.</p>}
      <ul className="plain" data-testid="at-risk">
        {g?.atRisk.map((t) => (
          <li key={`${t.ticketId}-${t.note}`} className="card">
            <ExternalLink href={t.url}>{t.subject}</ExternalLink>
            <div className="muted">
              {t.note?.replace(/_/g, ' ')} due in {span(t.calendarMs)} ·{' '}
              {t.assignee ?? 'unassigned'} · {t.source} #{t.externalId}
            </div>
          </li>
        ))}
      </ul>
      <MoreCards q={q} />
    </main>
  );
}
