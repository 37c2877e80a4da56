import { describe, expect, it } from 'vitest';
import { offByText, readChecked } from './read-checked.js';

const now = Date.parse('2026-12-01T01:04:00Z');
const H = 3_600_000;

describe('readChecked', () => {
  it('reads a title that agrees with the relative text beside it', () => {
    expect(
      readChecked('11/30/2026 10:04 PM', ['about 3 hours ago'], {
        timeZone: 'UTC',
        locale: 'en',
        now,
      }),
    ).toEqual({ ok: true, at: Date.parse('2026-11-30T22:04:00Z'), precision: 'minute' });
  });

  it('refuses a title read in the wrong zone, saying by how much', () => {
    const r = readChecked('11/30/2026 10:04 PM', ['about 3 hours ago'], {
      timeZone: 'America/New_York',
      locale: 'en-US',
      now,
    });
    expect(r).toMatchObject({ ok: false, offBy: 5 * H });
    expect(offByText((r as { offBy: number }).offBy)).toBe('5 h');
  });

  it('refuses a zoneless title that disagrees with the datetime attribute', () => {
    const r = readChecked('30.11.2026 23:04', ['2026-11-30T22:04:00Z'], {
      timeZone: 'UTC',
      locale: 'de',
      now,
    });
    expect(r).toMatchObject({ ok: false, offBy: H });
    expect(
      readChecked('30.11.2026 23:04', ['2026-11-30T22:04:37Z'], {
        timeZone: 'Europe/Berlin',
        locale: 'de',
        now,
      }),
    ).toMatchObject({ ok: true });
  });

  it("checks against a bare distance, as Redmine's links write it", () => {
    const ctx = { timeZone: 'America/New_York', locale: 'de', now };
    expect(readChecked('30.11.2026 22:04', ['etwa 3 Stunden'], ctx)).toMatchObject({
      ok: false,
      offBy: 5 * H,
    });
    expect(readChecked('30.11.2026 17:04', ['etwa 3 Stunden'], ctx)).toMatchObject({ ok: true });
  });

  it('checks German and French relative texts', () => {
    const ctx = { timeZone: 'Europe/Berlin', now };
    expect(
      readChecked('30.11.2026 23:04', ['vor etwa 3 Stunden'], { ...ctx, locale: 'de' }),
    ).toMatchObject({ ok: true });
    expect(
      readChecked('30/11/2026 23:04', ['il y a environ 3 heures'], { ...ctx, locale: 'fr' }),
    ).toMatchObject({ ok: true });
    expect(
      readChecked('30/11/2026 23:04', ['il y a environ 8 heures'], { ...ctx, locale: 'fr' }),
    ).toMatchObject({ ok: false, offBy: 5 * H });
  });

  it('allows for a relative text written when the page loaded, not now', () => {
    const later = now + 2 * H; // the page stayed open two hours; Redmine does not update its texts
    const ctx = { timeZone: 'UTC', locale: 'en', now: later };
    expect(
      readChecked('11/30/2026 10:04 PM', ['about 3 hours ago'], { ...ctx, since: now }),
    ).toMatchObject({ ok: true });
    expect(readChecked('11/30/2026 10:04 PM', ['about 3 hours ago'], ctx)).toMatchObject({
      ok: false,
    });
  });

  it('trusts a time with its own offset over a stale relative text beside it', () => {
    expect(
      readChecked('2026-11-28T16:20:00Z', ['2 hours ago'], { timeZone: 'America/New_York', now }),
    ).toEqual({ ok: true, at: Date.parse('2026-11-28T16:20:00Z'), precision: 'second' });
  });

  it('accepts a relative text cut rather than rounded ("5 hours" for 5 h 35 min)', () => {
    const ctx = { timeZone: 'UTC', locale: 'en', now: Date.parse('2026-11-30T15:15:00Z') };
    expect(readChecked('Mon, 30 Nov 2026 at 9:40 AM', ['5 hours ago'], ctx)).toMatchObject({
      ok: true,
    });
  });

  it('ignores other texts that are not times', () => {
    expect(
      readChecked('2026-11-30T22:04:00Z', ['Edit', '', null, 'Alice'], { timeZone: 'UTC', now }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a time given only as relative text, and passes on why a date did not read', () => {
    expect(readChecked('3 hours ago', [], { timeZone: 'UTC', now })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only a relative time'),
    });
    expect(readChecked('30.11.2026 23:04', [], { timeZone: 'UTC', locale: 'en-US', now })).toEqual({
      ok: false,
      reason:
        'no zone and no format matched `30.11.2026 23:04` for locale en-US; try dd.MM.yyyy HH:mm',
    });
  });

  it('writes offsets as an admin reads them', () => {
    expect(offByText(-5.5 * H)).toBe('5.5 h');
    expect(offByText(40 * 60_000)).toBe('40 min');
    expect(offByText(72 * H)).toBe('3 d');
  });
});
