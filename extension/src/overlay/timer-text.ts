import { formatDuration } from '@deskwatch/shared';

/**
 * What a target's clock says: the time it took once met, the time left before its due instant,
 * or how long ago that passed. "Over" already says the sign, so the duration is written without
 * one ("9m 58s over", never "-9m 58s over"); within the second of the due instant the clock
 * says "due now", not "0m 00s left" or "0m 00s over".
 *
 * @example timerText({ status: 'breached', elapsedMs: 0, remainingMs: -144_060_000 }) // '1d 16h 01m over'
 */
export function timerText(t: { status: string; elapsedMs: number; remainingMs: number }): string {
  if (t.status === 'met') return `took ${formatDuration(t.elapsedMs)}`;
  if (Math.abs(t.remainingMs) < 1000) return 'due now';
  return t.remainingMs < 0
    ? `${formatDuration(-t.remainingMs)} over`
    : `${formatDuration(t.remainingMs)} left`;
}
