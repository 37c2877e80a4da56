import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnCallSchedule, nextShifts, whoIsOnCall, type Shift } from './schedule.js';
import { scheduleSpec, type ScheduleSpec } from './spec.js';

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const spec = (s: ScheduleSpec) => scheduleSpec.parse(s);
const who = (s: ReturnType<typeof spec>, iso: string) => whoIsOnCall(s, t(iso))?.userId ?? null;
const brief = (shifts: Shift[]) => shifts.map((s) => `${utc(s.start)} ${utc(s.end)} ${s.userId}`);
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('rotations', () => {
  it('hands a weekly turn to the next participant in order at the local handoff time', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [
        {
          id: 'primary',
          name: 'Primary',
          start: '2026-01-05T09:00', // Mon
          turn: 'weekly',
          participants: ['ana', 'bo', 'cy'],
        },
      ],
    });
    expect(who(s, '2026-01-05T07:59Z')).toBe(null); // 08:59 local, before the first turn
    expect(who(s, '2026-01-05T08:00Z')).toBe('ana');
    expect(who(s, '2026-01-12T07:59Z')).toBe('ana'); // Mon 08:59 a week on
    expect(who(s, '2026-01-12T08:00Z')).toBe('bo');
    expect(who(s, '2026-01-19T08:00Z')).toBe('cy');
    expect(who(s, '2026-01-26T08:00Z')).toBe('ana');
    // After the spring-forward (29 March) the handoff stays at 09:00 local, now 07:00Z.
    expect(who(s, '2026-03-30T06:59Z')).toBe('cy'); // turn of 23 Mar: index 11
    expect(who(s, '2026-03-30T07:00Z')).toBe('ana');
  });

  it('hands over a 02:30 handoff at 03:30 on a spring-forward day, skipping nobody', () => {
    const s = spec({
      timeZone: 'America/New_York',
      layers: [
        {
          id: 'l',
          name: 'Nightly',
          start: '2026-03-06T02:30',
          turn: 'daily',
          participants: ['ana', 'bo', 'cy'],
        },
      ],
    });
    const shifts = new OnCallSchedule(s).shifts(t('2026-03-07T07:30Z'), t('2026-03-09T06:30Z'));
    expect(brief(shifts)).toEqual([
      '2026-03-07T07:30 2026-03-08T07:30 bo', // Sat 02:30 EST to Sun 03:30 EDT: 23 hours
      '2026-03-08T07:30 2026-03-09T06:30 cy', // Sun 03:30 EDT to Mon 02:30 EDT
    ]);
    expect(who(s, '2026-03-09T06:30Z')).toBe('ana'); // Mon 02:30 EDT, the order unbroken
  });

  it('gives the 24-hour daily turn that spans a fall-back day 25 hours', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [
        {
          id: 'l',
          name: 'Day',
          start: '2026-10-20T00:00',
          turn: 'daily',
          participants: ['ana', 'bo'],
        },
      ],
    });
    const [sun] = new OnCallSchedule(s).shifts(t('2026-10-24T22:00Z'), t('2026-10-26T00:00Z'));
    expect(sun).toMatchObject({ userId: 'bo' }); // 20 Oct ana, 21 bo, ... 25 bo
    expect(utc(sun!.start)).toBe('2026-10-24T22:00'); // Sun 00:00 CEST
    expect(utc(sun!.end)).toBe('2026-10-25T23:00'); // Mon 00:00 CET
    expect((sun!.end - sun!.start) / H).toBe(25);
  });

  it('keeps a turn measured in hours exactly that long, so its wall-clock handoff moves at a DST change', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [
        {
          id: 'l',
          name: '24h',
          start: '2026-10-24T09:00',
          turn: { hours: 24 },
          participants: ['ana', 'bo'],
        },
      ],
    });
    expect(who(s, '2026-10-25T06:59Z')).toBe('ana'); // 07:59 CET
    expect(who(s, '2026-10-25T07:00Z')).toBe('bo'); // 08:00 CET, 24 hours after 09:00 CEST
  });

  it('hands over a custom turn of two days at the handoff time across the spring-forward', () => {
    const s = spec({
      timeZone: 'Europe/London',
      layers: [
        {
          id: 'l',
          name: 'Two days',
          start: '2026-03-27T08:00',
          turn: { days: 2 },
          participants: ['ana', 'bo'],
        },
      ],
    });
    expect(who(s, '2026-03-29T06:59Z')).toBe('ana'); // 07:59 BST on Sun 29
    expect(who(s, '2026-03-29T07:00Z')).toBe('bo'); // 08:00 BST: 47 hours after Fri 08:00 GMT
  });

  it('stops a layer at its end', () => {
    const s = spec({
      timeZone: 'UTC',
      layers: [
        {
          id: 'l',
          name: 'L',
          start: '2026-01-01T00:00',
          end: '2026-01-03T12:00',
          turn: 'daily',
          participants: ['ana'],
        },
      ],
    });
    expect(who(s, '2026-01-03T11:59Z')).toBe('ana');
    expect(who(s, '2026-01-03T12:00Z')).toBe(null);
  });
});

describe('restrictions and layers', () => {
  const base = {
    id: 'base',
    name: 'Base',
    start: '2026-03-02T09:00', // Mon
    turn: 'weekly' as const,
    participants: ['ana', 'bo'],
  };

  it('pages a layer restricted to weekdays 09:00-17:00 only inside those hours', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [{ ...base, restrictions: [{ days: [...weekdays], start: '09:00', end: '17:00' }] }],
    });
    expect(who(s, '2026-03-03T08:30Z')).toBe('ana'); // Tue 09:30 CET
    expect(who(s, '2026-03-03T16:00Z')).toBe(null); // Tue 17:00
    expect(who(s, '2026-03-07T10:00Z')).toBe(null); // Sat
  });

  it('keeps a night window that starts on Friday open until Saturday morning', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [{ ...base, restrictions: [{ days: [...weekdays], start: '18:00', end: '08:00' }] }],
    });
    expect(who(s, '2026-03-07T06:30Z')).toBe('ana'); // Sat 07:30, Friday's night
    expect(who(s, '2026-03-07T07:00Z')).toBe(null); // Sat 08:00
    expect(who(s, '2026-03-07T17:30Z')).toBe(null); // Sat 18:30: no Saturday night
    expect(who(s, '2026-03-02T06:00Z')).toBe(null); // Mon 07:00: Sunday had no night
  });

  it('lets a lower layer override the one above wherever it has someone on call', () => {
    const s = spec({
      timeZone: 'Europe/Amsterdam',
      layers: [
        base,
        {
          id: 'weekend',
          name: 'Weekend',
          start: '2026-03-07T00:00',
          turn: 'weekly',
          participants: ['cy', 'dee'],
          restrictions: [{ days: ['sat', 'sun'], start: '00:00', end: '23:59' }],
        },
      ],
    });
    expect(whoIsOnCall(s, t('2026-03-06T12:00Z'))).toEqual({
      userId: 'ana',
      source: { kind: 'layer', id: 'base' },
    }); // Fri
    expect(whoIsOnCall(s, t('2026-03-07T12:00Z'))).toEqual({
      userId: 'cy',
      source: { kind: 'layer', id: 'weekend' },
    }); // Sat
    expect(who(s, '2026-03-08T22:59Z')).toBe('ana'); // Sun 23:59 local: the weekend window is closed
    expect(who(s, '2026-03-14T12:00Z')).toBe('dee'); // next Sat
  });

  it('follows the sun through three zones, each in its own zone across their DST changes', () => {
    const office = (id: string, timeZone: string) => ({
      id,
      name: id,
      timeZone,
      start: '2026-01-05T09:00',
      turn: 'weekly' as const,
      participants: [id],
      restrictions: [{ days: [...weekdays], start: '09:00', end: '17:00' }],
    });
    const s = spec({
      timeZone: 'UTC',
      layers: [
        office('sydney', 'Australia/Sydney'),
        office('london', 'Europe/London'),
        office('newyork', 'America/New_York'),
      ],
    });
    const day = (d: string) =>
      brief(new OnCallSchedule(s).shifts(t(`${d}T00:00Z`), t(`${d}T24:00Z`)));
    // Tue 10 March: Sydney on summer time (+11), London on GMT, New York already on EDT (-4).
    expect(day('2026-03-10')).toEqual([
      '2026-03-10T00:00 2026-03-10T06:00 sydney',
      '2026-03-10T09:00 2026-03-10T13:00 london',
      '2026-03-10T13:00 2026-03-10T21:00 newyork', // New York, the lower layer, wins the overlap
      '2026-03-10T22:00 2026-03-11T00:00 sydney',
    ]);
    // Tue 7 April: Sydney back on standard time (+10), London on BST (+1).
    expect(day('2026-04-07')).toEqual([
      '2026-04-07T00:00 2026-04-07T07:00 sydney',
      '2026-04-07T08:00 2026-04-07T13:00 london',
      '2026-04-07T13:00 2026-04-07T21:00 newyork',
      '2026-04-07T23:00 2026-04-08T00:00 sydney',
    ]);
  });
});

describe('overrides', () => {
  const s = spec({
    timeZone: 'Europe/Amsterdam',
    layers: [
      {
        id: 'l',
        name: 'L',
        start: '2026-03-02T09:00',
        turn: 'weekly',
        participants: ['ana', 'bo'],
      },
    ],
    overrides: [
      { id: 'o1', userId: 'cy', start: t('2026-03-04T12:00Z'), end: t('2026-03-04T18:00Z') },
    ],
  });

  it('puts the person who takes a shift on call above every layer', () => {
    expect(whoIsOnCall(s, t('2026-03-04T12:00Z'))).toEqual({
      userId: 'cy',
      source: { kind: 'override', id: 'o1' },
    });
    expect(who(s, '2026-03-04T18:00Z')).toBe('ana');
  });

  it('lists my next shifts with the covered part taken out', () => {
    const mine = nextShifts(s, t('2026-03-04T00:00Z'), { userId: 'ana', limit: 3 });
    expect(brief(mine)).toEqual([
      '2026-03-04T00:00 2026-03-04T12:00 ana',
      '2026-03-04T18:00 2026-03-09T08:00 ana',
      '2026-03-16T08:00 2026-03-23T08:00 ana',
    ]);
    expect(brief(nextShifts(s, t('2026-03-04T00:00Z'), { userId: 'cy' }))).toEqual([
      '2026-03-04T12:00 2026-03-04T18:00 cy',
    ]);
  });
});

describe('laws', () => {
  it('agrees between the final schedule and who is on call at any instant', () => {
    const s = spec({
      timeZone: 'America/New_York',
      layers: [
        {
          id: 'a',
          name: 'A',
          start: '2026-02-27T02:30',
          turn: 'daily',
          participants: ['a1', 'a2', 'a3'],
        },
        {
          id: 'b',
          name: 'B',
          timeZone: 'Europe/London',
          start: '2026-03-01T01:30',
          turn: { hours: 10 },
          participants: ['b1', 'b2'],
          restrictions: [{ days: ['mon', 'wed', 'sat'], start: '22:00', end: '03:00' }],
        },
      ],
      overrides: [
        { id: 'o', userId: 'x', start: t('2026-03-08T05:00Z'), end: t('2026-03-08T09:00Z') },
      ],
    });
    const compiled = new OnCallSchedule(s);
    const from = t('2026-03-01T00:00Z');
    const to = t('2026-04-05T00:00Z');
    const shifts = compiled.shifts(from, to);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to - 1 }), (at) => {
        const shift = shifts.find((x) => x.start <= at && at < x.end);
        expect(shift?.userId ?? null).toBe(compiled.at(at)?.userId ?? null);
      }),
      { numRuns: 300 },
    );
    for (let i = 1; i < shifts.length; i++)
      expect(shifts[i]!.start).toBeGreaterThanOrEqual(shifts[i - 1]!.end);
  });
});
