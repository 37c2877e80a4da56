import { describe, expect, it } from 'vitest';
import type { TargetState } from '@deskwatch/shared';
import { mostUrgent } from './most-urgent';

const MIN = 60_000;
const target = (over: Partial<TargetState>): TargetState => ({
  metric: 'resolution',
  status: 'running',
  breached: false,
  clock: 'calendar',
  targetMs: 480 * MIN,
  cycleStart: 0,
  elapsedMs: 0,
  remainingMs: 480 * MIN,
  dueAt: 480 * MIN,
  calendarMsToDue: 480 * MIN,
  stoppedAt: null,
  pausedBy: null,
  percentUsed: 0,
  ...over,
});

describe('mostUrgent', () => {
  it('picks the running clock with the least time left', () => {
    const fr = target({ metric: 'first_response', remainingMs: 10 * MIN });
    expect(mostUrgent([target({ remainingMs: 120 * MIN }), fr])).toBe(fr);
  });
  it('puts a breached clock that still runs before any clock with time left', () => {
    const res = target({ status: 'breached', breached: true, remainingMs: -5 * MIN });
    expect(mostUrgent([target({ metric: 'first_response', remainingMs: 1 * MIN }), res])).toBe(res);
  });
  it('prefers a counting clock over a paused one with less left', () => {
    const running = target({ metric: 'first_response', remainingMs: 50 * MIN });
    const paused = target({ status: 'paused', pausedBy: 'on_hold', remainingMs: 5 * MIN });
    expect(mostUrgent([paused, running])).toBe(running);
    const breachedPaused = target({
      status: 'breached',
      breached: true,
      pausedBy: 'pending_customer',
      remainingMs: -60 * MIN,
    });
    expect(mostUrgent([breachedPaused, running])).toBe(running);
  });
  it('shows a paused clock when nothing else counts', () => {
    const paused = target({ status: 'paused', pausedBy: 'pending_customer' });
    expect(mostUrgent([target({ metric: 'first_response', status: 'met' }), paused])).toBe(paused);
  });
  it('shows nothing when every clock is met, stopped or unknown', () => {
    expect(
      mostUrgent([
        target({ metric: 'first_response', status: 'met', stoppedAt: 5 }),
        target({ status: 'breached', breached: true, remainingMs: -MIN, stoppedAt: 9 }),
        target({ metric: 'next_response', outcomeUnknown: true, stoppedAt: 9 }),
      ]),
    ).toBeNull();
    expect(mostUrgent([])).toBeNull();
  });
});
