import { Temporal } from 'temporal-polyfill';

export type DateOrder = 'mdy' | 'dmy' | 'ymd';

/**
 * Reads a date and time written for people, like "01/15/2026 09:00 AM" (many ticketing tools put
 * this in a `title` attribute, in the viewer's zone, without a zone marker), as the instant it
 * names in `timeZone`. `order` says how to read an all-numeric date. Returns null for anything
 * it cannot read with certainty, rather than guessing.
 * @example parseWallTime('01/15/2026 09:00 AM', 'Europe/Amsterdam', 'mdy') // Date.parse('2026-01-15T08:00:00Z')
 */
export function parseWallTime(text: string, timeZone: string, order: DateOrder): number | null {
  const m = text
    .trim()
    .match(
      /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/,
    );
  if (!m) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [year, month, day] =
    order === 'ymd' || m[1]!.length === 4 ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a];
  let hour = Number(m[4]);
  const ampm = m[7]?.toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  try {
    const dt = Temporal.PlainDateTime.from(
      { year, month, day, hour, minute: Number(m[5]), second: Number(m[6] ?? 0) },
      { overflow: 'reject' },
    );
    return dt.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  } catch {
    return null;
  }
}
