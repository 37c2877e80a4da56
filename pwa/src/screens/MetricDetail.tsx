import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { GLANCE_METRIC_INFO, GLANCE_METRICS, type GlanceMetric } from '@deskwatch/shared';
import { ExternalLink } from '../ExternalLink';
import { span } from '../format';
import {
  inputToTarget,
  queryFromSearch,
  searchFromQuery,
  showValue,
  targetToInput,
  toCsv,
} from '../metrics-view';
import { useTRPC } from '../trpc';
import { Trend } from '../Trend';
import { Unavailable } from '../Unavailable';
import { AsOf, deviceZone } from './Metrics';

const MetricChart = lazy(async () => ({ default: (await import('./MetricChart')).MetricChart }));

/** Chart units: hours for durations, percent for rates. */
const forChart = (metric: GlanceMetric, v: number | null) =>
  v === null
    ? null
    : GLANCE_METRIC_INFO[metric].unit === 'duration'
      ? v / 3_600_000
      : GLANCE_METRIC_INFO[metric].unit === 'rate'
        ? v * 100
        : v;
const UNIT = { duration: 'hours', rate: '%', count: 'count' } as const;

function download(name: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The target form: minutes, percent or a count; empty clears it. */
function TargetForm({ metric, target }: { metric: GlanceMetric; target: number | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [value, setValue] = useState(target === null ? '' : String(targetToInput(metric, target)));
  const save = useMutation(
    trpc.metrics.setTarget.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.metrics.glance.pathKey() }),
    }),
  );
  const unit = GLANCE_METRIC_INFO[metric].unit;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ metric, value: value === '' ? null : inputToTarget(metric, Number(value)) });
  };
  return (
    <form onSubmit={submit} className="target-form">
      <label>
        Target ({unit === 'duration' ? 'minutes' : unit === 'rate' ? '%' : 'count'}){' '}
        <input
          type="number"
          min="0"
          step="any"
          inputMode="decimal"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>{' '}
      <button type="submit" disabled={save.isPending}>
        Save target
      </button>
      {save.isError && <span className="error"> {save.error.message}</span>}
    </form>
  );
}

/** One metric: its full chart, its target, and the tickets behind the number (CSV export). */
export function MetricDetail({ metric, search }: { metric: string; search: URLSearchParams }) {
  const trpc = useTRPC();
  const m = (GLANCE_METRICS as readonly string[]).includes(metric)
    ? (metric as GlanceMetric)
    : null;
  const q = queryFromSearch(search, deviceZone());
  const glance = useQuery({ ...trpc.metrics.glance.queryOptions(q), enabled: m !== null });
  const list = useQuery({
    ...trpc.metrics.tickets.queryOptions({ query: q, metric: m ?? 'backlog' }),
    enabled: m !== null,
  });
  if (!m) return <main className="settings">No such metric.</main>;
  const info = GLANCE_METRIC_INFO[m];
  const card = glance.data?.cards.find((c) => c.metric === m);
  const rows = list.data?.tickets ?? [];
  const exportCsv = () =>
    download(
      `${m}-${q.period}.csv`,
      toCsv(
        [
          'tool',
          'ticket',
          'subject',
          'priority',
          'assignee',
          'at',
          'business_ms',
          'calendar_ms',
          'note',
          'url',
        ],
        rows.map((t) => [
          t.source,
          t.externalId,
          t.subject,
          t.priority,
          t.assignee,
          t.at === null ? null : new Date(t.at).toISOString(),
          t.businessMs,
          t.calendarMs,
          t.note,
          t.url,
        ]),
      ),
    );
  return (
    <main className="settings metrics" data-testid="metric-detail">
      <p>
        <Link href={`/metrics?${searchFromQuery(q)}`}>← All metrics</Link>
      </p>
      <h1>{info.label}</h1>
      {!card && <Unavailable query={glance} what="This metric" />}
      {card && glance.data && (
        <>
          <AsOf at={glance.data.asOf} />
          <p>
            <strong className="value" data-testid="metric-value">
              {showValue(m, card.value)}
            </strong>
            <Trend
              now={card.value}
              before={card.previous}
              show={(v) => showValue(m, v)}
              higherIsBetter={info.better === 'higher'}
            />
          </p>
          {card.detail.p90 !== undefined && (
            <p className="muted">
              p90 {showValue(m, card.detail.p90)} · calendar time median{' '}
              {showValue(m, card.detail.calendarMedian ?? null)}, p90{' '}
              {showValue(m, card.detail.calendarP90 ?? null)} · {card.detail.count} counted
            </p>
          )}
          {!!card.detail.excludedUnknown && (
            <p className="muted">
              {card.detail.excludedUnknown} left out: they began before their ticket was first seen
              with its history.
            </p>
          )}
          <Suspense fallback={<p>Loading chart…</p>}>
            <MetricChart
              days={card.series.map((p) => p.day)}
              values={card.series.map((p) => forChart(m, p.value))}
              target={forChart(m, card.target)}
              label={`${info.label} (${UNIT[info.unit]})`}
            />
          </Suspense>
          <TargetForm key={String(card.target)} metric={m} target={card.target} />
        </>
      )}
      <h2>
        Tickets behind the number{' '}
        <button type="button" onClick={exportCsv} disabled={!list.data} data-testid="csv">
          CSV
        </button>
      </h2>
      {!list.data && <Unavailable query={list} what="The ticket list" />}
      {list.data && rows.length === 0 && <p className="muted">No tickets.</p>}
      <ul className="plain" data-testid="metric-tickets">
        {rows.map((t, i) => (
          <li key={`${t.ticketId}-${i}`} className="card">
            <ExternalLink href={t.url}>{t.subject}</ExternalLink>
            <div className="muted">
              {t.source} #{t.externalId} · {t.priority} · {t.assignee ?? 'unassigned'}
              {t.businessMs !== null &&
                ` · ${span(t.businessMs)} business, ${span(t.calendarMs)} calendar`}
              {t.businessMs === null && t.calendarMs !== null && ` · due in ${span(t.calendarMs)}`}
              {t.note && ` · ${t.note.replace(/_/g, ' ')}`}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
