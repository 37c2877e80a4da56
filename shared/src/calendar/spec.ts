import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../constants.js';
import { BusinessCalendar } from './business-calendar.js';

export { WEEKDAYS, type Weekday };

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time is HH:MM, 00:00 to 24:00');
const isoDate = z.iso.date();

/** One opening on a weekday. An `end` at or before `start` runs past midnight into the next day (22:00 to 06:00). */
export const interval = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((i) => i.start !== i.end, { message: 'an interval needs different start and end times' })
  .refine((i) => i.start !== '24:00', { message: 'an interval cannot start at 24:00' });
export type Interval = z.infer<typeof interval>;

/** The weekdays' openings; a misspelt day is refused by name rather than left closed. */
export const weeklyHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval).max(12).default([])])) as Record<
    Weekday,
    z.ZodDefault<z.ZodArray<typeof interval>>
  >,
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown weekday ${iss.keys.map((k) => `"${k}"`).join(', ')}; the days are ${WEEKDAYS.join(', ')}`
        : undefined,
  },
);
export type WeeklyHours = z.infer<typeof weeklyHours>;

/** A closed day: one date, an inclusive range of dates, or a date every year (MM-DD; 02-29 only in leap years). */
export const holiday = z.union([
  z.strictObject({ date: isoDate, name: z.string().max(120).optional() }),
  z
    .strictObject({ from: isoDate, to: isoDate, name: z.string().max(120).optional() })
    .refine((h) => h.from <= h.to, { message: 'a holiday range ends on or after it starts' })
    .refine((h) => Date.parse(h.to) - Date.parse(h.from) <= 366 * 86_400_000, {
      message: 'a holiday range is at most a year',
    }),
  z.strictObject({
    yearly: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a yearly holiday is MM-DD'),
    name: z.string().max(120).optional(),
  }),
]);
export type Holiday = z.infer<typeof holiday>;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A business calendar: an IANA time zone, the weekly hours (or "24x7"), and holidays.
 * @example
 * { name: 'Amsterdam office', timeZone: 'Europe/Amsterdam',
 *   hours: { mon: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }], tue: [...], ... },
 *   holidays: [{ yearly: '12-25', name: 'Christmas' }, { date: '2026-04-27', name: "King's Day" }] }
 */
export const calendarSpec = z.strictObject({
  name: z.string().min(1).max(120),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'not an IANA time zone (like Europe/Amsterdam)' }),
  hours: z.union([z.literal('24x7'), weeklyHours]),
  holidays: z.array(holiday).max(2000).default([]),
});
export type CalendarSpec = z.input<typeof calendarSpec>;
export type ParsedCalendarSpec = z.output<typeof calendarSpec>;

/**
 * Validates a calendar spec and compiles it; `24x7` without holidays is plain calendar time.
 * @example businessCalendar({ name: 'Office', timeZone: 'Europe/Amsterdam', hours: { mon: [{ start: '09:00', end: '17:00' }] } })
 */
export function businessCalendar(spec: CalendarSpec, id?: string): BusinessCalendar {
  return new BusinessCalendar(calendarSpec.parse(spec), id);
}
