import { DateTime, type TokenParser } from 'luxon';
import { Temporal } from 'temporal-polyfill';

/** How an all-numeric date orders day, month and year. */
export type DateOrder = 'mdy' | 'dmy' | 'ymd';

/** How a tool writes its dates: its display zone, language, and (where known) exact format. */
export interface DateContext {
  /** IANA zone for dates written without one (the tool's display zone). */
  timeZone: string;
  /** BCP 47 tag: month and weekday names, and the day/month order of numeric dates. */
  locale?: string | undefined;
  /** Luxon (LDML) tokens, or `ISO 8601`, `RFC 2822`, `epoch`: the only format read besides machine timestamps. */
  format?: string | undefined;
  /** Day/month order of numeric dates, over the locale's. */
  dateOrder?: DateOrder | undefined;
  now?: number | undefined;
}

export type DateRead =
  | {
      ok: true;
      at: number;
      format: string;
      precision: 'second' | 'minute';
      /** The text carried its own offset (ISO with Z or +01:00, RFC 2822, epoch): no zone was assumed. */
      zoned: boolean;
    }
  | { ok: false; reason: string };

/** Names of machine formats, usable as `format` too. */
export const ISO = 'ISO 8601';
export const RFC2822 = 'RFC 2822';
export const EPOCH = 'epoch';

/** The languages whose month names are read (English always, the others when the locale says). */
export const DATE_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'] as const;

const NUMERIC_DATES: Record<DateOrder, string[]> = {
  dmy: ['dd/MM/yyyy', 'dd.MM.yyyy', 'dd-MM-yyyy', 'dd/MM/yy', 'dd.MM.yy'],
  mdy: ['MM/dd/yyyy', 'MM-dd-yyyy', 'MM/dd/yy'],
  ymd: ['yyyy-MM-dd', 'yyyy/MM/dd', 'yyyy.MM.dd'],
};
const NAMED_DATES = [
  'MMM d, yyyy',
  'MMMM d, yyyy',
  'MMM d yyyy',
  'EEE, MMM d, yyyy',
  'EEEE, MMMM d, yyyy',
  'd MMM yyyy',
  'd MMMM yyyy',
  'EEE, d MMM yyyy',
  'EEE d MMM yyyy',
  'EEEE, d MMMM yyyy',
  'EEEE d MMMM yyyy',
  'd. MMM yyyy',
  'd. MMMM yyyy',
  'EEEE, d. MMMM yyyy',
  "d 'de' MMMM 'de' yyyy",
  "d 'de' MMM 'de' yyyy",
  "EEEE, d 'de' MMMM 'de' yyyy",
];
const TIMES = ['HH:mm', 'HH:mm:ss', 'hh:mm a', 'hh:mm:ss a'];
/** The word some languages put between a date and its time ("Nov 30, 2026 at 10:04 PM"). */
const AT: Record<string, string> = {
  en: 'at',
  de: 'um',
  fr: 'à',
  nl: 'om',
  it: 'alle',
  pt: 'às',
  es: 'a las',
};
/** Formats whose time sits inside the date: ctime (`Mon Nov 30 22:04:00 2026`) and its cousins. */
const SPECIAL = ['EEE MMM d HH:mm:ss yyyy', 'EEE MMM d HH:mm yyyy', 'EEE d MMM HH:mm:ss yyyy'];

const language = (locale: string | undefined) => locale?.split('-')[0]?.toLowerCase();

/** The day/month order a locale writes numeric dates in (`en-US` mdy, `de` dmy, `ja` ymd). */
export function localeDateOrder(locale: string): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  })
    .formatToParts(0)
    .map((p) => p.type)
    .filter((t) => t === 'day' || t === 'month' || t === 'year');
  const key = parts.map((t) => t[0]).join('');
  return key === 'dmy' || key === 'ymd' ? key : 'mdy';
}

/**
 * Every token format for dates in `orders`, month names in `lang`, that could read `text`: only
 * those whose separators, seconds and AM/PM the text has (building a Luxon parser is costly).
 */
function tokenFormats(orders: DateOrder[], lang: string, text: string): string[] {
  const named = hasWords(text);
  const seconds = /\d:\d{2}:\d{2}/.test(text);
  const meridiem = /\b[ap]\.?m\b/i.test(text);
  const at = AT[lang] && new RegExp(`\\s${AT[lang]}\\s`, 'i').test(text) ? AT[lang] : null;
  const seps = [' ', ...(text.includes(',') ? [', '] : []), ...(at ? [` '${at}' `] : [])];
  const times = TIMES.filter((t) => t.includes(':ss') === seconds && t.includes('a') === meridiem);
  const dates = [
    ...orders.flatMap((o) => NUMERIC_DATES[o]).filter((d) => text.includes(d.match(/[/.-]/)![0])),
    ...(named ? NAMED_DATES.filter((d) => !d.includes(',') || text.includes(',')) : []),
  ];
  const out: string[] = [];
  for (const date of dates)
    for (const sep of seps)
      for (const time of times) if (sep === ' ' || /MMM/.test(date)) out.push(date + sep + time);
  if (named) out.push(...SPECIAL.filter((f) => f.includes(':ss') === seconds));
  return out;
}

/** Luxon reads `dd` as exactly two digits; tools often drop the padding (`1.2.2026 9:05`). */
const loosen = (format: string) =>
  format.replace(/(?<![a-zA-Z'])(dd|MM|HH|hh)(?![a-zA-Z])/g, (t) => t[0]!);

const parsers = new Map<string, TokenParser>();
function parser(format: string, locale: string): TokenParser {
  const key = `${locale}\u0000${format}`;
  let p = parsers.get(key);
  if (!p) {
    p = DateTime.buildFormatParser(loosen(format), { locale });
    parsers.set(key, p);
  }
  return p;
}

/** The wall time `text` names in `format`, or null. Read in UTC: the zone is applied by Temporal. */
function wallTime(text: string, format: string, locale: string): Temporal.PlainDateTime | null {
  let dt: DateTime;
  try {
    dt = DateTime.fromFormatParser(text, parser(format, locale), { zone: 'utc', locale });
  } catch {
    return null; // a format Luxon cannot build a parser for
  }
  if (!dt.isValid) return null;
  return new Temporal.PlainDateTime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second);
}

/**
 * The instant a wall time names in `timeZone`. A time the zone skips (clocks jumping forward) is
 * refused: the tool would never show it, so the zone is wrong. A time the zone repeats (clocks
 * going back) is read as its first occurrence.
 */
function inZone(
  wall: Temporal.PlainDateTime,
  timeZone: string,
): { ok: true; at: number } | { ok: false; reason: string } {
  const zdt = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  if (!zdt.toPlainDateTime().equals(wall))
    return {
      ok: false,
      reason: `${wall.toString().replace('T', ' ')} does not exist in ${timeZone} (clocks jump forward then); is the tool's time zone right?`,
    };
  return { ok: true, at: zdt.epochMilliseconds };
}

const hasZone = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Machine timestamps: ISO 8601 (with offset, or zoneless in the tool's zone), RFC 2822, epoch. */
function machine(text: string, timeZone: string): DateRead | null {
  if (/^\d{10}$/.test(text))
    return { ok: true, at: Number(text) * 1000, format: EPOCH, precision: 'second', zoned: true };
  if (/^\d{13}$/.test(text))
    return { ok: true, at: Number(text), format: EPOCH, precision: 'second', zoned: true };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    const precision = /T\d{2}:\d{2}:\d{2}/.test(text) ? 'second' : 'minute';
    if (hasZone.test(text)) {
      const dt = DateTime.fromISO(text, { setZone: true });
      return dt.isValid
        ? { ok: true, at: dt.toMillis(), format: ISO, precision, zoned: true }
        : null;
    }
    const dt = DateTime.fromISO(text, { zone: 'utc' });
    if (!dt.isValid) return null;
    const r = inZone(
      new Temporal.PlainDateTime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second),
      timeZone,
    );
    return r.ok ? { ...r, format: ISO, precision, zoned: false } : r;
  }
  if (/^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{2}:\d{2}/i.test(text)) {
    const dt = DateTime.fromRFC2822(text);
    if (dt.isValid)
      return {
        ok: true,
        at: dt.toMillis(),
        format: RFC2822,
        precision: /\d{2}:\d{2}:\d{2}/.test(text) ? 'second' : 'minute',
        zoned: true,
      };
  }
  if (
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)? ?(?:Z|UTC|[+-]\d{2}:?\d{2})$/i.test(text)
  ) {
    const dt = DateTime.fromSQL(text.replace(/ ?UTC$/i, ' +00:00'), { setZone: true });
    if (dt.isValid)
      return {
        ok: true,
        at: dt.toMillis(),
        format: ISO,
        precision: /\d{2}:\d{2}:\d{2}/.test(text) ? 'second' : 'minute',
        zoned: true,
      };
  }
  return null;
}

/** Reads `text` in one token format, in `locale`, zoneless in `timeZone`. */
function readFormat(
  text: string,
  format: string,
  locale: string,
  timeZone: string,
): DateRead | null {
  const wall = wallTime(text, format, locale);
  if (!wall) return null;
  const r = inZone(wall, timeZone);
  return r.ok
    ? {
        ...r,
        format,
        precision: /s/.test(format.replace(/'[^']*'/g, '')) ? 'second' : 'minute',
        zoned: false,
      }
    : r;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const hasWords = (s: string) => /\p{L}{3,}/u.test(s.replace(/\b[ap]\.?m\.?\b/gi, ''));

/** The orders to read numeric dates in: the explicit one, else the locale's; none when neither says. */
function ordersFor(ctx: DateContext): DateOrder[] {
  if (ctx.dateOrder) return [ctx.dateOrder];
  if (ctx.locale) return [localeDateOrder(ctx.locale)];
  return [];
}

/**
 * Reads a date as a ticket tool writes it: machine timestamps (ISO 8601 with or without offset,
 * RFC 2822, epoch seconds or milliseconds), or a date for people in the tool's `format`, or in
 * any of the formats tools commonly use (`Mon Nov 30 22:04:00 2026`, `2026-11-30 22:04`,
 * `30.11.2026 23:04`, `11/30/2026 10:04 PM`, `30 novembre 2026 23:04`...). Month and weekday names
 * are read in English and in the locale's language. A numeric date is read in the day/month order
 * of `dateOrder` or else of the locale, never guessed from the value; with neither, only
 * year-first numeric dates are read. Dates without a zone are in `timeZone`.
 * When nothing reads, `reason` says why and, where another format would read it, which one.
 * @example readDate('30.11.2026 23:04', { timeZone: 'Europe/Berlin', locale: 'de' }) // { ok: true, at: Date.parse('2026-11-30T22:04:00Z'), format: 'dd.MM.yyyy HH:mm', precision: 'minute' }
 */
export function readDate(text: string, ctx: DateContext): DateRead {
  const t = squash(text);
  if (!t) return { ok: false, reason: 'the date is empty' };
  let lang: string;
  try {
    lang = language(ctx.locale ? new Intl.Locale(ctx.locale).toString() : 'en') ?? 'en';
  } catch {
    return { ok: false, reason: `${ctx.locale} is not a language tag (like de or en-GB)` };
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: ctx.timeZone });
  } catch {
    return { ok: false, reason: `${ctx.timeZone} is not a time zone (like Europe/Berlin)` };
  }
  const m = machine(t, ctx.timeZone);
  if (m) return m;
  const locales = ctx.locale && lang !== 'en' ? [ctx.locale, 'en'] : [ctx.locale ?? 'en'];
  if (ctx.format) {
    if ([ISO, RFC2822, EPOCH].includes(ctx.format))
      return { ok: false, reason: `\`${t}\` is not an ${ctx.format} timestamp` };
    let gap: DateRead | null = null;
    for (const locale of locales) {
      const r = readFormat(t, ctx.format, locale, ctx.timeZone);
      if (r?.ok) return r;
      gap ??= r;
    }
    return (
      gap ?? {
        ok: false,
        reason: `\`${t}\` does not match the format ${ctx.format}${hint(t, ctx)}`,
      }
    );
  }
  const orders = [...new Set<DateOrder>([...ordersFor(ctx), 'ymd'])];
  for (const locale of locales) {
    for (const format of tokenFormats(orders, language(locale) ?? 'en', t)) {
      const r = readFormat(t, format, locale, ctx.timeZone);
      if (r) return r;
    }
  }
  const where = ctx.locale ? `for locale ${ctx.locale}` : 'with no locale set';
  return { ok: false, reason: `no zone and no format matched \`${t}\` ${where}${hint(t, ctx)}` };
}

/** `; try <format>` when a format in another order or language reads `text`. */
function hint(text: string, ctx: DateContext): string {
  const [found] = detectDateFormats(
    [text],
    { ...ctx, format: undefined, dateOrder: undefined, locale: undefined },
    true,
  );
  return found ? `; try ${found}` : '';
}

/**
 * Every format that reads all `samples` in the tool's zone: machine formats by name (`ISO 8601`,
 * `RFC 2822`, `epoch`), then token formats in the locale's language and English, the locale's
 * day/month order first but every order listed (the admin picks; a single sample like
 * `01/02/2026` reads both ways). For the picker's format field and its live preview.
 * @example detectDateFormats(['30.11.2026 23:04'], { timeZone: 'UTC', locale: 'de' }) // ['dd.MM.yyyy HH:mm']
 */
export function detectDateFormats(
  samples: readonly string[],
  ctx: DateContext,
  allLanguages = false,
): string[] {
  const texts = samples.map(squash).filter(Boolean);
  if (!texts.length) return [];
  const out: string[] = [];
  const machineFormats = texts.map((t) => {
    const r = machine(t, ctx.timeZone);
    return r?.ok ? r.format : null;
  });
  if (machineFormats.every((f) => f && f === machineFormats[0])) return [machineFormats[0]!];
  const own = ordersFor(ctx);
  const orders = [...new Set<DateOrder>([...own, 'dmy', 'mdy', 'ymd'])];
  const locales = allLanguages
    ? [...DATE_LANGUAGES]
    : ctx.locale && language(ctx.locale) !== 'en'
      ? [ctx.locale, 'en']
      : [ctx.locale ?? 'en'];
  for (const locale of locales)
    for (const format of tokenFormats(orders, language(locale) ?? 'en', texts[0]!))
      if (
        !out.includes(format) &&
        texts.every((t) => readFormat(t, format, locale, ctx.timeZone)?.ok)
      )
        out.push(format);
  return out;
}
