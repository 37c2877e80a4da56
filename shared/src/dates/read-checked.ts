import { readDate, type DateContext } from './read-date.js';
import { readRelative } from './read-relative.js';

export interface CheckContext extends DateContext {
  now: number;
  /** When the page was loaded: a relative text written by the server then is older than it reads now. */
  since?: number | undefined;
}

export type CheckedRead =
  | { ok: true; at: number; precision: 'second' | 'minute' }
  /** `offBy`: the page's own representations of this time disagree by that much (ms). */
  | { ok: false; reason: string; offBy?: number };

/**
 * Reads a time the page shows, and checks it against the other ways the same element writes it
 * (a `datetime` attribute, a `title`, a relative text like "about 3 hours ago") when it was read
 * without a zone of its own. A time read in the wrong zone or order disagrees with them by hours;
 * that is refused with `offBy` rather than returned. Representations that are not times (a title like "Edit") are ignored; a time given
 * only as a relative text is refused, being too coarse to store.
 * @example readChecked('11/30/2026 10:04 PM', ['about 3 hours ago'], { timeZone: 'America/New_York', locale: 'en-US', now: Date.parse('2026-12-01T01:00:00Z') }) // { ok: false, offBy: 18_000_000, ... }
 */
export function readChecked(
  primary: string,
  others: readonly (string | null | undefined)[],
  ctx: CheckContext,
): CheckedRead {
  const main = readDate(primary, ctx);
  if (!main.ok) {
    const relative = readRelative(primary, { locale: ctx.locale, now: ctx.now });
    return relative.ok
      ? {
          ok: false,
          reason: `only a relative time (\`${primary.trim()}\`) is there; read the element's title or datetime instead`,
        }
      : main;
  }
  // A time that carries its own offset cannot be misread by zone: the others add nothing.
  if (main.zoned) return { ok: true, at: main.at, precision: main.precision };
  const slack = main.precision === 'minute' ? 60_000 : 1000;
  for (const raw of others) {
    const text = raw?.replace(/\s+/g, ' ').trim();
    if (!text || text === primary.replace(/\s+/g, ' ').trim()) continue;
    const other = readDate(text, ctx);
    let off = 0;
    if (other.ok) {
      const d = main.at - other.at;
      if (Math.abs(d) >= (other.precision === 'minute' ? 60_000 : slack)) off = d;
    } else {
      // The element's own text may be a bare distance, its "ago" outside (Redmine's links).
      let rel = readRelative(text, { locale: ctx.locale, now: ctx.now });
      if (!rel.ok) rel = readRelative(text, { locale: ctx.locale, now: ctx.now, distance: true });
      if (!rel.ok) continue;
      const earliest = rel.earliest - Math.max(0, ctx.now - (ctx.since ?? ctx.now));
      if (main.at < earliest || main.at > rel.latest) off = main.at - rel.at;
    }
    if (off !== 0)
      return {
        ok: false,
        offBy: off,
        reason: `\`${primary.trim()}\` read in ${ctx.timeZone} is ${new Date(main.at).toISOString()}, but the page also says \`${text}\``,
      };
  }
  return { ok: true, at: main.at, precision: main.precision };
}

/**
 * How far apart two readings are, as an admin reads it: `5 h`, `4.5 h`, `40 min`, `2 d`.
 * @example offByText(-18_000_000) // '5 h'
 */
export function offByText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 48 * 3_600_000) return `${Math.round(abs / 86_400_000)} d`;
  if (abs >= 3_600_000) return `${Math.round(abs / 1_800_000) / 2} h`;
  return `${Math.max(1, Math.round(abs / 60_000))} min`;
}
