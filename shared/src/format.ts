/**
 * A signed duration for a ticking timer: `42m 07s`, `3h 05m 09s`, `2d 4h 10m`, `-12m 30s`.
 * @example formatDuration(-750_000) // '-12m 30s'
 */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p2 = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${h}h ${p2(m)}m`;
  if (h > 0) return `${sign}${h}h ${p2(m)}m ${p2(s)}s`;
  return `${sign}${m}m ${p2(s)}s`;
}
