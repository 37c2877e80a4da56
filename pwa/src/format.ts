export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
export const TYPE_LABEL = {
  tier2: 'Tier 2',
  manager_approval: 'Manager approval',
  incident: 'Incident',
} as const;

/** A duration at a glance: `42 min`, `5.5 h`, `3.2 d`; an em dash when there is none. */
export function span(ms: number | null): string {
  if (ms === null) return '—';
  const min = ms / 60_000;
  if (min < 60) return `${Math.round(min)} min`;
  if (min < 48 * 60) return `${(min / 60).toFixed(1)} h`;
  return `${(min / 1440).toFixed(1)} d`;
}

/** A share as a percentage, `62%`; an em dash when nothing was counted. */
export const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
