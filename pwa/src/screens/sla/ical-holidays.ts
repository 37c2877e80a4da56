import ICAL from 'ical.js';
import type { Holiday } from '@deskwatch/shared';

export interface ICalendarHolidays {
  holidays: Holiday[];
  /** Events that are not whole days (a meeting, a timed closure), by summary: not imported. */
  skipped: string[];
}

/** At most this many dates from one recurring event that is not a plain yearly date. */
const MAX_OCCURRENCES = 50;

const isoDate = (t: ICAL.Time) =>
  `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

/** A yearly rule on the start's own month and day, forever: what `{ yearly: 'MM-DD' }` means. */
function isPlainYearly(rule: ICAL.Recur): boolean {
  const parts = Object.keys(rule.parts).filter((k) => k !== 'BYMONTH' && k !== 'BYMONTHDAY');
  return (
    rule.freq === 'YEARLY' &&
    (rule.interval ?? 1) === 1 &&
    !rule.count &&
    !rule.until &&
    parts.length === 0
  );
}

/**
 * The holidays in an iCalendar (RFC 5545) file, parsed by ical.js: each all-day event becomes a
 * date, or a range when it lasts several days (DTEND is exclusive), and an all-day event that
 * repeats every year on its date becomes a yearly holiday. Other recurring all-day events
 * (Thanksgiving, the fourth Thursday of November) become their dates up to `untilYear`.
 * Timed events are skipped and named. Throws on text that is not iCalendar.
 * @example
 * holidaysFromICalendar('BEGIN:VCALENDAR…DTSTART;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY\nSUMMARY:Christmas…', { untilYear: 2028 })
 * // { holidays: [{ yearly: '12-25', name: 'Christmas' }], skipped: [] }
 */
export function holidaysFromICalendar(
  text: string,
  opts: { untilYear: number },
): ICalendarHolidays {
  const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const holidays: Holiday[] = [];
  const skipped: string[] = [];
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const name = (event.summary ?? '').slice(0, 120) || undefined;
    const start = event.startDate;
    if (!start || !start.isDate) {
      skipped.push(name ?? '(untitled event)');
      continue;
    }
    const named = <H extends Holiday>(h: H): H => (name ? { ...h, name } : h);
    const last = event.endDate ? event.endDate.clone() : start.clone();
    if (event.endDate) last.adjust(-1, 0, 0, 0);
    const days = Math.max(0, last.subtractDate(start).toSeconds() / 86_400);
    if (event.isRecurring()) {
      const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      if (rule && isPlainYearly(rule) && days === 0) {
        holidays.push(
          named({
            yearly: `${String(start.month).padStart(2, '0')}-${String(start.day).padStart(2, '0')}`,
          }),
        );
        continue;
      }
      const it = event.iterator();
      for (let n = 0, next = it.next(); next && n < MAX_OCCURRENCES; n++, next = it.next()) {
        if (next.year > opts.untilYear) break;
        const end = next.clone();
        end.adjust(days, 0, 0, 0);
        holidays.push(
          named(days === 0 ? { date: isoDate(next) } : { from: isoDate(next), to: isoDate(end) }),
        );
      }
      continue;
    }
    holidays.push(
      named(days === 0 ? { date: isoDate(start) } : { from: isoDate(start), to: isoDate(last) }),
    );
  }
  return { holidays, skipped };
}
