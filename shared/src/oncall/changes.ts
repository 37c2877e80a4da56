import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';

const id = z.string().min(1).max(64);
const MAX_SPAN_MS = 31 * 86_400_000;

/** A stretch of a schedule, [start, end) in ms: at most 31 days. */
export const shiftSpan = z
  .strictObject({ start: z.int().nonnegative(), end: z.int().nonnegative() })
  .refine((s) => s.end > s.start, { message: 'a shift ends after it starts' })
  .refine((s) => s.end - s.start <= MAX_SPAN_MS, { message: 'a change spans at most 31 days' });
export type ShiftSpan = z.infer<typeof shiftSpan>;

/**
 * A change to who is on call, made from a phone:
 * - `take`: the caller is on call for the span (whoever had it);
 * - `cover`: `userId` is on call for the span; the person on call may ask anyone to cover
 *   their own shift, a manager may put anyone on any span;
 * - `swap`: whoever is on call in `mine` and whoever is in `theirs` trade places; the caller is
 *   on call in `mine`, unless a manager.
 */
export const shiftChangeInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('take'), scheduleId: id, span: shiftSpan }),
  z.strictObject({ kind: z.literal('cover'), scheduleId: id, span: shiftSpan, userId: id }),
  z
    .strictObject({ kind: z.literal('swap'), scheduleId: id, mine: shiftSpan, theirs: shiftSpan })
    .refine((s) => s.mine.end <= s.theirs.start || s.theirs.end <= s.mine.start, {
      message: 'the two shifts of a swap do not overlap',
    }),
]);
export type ShiftChangeInput = z.input<typeof shiftChangeInput>;

/**
 * An instant as a wall-clock time in `zone`, to the minute, for notification texts.
 * @example localMinuteText(Date.parse('2026-03-29T01:30Z'), 'Europe/Amsterdam') // '2026-03-29 03:30'
 */
export function localMinuteText(ms: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' })
    .replace('T', ' ');
}

/** How long before each of their shifts a person is pushed a reminder; 0: none. Up to a day. */
export const shiftReminderInput = z.strictObject({
  leadMinutes: z
    .int({ error: 'a whole number of minutes' })
    .min(0, 'at least 0 minutes (0: no reminder)')
    .max(24 * 60, 'at most 1,440 minutes (a day)'),
});
export type ShiftReminderInput = z.infer<typeof shiftReminderInput>;
