import { describe, expect, it } from 'vitest';
import { readRelative } from './read-relative.js';

const now = Date.parse('2026-12-01T01:00:00Z');
const H = 3_600_000;
const M = 60_000;

describe('readRelative', () => {
  it.each([
    ['about 3 hours ago', undefined],
    ['3 hours ago', 'en'],
    ['vor etwa 3 Stunden', 'de'],
    ['il y a environ 3 heures', 'fr'],
    ['hace alrededor de 3 horas', 'es'],
    ['circa 3 ore fa', 'it'],
    ['ongeveer 3 uren geleden', 'nl'],
    ['há aproximadamente 3 horas', 'pt'],
    ['3 horas atrás', 'pt-BR'],
  ] as const)('%s is 2.5 to 4 hours before now (rounded or cut)', (text, locale) => {
    expect(readRelative(text, { locale, now })).toEqual({
      ok: true,
      at: now - 3 * H,
      earliest: now - 4 * H - M,
      latest: now - 2.5 * H + M,
    });
  });

  it('reads articles as one, with the rounding of a single unit', () => {
    const hour = { ok: true, at: now - H, earliest: now - 2 * H - M, latest: now + M };
    expect(readRelative('an hour ago', { now })).toEqual(hour);
    expect(readRelative('vor einer Stunde', { locale: 'de', now })).toEqual(hour);
    expect(readRelative("circa un'ora fa", { locale: 'it', now })).toEqual(hour);
  });

  it('reads "less than a minute" as under a minute, "over 2 years" as past two', () => {
    expect(readRelative("il y a moins d'une minute", { locale: 'fr', now })).toEqual({
      ok: true,
      at: now - M,
      earliest: now - 2 * M,
      latest: now + M,
    });
    const year = 365 * 24 * H;
    expect(readRelative('over 2 years ago', { now })).toEqual({
      ok: true,
      at: now - 2 * year,
      earliest: now - 3 * year - M,
      latest: now - 2 * year + M,
    });
  });

  it('reads yesterday as anywhere in the 48 hours before now', () => {
    const yesterday = { ok: true, at: now - 24 * H, earliest: now - 48 * H, latest: now };
    expect(readRelative('yesterday', { now })).toEqual(yesterday);
    expect(readRelative('gestern', { locale: 'de', now })).toEqual(yesterday);
  });

  it('reads a bare distance, its "ago" written outside it, when told so', () => {
    const three = {
      ok: true,
      at: now - 3 * H,
      earliest: now - 4 * H - M,
      latest: now - 2.5 * H + M,
    };
    expect(readRelative('about 3 hours', { now, distance: true })).toEqual(three);
    expect(readRelative('etwa 3 Stunden', { locale: 'de', now, distance: true })).toEqual(three);
    expect(readRelative("moins d'une minute", { locale: 'fr', now, distance: true })).toMatchObject(
      { at: now - M },
    );
    expect(readRelative('about 3 hours', { now }).ok).toBe(false);
  });

  it('keeps to the locale and English when a locale is set', () => {
    expect(readRelative('vor 3 Stunden', { locale: 'fr', now }).ok).toBe(false);
    expect(readRelative('3 hours ago', { locale: 'fr', now }).ok).toBe(true);
  });

  it('says what it could not read', () => {
    expect(readRelative('next week', { locale: 'en-US', now })).toEqual({
      ok: false,
      reason: '`next week` is not a relative time in en-US or English',
    });
    expect(readRelative('3 parsecs ago', { now }).ok).toBe(false);
  });
});
