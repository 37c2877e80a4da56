import { BusinessCalendar, type ClosedReason } from '../calendar/business-calendar.js';

/**
 * A calendar decides which instants count as business time. Every SLA function takes one.
 * Instants are epoch milliseconds.
 */
export interface Calendar {
  readonly id: string;
  /** Business time, in ms, between two instants. */
  businessBetween(from: number, to: number): number;
  /**
   * The due instant of `ms` of business time from `start`: the instant after which business time
   * exceeds `ms`. Always open: a budget ending at a closing time is due at the next opening.
   */
  addBusiness(start: number, ms: number): number;
  isOpen(t: number): boolean;
  /** `t` itself when open, else the next instant the calendar opens. */
  nextOpening(t: number): number;
  /** The open intervals overlapping [from, to), clipped to it. */
  openIntervals(from: number, to: number): [number, number][];
  closedReason(t: number): ClosedReason;
}

/**
 * The 24x7 calendar: every instant is business time, so business time equals calendar time.
 * @example
 * calendar24x7.addBusiness(Date.parse('2026-03-29T00:30:00Z'), 3_600_000) // 2026-03-29T01:30:00Z
 */
export const calendar24x7: Calendar = new BusinessCalendar(
  { name: '24x7', timeZone: 'UTC', hours: '24x7', holidays: [] },
  '24x7',
);
