import type { Calendar } from '../sla/calendar.js';

type InstantLike = number | Date;
const ms = (t: InstantLike) => (typeof t === 'number' ? t : t.getTime());

/**
 * Adds a business duration to an instant and returns the due instant (epoch ms): the instant
 * after which business time since `start` exceeds the duration. The result is always open: a
 * budget that runs out exactly at a closing time is due at the next opening, and adding 0 to a
 * closed instant gives the next opening.
 * @example
 * const cal = businessCalendar({ name: 'Office', timeZone: 'Europe/Amsterdam', hours: { mon: [{ start: '09:00', end: '17:00' }], ..., fri: [{ start: '09:00', end: '17:00' }] } });
 * addBusinessTime(cal, Date.parse('2026-03-27T16:30+01:00'), 60 * 60_000) // Monday 2026-03-30T09:30+02:00
 */
export function addBusinessTime(
  calendar: Calendar,
  start: InstantLike,
  durationMs: number,
): number {
  return calendar.addBusiness(ms(start), durationMs);
}

/**
 * Business time in ms between two instants (0 when `to` is not after `from`).
 * @example businessTimeBetween(cal, Date.parse('2026-03-27T16:30+01:00'), Date.parse('2026-03-30T09:30+02:00')) // 3_600_000
 */
export function businessTimeBetween(
  calendar: Calendar,
  from: InstantLike,
  to: InstantLike,
): number {
  return calendar.businessBetween(ms(from), ms(to));
}

/**
 * Whether an instant is inside business hours (not on a holiday).
 * @example isWithinBusinessHours(cal, Date.parse('2026-03-28T10:00+01:00')) // false: a Saturday
 */
export function isWithinBusinessHours(calendar: Calendar, t: InstantLike): boolean {
  return calendar.isOpen(ms(t));
}

/**
 * The instant itself when open, else the next instant business hours start.
 * @example nextBusinessOpening(cal, Date.parse('2026-03-27T17:30+01:00')) // 2026-03-30T09:00+02:00
 */
export function nextBusinessOpening(calendar: Calendar, t: InstantLike): number {
  return calendar.nextOpening(ms(t));
}
