import type { TargetState } from '@deskwatch/shared';

/** A clock that is still counting: running, or breached and still running (not paused, not stopped). */
const ticking = (t: TargetState) =>
  t.status === 'running' || (t.status === 'breached' && !t.pausedBy && t.stoppedAt === null);

/**
 * The one clock the collapsed overlay keeps showing: of the clocks still counting, the one with
 * the least time left (the most overdue once breached); with none counting, the paused one with
 * the least left. Met, stopped and unknown clocks never show; null when nothing is left to watch.
 *
 * @example mostUrgent([{ metric: 'resolution', status: 'running', remainingMs: 7_200_000, … },
 *   { metric: 'first_response', status: 'running', remainingMs: 600_000, … }]) // the first response
 */
export function mostUrgent(targets: readonly TargetState[]): TargetState | null {
  const open = targets.filter(
    (t) => !t.outcomeUnknown && t.status !== 'met' && t.stoppedAt === null,
  );
  const rank = (t: TargetState) => (ticking(t) ? 0 : 1);
  return [...open].sort((a, b) => rank(a) - rank(b) || a.remainingMs - b.remainingMs)[0] ?? null;
}
