import { describe, expect, it } from 'vitest';
import type { TicketBadge } from '@deskwatch/server';
import { badgeView, compactDuration, nextChange } from './badges';

const MIN = 60_000;
const base: TicketBadge = {
  externalId: '1',
  ticketId: 't1',
  metric: 'first_response',
  status: 'running',
  breached: false,
  clock: 'business',
  dueAt: 1_000 * MIN,
  remainingMs: 60 * MIN,
  targetMs: 60 * MIN,
  computedAt: 940 * MIN,
};

describe('list badges', () => {
  it('write minutes, hours and days compactly', () => {
    expect(compactDuration(30_000)).toBe('<1m');
    expect(compactDuration(12 * MIN + 59_000)).toBe('12m');
    expect(compactDuration(185 * MIN)).toBe('3h 05m');
    expect(compactDuration((2 * 24 + 4) * 60 * MIN)).toBe('2d 4h');
  });

  it('say a clock that stopped before the ticket was first seen is unknown, not met', () => {
    const stopped = { ...base, metric: 'resolution' as const, status: 'met' as const };
    expect(badgeView({ ...stopped, outcomeUnknown: true }, 950 * MIN)).toEqual({
      state: 'met',
      text: 'RES ?',
      label: 'Resolution unknown: stopped before Deskwatch saw the ticket',
    });
    expect(badgeView(stopped, 950 * MIN).text).toBe('RES met');
  });

  it('count down to the due instant, warn in the last quarter, and count up once breached', () => {
    expect(badgeView(base, 950 * MIN)).toEqual({
      state: 'ok',
      text: 'FR 50m',
      label: 'First response due in 50m',
    });
    expect(badgeView(base, 985 * MIN).state).toBe('soon');
    // An 8-hour target warns 2 hours ahead.
    expect(badgeView({ ...base, targetMs: 8 * 60 * MIN }, 950 * MIN).state).toBe('soon');
    expect(
      badgeView({ ...base, targetMs: 8 * 60 * MIN, metric: 'resolution' }, 850 * MIN),
    ).toMatchObject({
      state: 'ok',
      text: 'RES 2h 30m',
    });
    expect(badgeView(base, 1_007 * MIN)).toEqual({
      state: 'breached',
      text: 'FR +7m',
      label: 'First response breached 7m ago',
    });
  });

  it('show a paused clock with what is left, and a met one as met', () => {
    const paused = { ...base, status: 'paused' as const, dueAt: null, remainingMs: 25 * MIN };
    expect(badgeView(paused, 5_000 * MIN)).toMatchObject({ state: 'paused', text: 'FR 25m ⏸' });
    expect(badgeView({ ...paused, breached: true, remainingMs: -5 * MIN }, 0).state).toBe(
      'breached',
    );
    expect(badgeView({ ...base, status: 'met' }, 0)).toMatchObject({
      state: 'met',
      text: 'FR met',
    });
  });
});

describe('badge wake-ups', () => {
  it('come when the text changes: the next minute, the turn to "soon", each minute over', () => {
    // Due at 1000 min; 50 min 30 s left: the minutes tick over in 30 s.
    expect(nextChange(base, 949.5 * MIN)).toBe(950 * MIN + 1);
    // 16 min left: "soon" starts at 15 min left, which is also the next minute.
    expect(nextChange(base, 984 * MIN + 1)).toBe(985 * MIN);
    // An 8-hour target turns "soon" 2 hours ahead, before its next whole minute.
    const long = { ...base, dueAt: 1_000 * MIN + 30_000, targetMs: 8 * 60 * MIN };
    expect(nextChange(long, 880 * MIN + 10_000)).toBe(880 * MIN + 30_000);
    expect(badgeView(long, 880 * MIN + 30_000).state).toBe('soon');
    // Breached 7 min 10 s ago: "+8m" in 50 s.
    expect(nextChange(base, 1_007 * MIN + 10_000)).toBe(1_008 * MIN);
    expect(nextChange({ ...base, status: 'paused', dueAt: null }, 0)).toBe(Infinity);
  });

  it('land on instants where the text really changes', () => {
    for (const now of [900 * MIN + 1234, 970 * MIN + 59_999, 1_000 * MIN, 1_003 * MIN + 1]) {
      const at = nextChange(base, now);
      expect(badgeView(base, at - 1).text).toBe(badgeView(base, now).text);
      const after = badgeView(base, at);
      expect(`${after.state} ${after.text}`).not.toBe(
        `${badgeView(base, now).state} ${badgeView(base, now).text}`,
      );
    }
  });
});
