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
  const named = withMonthName(text);
  if (named) return zoned(named, timeZone);
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
  return zoned(
    { year, month, day, hour, minute: Number(m[5]), second: Number(m[6] ?? 0) },
    timeZone,
  );
}

type Fields = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

function zoned(f: Fields, timeZone: string): number | null {
  try {
    const dt = Temporal.PlainDateTime.from(f, { overflow: 'reject' });
    return dt.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  } catch {
    return null;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * English dates with a month name, as tools write them in tooltips: "Nov 30, 2026 3:04 PM",
 * "Mon, 30 Nov 2026 at 15:04", "November 30, 2026, 3:04:05 pm". Unambiguous, so no order needed.
 */
function withMonthName(text: string): Fields | null {
  const t = text
    .trim()
    .replace(/^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+/i, '')
    .replace(/\s+at\s+/i, ' ');
  const mdy = t.match(/^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(.+)$/);
  const dmy = t.match(/^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}),?\s+(.+)$/);
  const [monthName, day, year, time] = mdy
    ? [mdy[1]!, mdy[2]!, mdy[3]!, mdy[4]!]
    : dmy
      ? [dmy[2]!, dmy[1]!, dmy[3]!, dmy[4]!]
      : [];
  if (!monthName || !time) return null;
  const name = monthName.toLowerCase();
  const month = MONTHS.indexOf(name.slice(0, 3)) + 1;
  if (month === 0 || !(name.length === 3 || name === 'sept' || FULL_MONTHS[month - 1] === name))
    return null;
  const tm = time.match(/^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$/);
  if (!tm) return null;
  let hour = Number(tm[1]);
  const ampm = tm[4]?.replace(/\./g, '').toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  return {
    year: Number(year),
    month,
    day: Number(day),
    hour,
    minute: Number(tm[2]),
    second: Number(tm[3] ?? 0),
  };
}
