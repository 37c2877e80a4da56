import { describe, expect, it } from 'vitest';
import { holiday } from '@deskwatch/shared';
import { holidaysFromICalendar } from './ical-holidays';

/** An iCalendar file with CRLF line ends, as calendar servers send them. */
const ics = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Deskwatch test//EN',
    ...events.flatMap((e, i) => [
      'BEGIN:VEVENT',
      `UID:${i}@test`,
      'DTSTAMP:20260101T000000Z',
      ...e,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('holidaysFromICalendar', () => {
  it('reads all-day dates, multi-day ranges (DTEND exclusive) and yearly dates', () => {
    const r = holidaysFromICalendar(
      ics(
        ['DTSTART;VALUE=DATE:20260427', 'DTEND;VALUE=DATE:20260428', "SUMMARY:King's Day"],
        ['DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227', 'SUMMARY:Winter break'],
        ['DTSTART;VALUE=DATE:20201225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas'],
      ),
      { untilYear: 2027 },
    );
    expect(r.holidays).toEqual([
      { date: '2026-04-27', name: "King's Day" },
      { from: '2026-12-24', to: '2026-12-26', name: 'Winter break' }, // 24, 25 and 26
      { yearly: '12-25', name: 'Christmas' },
    ]);
    expect(r.skipped).toEqual([]);
    // Every holiday read is one the server's schema accepts.
    for (const h of r.holidays) expect(holiday.safeParse(h).success).toBe(true);
  });

  it('expands a yearly rule on a weekday into its dates, up to the year given', () => {
    const r = holidaysFromICalendar(
      ics([
        'DTSTART;VALUE=DATE:20261126',
        'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
        'SUMMARY:Thanksgiving',
      ]),
      { untilYear: 2028 },
    );
    expect(r.holidays).toEqual([
      { date: '2026-11-26', name: 'Thanksgiving' },
      { date: '2027-11-25', name: 'Thanksgiving' },
      { date: '2028-11-23', name: 'Thanksgiving' },
    ]);
  });

  it('skips timed events, which are not whole days', () => {
    const r = holidaysFromICalendar(
      ics(['DTSTART:20260427T090000Z', 'DTEND:20260427T100000Z', 'SUMMARY:Team meeting']),
      { untilYear: 2027 },
    );
    expect(r).toEqual({ holidays: [], skipped: ['Team meeting'] });
  });

  it('refuses text that is not iCalendar', () => {
    expect(() => holidaysFromICalendar('{"holidays": []}', { untilYear: 2027 })).toThrow();
  });
});
