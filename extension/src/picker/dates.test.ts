import { describe, expect, it } from 'vitest';
import { dateOrderOf, previewDate, showInstant } from './dates';

describe('previewDate', () => {
  it('reads a zoneless day-first date in the tool zone, not the browser zone', () => {
    expect(
      previewDate('30.11.2026 22:04', { timeZone: 'Europe/Berlin', dateOrder: 'dmy' }),
    ).toEqual(
      { ok: true, at: Date.parse('2026-11-30T21:04:00Z') }, // Berlin is UTC+1 in winter
    );
  });

  it('reads a US date with AM/PM in the tool zone', () => {
    expect(
      previewDate('11/30/2026 10:04 PM', { timeZone: 'America/Los_Angeles', dateOrder: 'mdy' }),
    ).toEqual({ ok: true, at: Date.parse('2026-12-01T06:04:00Z') }); // PST is UTC-8
  });

  it('reads a ctime-like date in the tool zone, as the saved adapter will', () => {
    expect(
      previewDate('Mon Nov 30 22:04:00 2026', { timeZone: 'America/New_York', dateOrder: 'mdy' }),
    ).toEqual({ ok: true, at: Date.parse('2026-12-01T03:04:00Z') });
  });

  it('says why a date does not read, naming the text', () => {
    const r = previewDate('30|11|2026 22h04', { timeZone: 'UTC', dateOrder: 'mdy' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('30|11|2026 22h04');
  });

  it('tells an empty element and a text without digits apart from an unknown format', () => {
    expect(previewDate('  ', { timeZone: 'UTC', dateOrder: 'mdy' })).toEqual({
      ok: false,
      reason: 'the element is empty',
    });
    const name = previewDate('Kim Lee', { timeZone: 'UTC', dateOrder: 'mdy' });
    expect(name.ok).toBe(false);
    if (!name.ok) expect(name.reason).not.toBe('the element is empty');
  });

  it('shows an instant in the tool zone and in UTC', () => {
    expect(showInstant(Date.parse('2026-11-30T21:04:00Z'), 'Europe/Berlin', 'en-GB')).toBe(
      '30 Nov 2026, 22:04 Europe/Berlin (30 Nov 2026, 21:04 UTC)',
    );
  });
});

describe('dateOrderOf', () => {
  it('takes the order from the format first, then from the locale', () => {
    expect(dateOrderOf('dd.MM.yyyy HH:mm', 'en-US')).toBe('dmy');
    expect(dateOrderOf('MM/dd/yyyy h:mm a', 'de')).toBe('mdy');
    expect(dateOrderOf('yyyy-MM-dd HH:mm', '')).toBe('ymd');
    expect(dateOrderOf('', 'de')).toBe('dmy');
    expect(dateOrderOf('', 'en-GB')).toBe('dmy');
    expect(dateOrderOf('', 'en-US')).toBe('mdy');
    expect(dateOrderOf('', 'ja')).toBe('ymd');
    expect(dateOrderOf('', '')).toBe('mdy');
  });
});
