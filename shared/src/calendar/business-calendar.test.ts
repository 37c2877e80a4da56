import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from './spec.js';
import {
  addBusinessTime,
  businessTimeBetween,
  isWithinBusinessHours,
  nextBusinessOpening,
} from './functions.js';
import type { CalendarSpec } from './spec.js';

const H = 3_600_000;
const M = 60_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number, tz: string) =>
  new Date(ms).toLocaleString('sv-SE', { timeZone: tz }).replace(' ', 'T').slice(0, 16);
const weekdays = (start: string, end: string) => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
});
const office = (tz: string, extra: Partial<CalendarSpec> = {}) =>
  businessCalendar({ name: 'Office', timeZone: tz, hours: weekdays('09:00', '17:00'), ...extra });

describe('business calendars', () => {
  it('carries Friday 16:30 plus one business hour over the weekend to Monday 09:30', () => {
    const cal = office('Europe/Amsterdam');
    const due = addBusinessTime(cal, t('2026-03-27T16:30:00+01:00'), H); // Fri, 30 min before close
    expect(iso(due, 'Europe/Amsterdam')).toBe('2026-03-30T09:30'); // Mon (and after the spring-forward Sunday)
  });

  it('starts counting at 13:30 for a ticket created during the lunch break of a split day', () => {
    const amsterdam = { timeZone: 'Europe/Amsterdam' };
    const split = [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ];
    const cal = businessCalendar({
      name: 'Split',
      ...amsterdam,
      hours: { mon: split, tue: split, wed: split, thu: split, fri: split },
    });
    const created = t('2026-06-10T12:30:00+02:00'); // Wed, lunch
    expect(isWithinBusinessHours(cal, created)).toBe(false);
    expect(iso(nextBusinessOpening(cal, created), 'Europe/Amsterdam')).toBe('2026-06-10T13:30');
    expect(businessTimeBetween(cal, created, t('2026-06-10T13:45:00+02:00'))).toBe(15 * M);
    expect(iso(addBusinessTime(cal, created, 5 * H), 'Europe/Amsterdam')).toBe('2026-06-11T09:30'); // 4h30 Wed + 30 min Thu from 09:00
  });

  it('counts an overnight 22:00 to 06:00 shift as one opening across midnight', () => {
    const night = [{ start: '22:00', end: '06:00' }];
    const cal = businessCalendar({
      name: 'Night desk',
      timeZone: 'Asia/Kolkata',
      hours: { mon: night, tue: night, wed: night, thu: night, fri: night },
    });
    expect(isWithinBusinessHours(cal, t('2026-06-09T03:00:00+05:30'))).toBe(true); // Tue 03:00, Monday's shift
    expect(isWithinBusinessHours(cal, t('2026-06-09T12:00:00+05:30'))).toBe(false);
    expect(iso(addBusinessTime(cal, t('2026-06-08T23:00:00+05:30'), 4 * H), 'Asia/Kolkata')).toBe(
      '2026-06-09T03:00',
    );
    expect(iso(addBusinessTime(cal, t('2026-06-09T05:00:00+05:30'), 2 * H), 'Asia/Kolkata')).toBe(
      '2026-06-09T23:00',
    );
    // Friday's shift ends Saturday 06:00; the next one is Monday 22:00.
    expect(iso(addBusinessTime(cal, t('2026-06-13T05:00:00+05:30'), 2 * H), 'Asia/Kolkata')).toBe(
      '2026-06-15T23:00',
    );
  });

  describe('DST', () => {
    const amsterdamNight = (start: string, end: string) =>
      businessCalendar({
        name: 'Sunday',
        timeZone: 'Europe/Amsterdam',
        hours: { sun: [{ start, end }] },
      });

    it('gives an opening that contains the Amsterdam fall-back (2022-10-30) its extra hour', () => {
      const cal = amsterdamNight('01:00', '05:00'); // 02:00-03:00 happens twice
      const day = [t('2022-10-29T22:00:00Z'), t('2022-10-30T23:00:00Z')] as const;
      expect(businessTimeBetween(cal, ...day)).toBe(5 * H);
      expect(new Date(addBusinessTime(cal, t('2022-10-29T23:00:00Z'), 4.5 * H)).toISOString()).toBe(
        '2022-10-30T03:30:00.000Z',
      ); // 04:30 CET
    });

    it('keeps an opening that ends at the Amsterdam fall-back edge at its wall-clock length', () => {
      const cal = amsterdamNight('00:00', '02:00');
      expect(businessTimeBetween(cal, t('2022-10-29T12:00:00Z'), t('2022-10-31T00:00:00Z'))).toBe(
        2 * H,
      );
      expect(
        businessTimeBetween(
          amsterdamNight('09:00', '17:00'),
          t('2022-10-29T12:00:00Z'),
          t('2022-10-31T00:00:00Z'),
        ),
      ).toBe(8 * H);
    });

    it('loses an hour inside an opening at the Los Angeles spring-forward (2026-03-08)', () => {
      const la = (start: string, end: string) =>
        businessCalendar({
          name: 'LA',
          timeZone: 'America/Los_Angeles',
          hours: { sun: [{ start, end }] },
        });
      const sunday = [t('2026-03-08T08:00:00Z'), t('2026-03-09T07:00:00Z')] as const; // local midnight to midnight
      expect(businessTimeBetween(la('01:00', '05:00'), ...sunday)).toBe(3 * H);
      // An opening that starts in the skipped hour starts as far past the gap as it was into it.
      expect(businessTimeBetween(la('02:30', '05:00'), ...sunday)).toBe(1.5 * H);
      expect(
        iso(
          nextBusinessOpening(la('02:30', '05:00'), t('2026-03-08T09:00:00Z')),
          'America/Los_Angeles',
        ),
      ).toBe('2026-03-08T03:30');
      // At the edge: an opening from 02:00 starts at 03:00 PDT.
      expect(businessTimeBetween(la('02:00', '10:00'), ...sunday)).toBe(7 * H);
      expect(businessTimeBetween(la('09:00', '17:00'), ...sunday)).toBe(8 * H);
    });
  });

  it('skips a holiday and a weekend in one stretch', () => {
    const cal = office('Europe/Amsterdam', { holidays: [{ yearly: '12-25', name: 'Christmas' }] });
    const due = addBusinessTime(cal, t('2026-12-24T16:00:00+01:00'), 3 * H); // Thu 16:00; Fri 25th closed; weekend
    expect(iso(due, 'Europe/Amsterdam')).toBe('2026-12-28T11:00');
    expect(businessTimeBetween(cal, t('2026-12-24T16:00:00+01:00'), due)).toBe(3 * H);
  });

  it('closes 29 February only in leap years and accepts holiday ranges', () => {
    const cal = office('UTC', {
      holidays: [{ yearly: '02-29' }, { from: '2027-03-01', to: '2027-03-02' }],
    });
    expect(iso(addBusinessTime(cal, t('2028-02-28T09:00:00Z'), 15 * H), 'UTC')).toBe(
      '2028-03-01T16:00',
    ); // Tue 29th closed
    expect(iso(addBusinessTime(cal, t('2027-02-26T09:00:00Z'), 15 * H), 'UTC')).toBe(
      '2027-03-03T16:00',
    ); // Fri, Mon-Tue range closed
    expect(isWithinBusinessHours(cal, t('2027-03-02T10:00:00Z'))).toBe(false);
  });

  it('rejects a zone that does not exist and times that are not HH:MM', () => {
    expect(() => businessCalendar({ name: 'x', timeZone: 'Mars/Olympus', hours: '24x7' })).toThrow(
      /IANA/,
    );
    expect(() =>
      businessCalendar({
        name: 'x',
        timeZone: 'UTC',
        hours: { mon: [{ start: '9:00', end: '17:00' }] },
      }),
    ).toThrow(/HH:MM/);
  });

  describe('laws', () => {
    const specs: CalendarSpec[] = [
      {
        name: 'office',
        timeZone: 'Europe/Amsterdam',
        hours: weekdays('09:00', '17:00'),
        holidays: [{ yearly: '12-25' }, { date: '2026-04-27' }],
      },
      {
        name: 'split',
        timeZone: 'America/Los_Angeles',
        hours: {
          mon: [
            { start: '08:00', end: '12:00' },
            { start: '13:00', end: '17:30' },
          ],
          wed: [{ start: '01:00', end: '05:00' }],
          sun: [{ start: '02:15', end: '03:45' }],
        },
      },
      {
        name: 'night',
        timeZone: 'Australia/Lord_Howe',
        hours: { tue: [{ start: '22:00', end: '06:00' }], sat: [{ start: '20:00', end: '02:30' }] },
      },
      { name: 'chatham', timeZone: 'Pacific/Chatham', hours: weekdays('00:00', '24:00') },
    ];
    const calendars = specs.map((s) => businessCalendar(s));
    const instant = fc.integer({ min: t('2025-01-01T00:00:00Z'), max: t('2028-12-31T00:00:00Z') });
    const duration = fc.integer({ min: 0, max: 400 * H });
    const calendarArb = fc.constantFrom(...calendars);

    it('adding a then b equals adding a+b', () => {
      fc.assert(
        fc.property(
          calendarArb,
          instant,
          duration,
          duration,
          (cal, t0, a, b) =>
            cal.addBusiness(cal.addBusiness(t0, a), b) === cal.addBusiness(t0, a + b),
        ),
      );
    });

    it('business time between t and t plus d is d', () => {
      fc.assert(
        fc.property(
          calendarArb,
          instant,
          duration,
          (cal, t0, d) => cal.businessBetween(t0, cal.addBusiness(t0, d)) === d,
        ),
      );
    });

    it('is due at the last instant whose business time is the budget, always open', () => {
      fc.assert(
        fc.property(calendarArb, instant, duration, (cal, t0, d) => {
          const due = cal.addBusiness(t0, d);
          // Open at the due instant, so a millisecond later business time exceeds the budget.
          return cal.isOpen(due) && cal.businessBetween(t0, due + 1) === d + 1;
        }),
      );
    });
  });

  describe('edges', () => {
    const utc = () => office('UTC');
    it('gives the next opening when adding nothing to a closed instant', () => {
      const cal = utc();
      expect(iso(addBusinessTime(cal, t('2026-12-02T20:00:00Z'), 0), 'UTC')).toBe(
        '2026-12-03T09:00',
      ); // Wed evening
      expect(addBusinessTime(cal, t('2026-12-02T10:00:00Z'), 0)).toBe(t('2026-12-02T10:00:00Z')); // open: itself
    });

    it('puts a budget that runs out at closing time at the next opening', () => {
      const cal = utc();
      expect(iso(addBusinessTime(cal, t('2026-12-02T15:00:00Z'), 2 * H), 'UTC')).toBe(
        '2026-12-03T09:00',
      ); // Wed 15:00 + 2 h: the business day ends exactly at 17:00
      expect(iso(addBusinessTime(cal, t('2026-12-04T16:00:00Z'), H), 'UTC')).toBe(
        '2026-12-07T09:00',
      ); // Fri 16:00 + 1 h: Monday's opening
    });

    it('answers about any decade after being asked about another', () => {
      const cal = utc();
      expect(isWithinBusinessHours(cal, t('2015-06-03T10:00:00Z'))).toBe(true); // Wed
      expect(iso(addBusinessTime(cal, t('2026-12-02T15:00:00Z'), H), 'UTC')).toBe(
        '2026-12-02T16:00',
      );
      expect(businessTimeBetween(cal, t('2015-06-03T10:00:00Z'), t('2015-06-03T11:00:00Z'))).toBe(
        H,
      );
      expect(businessTimeBetween(cal, t('2026-12-02T09:00:00Z'), t('2036-12-02T09:00:00Z'))).toBe(
        2609 * 8 * H,
      ); // 2,609 weekdays in those ten years
    });

    it('says how much fits when a budget needs more than ten years of a sparse calendar', () => {
      const cal = businessCalendar({
        name: 'Sparse',
        timeZone: 'UTC',
        hours: { mon: [{ start: '09:00', end: '09:01' }] },
      });
      expect(addBusinessTime(cal, t('2026-12-01T00:00:00Z'), 90_000)).toBe(
        t('2026-12-14T09:00:30Z'),
      ); // one minute on Mon 7th, half a minute on Mon 14th
      expect(() => addBusinessTime(cal, t('2026-12-01T00:00:00Z'), 600 * M)).toThrow(
        /600 min of business time does not fit within ten years.*opens 52\d min/,
      );
      const never = businessCalendar({ name: 'Never', timeZone: 'UTC', hours: {} });
      expect(() => nextBusinessOpening(never, t('2026-12-01T00:00:00Z'))).toThrow(
        /no business time within ten years/,
      );
    });
  });
});
