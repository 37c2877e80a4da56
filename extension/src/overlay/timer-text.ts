import { formatDuration } from '@deskwatch/shared';

/**
 * What a target's clock says: the time it took once met, the time left before its due instant,
 * or how long ago that passed. "Over" already says the sign, so the duration is written without
 * one ("9m 58s over", never "-9m 58s over").
 */
export function timerText(t: { status: string; elapsedMs: number; remainingMs: number }): string {
  if (t.status === 'met') return `took ${formatDuration(t.elapsedMs)}`;
  return t.remainingMs < 0
    ? `${formatDuration(-t.remainingMs)} over`
    : `${formatDuration(t.remainingMs)} left`;
}
