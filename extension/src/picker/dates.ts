import { localeDateOrder, readDate, type AdapterSpec } from '@deskwatch/shared';

/** How the picker reads a date it shows in its previews. */
export interface DateContext {
  /** The tool's display zone (IANA), for dates written without one. */
  timeZone: string;
  locale?: string;
  /** Unicode (LDML) tokens, e.g. `EEE MMM d HH:mm:ss yyyy`. */
  format?: string;
  dateOrder: AdapterSpec['dateOrder'];
}

export type DatePreview = { ok: true; at: number } | { ok: false; reason: string };

/** Formats the picker offers when a date does not read, as LDML tokens. */
export const COMMON_DATE_FORMATS = [
  'EEE MMM d HH:mm:ss yyyy',
  'dd.MM.yyyy HH:mm',
  'MM/dd/yyyy h:mm a',
  'dd/MM/yyyy HH:mm',
  'yyyy-MM-dd HH:mm',
  'EEE, d MMM yyyy HH:mm:ss',
] as const;

/**
 * Reads a date the way the saved adapter will (`readDate`, the engine's reader), or says why it
 * cannot. The one place the picker reads dates. As in the engine, a language decides the
 * day/month order of numeric dates; `dateOrder` speaks only for tools without one.
 * @example previewDate('30.11.2026 22:04', { timeZone: 'Europe/Berlin', dateOrder: 'dmy' }) // { ok: true, at: Date.parse('2026-11-30T21:04:00Z') }
 */
export function previewDate(text: string, ctx: DateContext): DatePreview {
  const raw = text.replace(/\s+/g, ' ').trim();
  if (!raw) return { ok: false, reason: 'the element is empty' };
  const r = readDate(raw, {
    timeZone: ctx.timeZone,
    locale: ctx.locale || undefined,
    format: ctx.format || undefined,
    dateOrder: ctx.locale ? undefined : ctx.dateOrder,
  });
  return r.ok ? { ok: true, at: r.at } : { ok: false, reason: r.reason };
}

/** A previewed instant as people in the tool's zone and in UTC read it. */
export function showInstant(at: number, timeZone: string, locale?: string): string {
  const fmt = (zone: string) =>
    new Intl.DateTimeFormat(locale ?? 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: zone,
    }).format(at);
  return `${fmt(timeZone)} ${timeZone} (${fmt('UTC')} UTC)`;
}

/**
 * How an all-numeric date reads: from the format when one is set, else from the locale's own
 * order (`de` day first, `en-US` month first, `ja` year first); month first when neither says.
 * @example dateOrderOf('dd.MM.yyyy HH:mm', '') // 'dmy'
 */
export function dateOrderOf(format: string, locale: string): 'mdy' | 'dmy' | 'ymd' {
  const order = (s: string) => {
    const [d, m, y] = [s.indexOf('d'), s.indexOf('m'), s.indexOf('y')];
    if (y >= 0 && m >= 0 && y < m) return 'ymd';
    if (d >= 0 && m >= 0) return d < m ? 'dmy' : 'mdy';
    return null;
  };
  if (format) {
    const o = order(
      format
        .replace(/E+/g, '')
        .replace(/M/g, 'm')
        .replace(/[^dmy]/g, ''),
    );
    if (o) return o;
  }
  if (locale) {
    try {
      // The engine's own rule for the language's order.
      return localeDateOrder(locale);
    } catch {
      // an unknown locale reads as the default
    }
  }
  return 'mdy';
}
