import { describe, expect, it } from 'vitest';
import { digestSettings } from '../schemas/flags.js';
import { lastDigestDue } from './digest.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

/** Every digest instant that comes due while a clock ticks every 5 minutes from `from` to `to`. */
function firings(s: Parameters<typeof lastDigestDue>[0], from: string, to: string) {
  const out: string[] = [];
  let last = lastDigestDue(s, at(from));
  for (let t = at(from); t <= at(to); t += 5 * MIN) {
    const due = lastDigestDue(s, t);
    if (due !== last) {
      out.push(new Date(due).toISOString());
      last = due;
    }
  }
  return out;
}

describe('lastDigestDue', () => {
  it('is the chosen weekday and local time, the latest at or before now', () => {
    const s = { weekday: 1, time: '08:00', timeZone: 'Europe/Amsterdam' };
    expect(lastDigestDue(s, at('2026-03-23T07:00:00Z'))).toBe(at('2026-03-23T07:00:00Z')); // Mon 08:00 CET
    expect(lastDigestDue(s, at('2026-03-23T06:59:59Z'))).toBe(at('2026-03-16T07:00:00Z'));
    expect(lastDigestDue(s, at('2026-03-27T12:00:00Z'))).toBe(at('2026-03-23T07:00:00Z')); // Fri
  });

  it('fires once a week at 08:00 local across the spring-forward change', () => {
    const s = { weekday: 1, time: '08:00', timeZone: 'Europe/Amsterdam' };
    // Sun 29 March 2026 clocks go 02:00 -> 03:00: Monday 08:00 moves from 07:00Z to 06:00Z.
    expect(firings(s, '2026-03-20T00:00:00Z', '2026-04-07T00:00:00Z')).toEqual([
      '2026-03-23T07:00:00.000Z', // Mon 08:00 CET
      '2026-03-30T06:00:00.000Z', // Mon 08:00 CEST
      '2026-04-06T06:00:00.000Z',
    ]);
  });

  it('fires once on the night itself when the chosen time is skipped or repeated', () => {
    // Sunday 02:30 does not exist on 29 March (taken as 03:30 CEST, 01:30Z).
    const spring = { weekday: 7, time: '02:30', timeZone: 'Europe/Amsterdam' };
    expect(firings(spring, '2026-03-21T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
      '2026-03-22T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST, after the gap
      '2026-04-05T00:30:00.000Z', // 02:30 CEST
    ]);
    // Sun 25 October 2026 02:30 happens twice (CEST then CET): only the first is taken.
    const autumn = { weekday: 7, time: '02:30', timeZone: 'Europe/Amsterdam' };
    expect(firings(autumn, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      '2026-10-25T00:30:00.000Z',
    ]);
  });

  it('validates the settings', () => {
    const ok = { enabled: true, weekday: 1, time: '08:00', timeZone: 'Europe/Amsterdam' };
    expect(digestSettings.safeParse(ok).success).toBe(true);
    expect(digestSettings.safeParse({ ...ok, time: '24:00' }).success).toBe(false);
    expect(digestSettings.safeParse({ ...ok, weekday: 0 }).success).toBe(false);
    expect(digestSettings.safeParse({ ...ok, timeZone: 'Nowhere/City' }).success).toBe(false);
  });
});
