import { useEffect, useRef } from 'react';

/**
 * A metric's daily chart, with its target as a dashed line. uPlot (~50 KB) is loaded on first
 * use, so the app's first load does not carry it.
 */
export function MetricChart({
  days,
  values,
  target,
  label,
}: {
  days: string[];
  values: (number | null)[];
  target: number | null;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  // Redrawn when the figures change, not on every refetch that brings the same ones.
  const data = JSON.stringify([days, values, target]);
  useEffect(() => {
    const [days, values, target] = JSON.parse(data) as [string[], (number | null)[], number | null];
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void (async () => {
      const [{ default: UPlot }] = await Promise.all([
        import('uplot'),
        import('uplot/dist/uPlot.min.css'),
      ]);
      const el = box.current;
      if (cancelled || !el) return;
      const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
      chart = new UPlot(
        {
          width: el.clientWidth || 360,
          height: 220,
          series: [
            {},
            { label, stroke: '#0052cc', width: 2, spanGaps: false },
            { label: 'Target', stroke: '#bf2600', dash: [6, 4], width: 1 },
          ],
          // One day alone would be stretched over years: give it a day either side.
          scales: {
            x: {
              time: true,
              range: (_u, lo, hi) => (lo === hi ? [lo - 86_400, hi + 86_400] : [lo, hi]),
            },
          },
          axes: [{}, { size: 56 }],
          legend: { show: true },
        },
        [xs, values, values.map(() => target)],
        el,
      );
    })();
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [data, label]);
  return <div ref={box} className="chart" data-testid="metric-chart" />;
}
