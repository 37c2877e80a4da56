/**
 * A calendar decides which instants count as business time.
 * Every SLA function takes one, so that business calendars (time zones, intervals,
 * holidays) plug in without changing the SLA engine. Instants are epoch milliseconds.
 */
export interface Calendar {
  readonly id: string;
  /** Business time, in ms, between two instants (`from <= to`). */
  businessBetween(from: number, to: number): number;
  /** The instant at which `ms` of business time has elapsed after `start`. */
  addBusiness(start: number, ms: number): number;
}

/**
 * The 24x7 calendar: every instant is business time, so business time equals calendar time.
 * @example
 * calendar24x7.addBusiness(Date.parse('2026-03-29T00:30:00Z'), 3_600_000) // 2026-03-29T01:30:00Z
 */
export const calendar24x7: Calendar = {
  id: '24x7',
  businessBetween: (from, to) => Math.max(0, to - from),
  addBusiness: (start, ms) => start + ms,
};
