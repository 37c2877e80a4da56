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

/** Raw values as people read them. */
export const SEVERITY_LABEL: Record<string, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  critical: 'Critical',
};
export const PRIORITY_LABEL: Record<string, string> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};
export const STATE_LABEL: Record<string, string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
  cancelled: 'Cancelled',
};
export const CATEGORY_LABEL: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending_customer: 'waiting on the customer',
  on_hold: 'on hold',
  solved: 'Solved',
  closed: 'Closed',
};
/** A raw value's label, or the value with its underscores as spaces when it has none. */
export const label = (labels: Record<string, string>, v: string) =>
  labels[v] ?? v.replace(/_/g, ' ');

/** An SLA clock as it stands at `now`: `2h 05m left`, `1h 10m over`, `Paused (on hold), 3h 00m left`, `Met`. */
export function clockText(
  t: {
    status: string;
    breached: boolean;
    remainingMs: number;
    dueAt: number | null;
    pausedBy: string | null;
    stoppedAt: number | null;
    outcomeUnknown?: true;
  },
  computedAt: number,
  now: number,
  /** The clock counts wall time (a calendar-time target, a 24x7 policy): it ticks between fetches. */
  wallClock: boolean,
): string {
  if (t.outcomeUnknown) return 'Unknown';
  if (t.stoppedAt !== null) return t.breached ? 'Met late' : 'Met';
  const abs = (ms: number) => formatAbs(ms);
  if (t.pausedBy !== null)
    return `Paused (${label(CATEGORY_LABEL, t.pausedBy)}), ${t.remainingMs < 0 ? `${abs(t.remainingMs)} over` : `${abs(t.remainingMs)} left`}`;
  // Business time stands still out of hours: without the calendar here, it is as the server said.
  const left = wallClock ? t.remainingMs - (now - computedAt) : t.remainingMs;
  if (Math.abs(left) < 1000) return 'due now';
  return left < 0 ? `${abs(left)} over` : `${abs(left)} left`;
}

function formatAbs(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const p2 = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h ${p2(m)}m`;
  if (h > 0) return `${h}h ${p2(m)}m`;
  return `${m}m`;
}

/** A due instant in the manager's own zone: `Tue 14:05`. */
export const dueText = (at: number) =>
  new Date(at).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
