import { describe, expect, it } from 'vitest';
import { detectDateFormats, readDate } from './read-date.js';

const at = (iso: string) => Date.parse(iso);
const read = (text: string, ctx: Parameters<typeof readDate>[1]) => {
  const r = readDate(text, ctx);
  return r.ok ? { at: new Date(r.at).toISOString(), format: r.format, precision: r.precision } : r;
};

describe('readDate: formats ticket tools write', () => {
  it.each([
    [
      'Mon Nov 30 22:04:00 2026',
      'UTC',
      undefined,
      '2026-11-30T22:04:00.000Z',
      'EEE MMM d HH:mm:ss yyyy',
      'second',
    ],
    [
      'Mon Nov  2 09:04:00 2026',
      'America/New_York',
      undefined,
      '2026-11-02T14:04:00.000Z',
      'EEE MMM d HH:mm:ss yyyy',
      'second',
    ],
    [
      '2026-11-30 22:04',
      'Europe/Berlin',
      undefined,
      '2026-11-30T21:04:00.000Z',
      'yyyy-MM-dd HH:mm',
      'minute',
    ],
    [
      '2026-11-30 22:04:05',
      'Asia/Kolkata',
      undefined,
      '2026-11-30T16:34:05.000Z',
      'yyyy-MM-dd HH:mm:ss',
      'second',
    ],
    [
      '30/11/2026 23:04',
      'Europe/Paris',
      'fr',
      '2026-11-30T22:04:00.000Z',
      'dd/MM/yyyy HH:mm',
      'minute',
    ],
    [
      '30.11.2026 23:04',
      'Europe/Berlin',
      'de',
      '2026-11-30T22:04:00.000Z',
      'dd.MM.yyyy HH:mm',
      'minute',
    ],
    ['1.2.2026 9:05', 'UTC', 'de-AT', '2026-02-01T09:05:00.000Z', 'dd.MM.yyyy HH:mm', 'minute'],
    [
      '11/30/2026 10:04 PM',
      'UTC',
      'en-US',
      '2026-11-30T22:04:00.000Z',
      'MM/dd/yyyy hh:mm a',
      'minute',
    ],
    [
      '11/30/2026 9:04:07 am',
      'UTC',
      'en',
      '2026-11-30T09:04:07.000Z',
      'MM/dd/yyyy hh:mm:ss a',
      'second',
    ],
    [
      'Nov 30, 2026, 3:04 PM',
      'UTC',
      'en-GB',
      '2026-11-30T15:04:00.000Z',
      'MMM d, yyyy, hh:mm a',
      'minute',
    ],
    [
      'Monday, November 30, 2026 at 3:04 PM',
      'UTC',
      'en-US',
      '2026-11-30T15:04:00.000Z',
      "EEEE, MMMM d, yyyy 'at' hh:mm a",
      'minute',
    ],
    [
      '30. November 2026 um 23:04:05',
      'UTC',
      'de-DE',
      '2026-11-30T23:04:05.000Z',
      "d. MMMM yyyy 'um' HH:mm:ss",
      'second',
    ],
    ['3. März 2026 10:00', 'UTC', 'de', '2026-03-03T10:00:00.000Z', 'd. MMM yyyy HH:mm', 'minute'],
    [
      '30. Oktober 2026 10:00',
      'UTC',
      'de',
      '2026-10-30T10:00:00.000Z',
      'd. MMMM yyyy HH:mm',
      'minute',
    ],
    [
      '30 novembre 2026 à 23:04',
      'UTC',
      'fr',
      '2026-11-30T23:04:00.000Z',
      "d MMMM yyyy 'à' HH:mm",
      'minute',
    ],
    [
      '30 de noviembre de 2026 23:04',
      'UTC',
      'es',
      '2026-11-30T23:04:00.000Z',
      "d 'de' MMMM 'de' yyyy HH:mm",
      'minute',
    ],
    [
      '30 novembre 2026 23:04',
      'UTC',
      'it',
      '2026-11-30T23:04:00.000Z',
      'd MMMM yyyy HH:mm',
      'minute',
    ],
    [
      '30 november 2026 23:04',
      'UTC',
      'nl',
      '2026-11-30T23:04:00.000Z',
      'd MMMM yyyy HH:mm',
      'minute',
    ],
    [
      '30 de novembro de 2026 23:04',
      'UTC',
      'pt-BR',
      '2026-11-30T23:04:00.000Z',
      "d 'de' MMMM 'de' yyyy HH:mm",
      'minute',
    ],
    ['30-11-2026 23:04', 'UTC', 'nl', '2026-11-30T23:04:00.000Z', 'dd-MM-yyyy HH:mm', 'minute'],
  ] as const)('%s in %s (%s)', (text, timeZone, locale, iso, format, precision) => {
    expect(read(text, { timeZone, locale })).toEqual({ at: iso, format, precision });
  });

  it('reads machine timestamps with their own offset, whatever the tool zone', () => {
    const ctx = { timeZone: 'Pacific/Chatham', locale: 'de' };
    expect(read('2026-11-30T22:04:05Z', ctx)).toMatchObject({
      at: '2026-11-30T22:04:05.000Z',
      format: 'ISO 8601',
      precision: 'second',
    });
    expect(read('2026-11-30T23:04+01:00', ctx)).toMatchObject({
      at: '2026-11-30T22:04:00.000Z',
      precision: 'minute',
    });
    expect(read('Mon, 30 Nov 2026 23:04:00 +0100', ctx)).toMatchObject({
      at: '2026-11-30T22:04:00.000Z',
      format: 'RFC 2822',
    });
    expect(read('2026-11-30 22:04:00 UTC', ctx)).toMatchObject({ at: '2026-11-30T22:04:00.000Z' });
    expect(read('1796076240', ctx)).toMatchObject({
      at: '2026-11-30T22:04:00.000Z',
      format: 'epoch',
      precision: 'second',
    });
    expect(read('1796076240123', ctx)).toMatchObject({
      at: '2026-11-30T22:04:00.123Z',
      format: 'epoch',
    });
  });

  it('reads a zoneless ISO time in the tool zone', () => {
    expect(read('2026-11-30T22:04', { timeZone: 'America/New_York' })).toMatchObject({
      at: '2026-12-01T03:04:00.000Z',
    });
  });
});

describe('readDate: day/month order from the locale, never from the value', () => {
  it('reads 01.12.2026 as 1 December in German, never as 12 January', () => {
    expect(read('01.12.2026 01:39', { timeZone: 'UTC', locale: 'de' })).toMatchObject({
      at: '2026-12-01T01:39:00.000Z',
    });
  });

  it('refuses a German date under an en-US locale, naming the format that would read it', () => {
    expect(readDate('30.11.2026 23:04', { timeZone: 'UTC', locale: 'en-US' })).toEqual({
      ok: false,
      reason:
        'no zone and no format matched `30.11.2026 23:04` for locale en-US; try dd.MM.yyyy HH:mm',
    });
    expect(readDate('01.12.2026 01:39', { timeZone: 'UTC', locale: 'en-US' }).ok).toBe(false);
  });

  it('reads the same numeric date by locale: en-US month first, en-GB day first', () => {
    expect(read('01/02/2026 10:00', { timeZone: 'UTC', locale: 'en-US' })).toMatchObject({
      at: '2026-01-02T10:00:00.000Z',
    });
    expect(read('01/02/2026 10:00', { timeZone: 'UTC', locale: 'en-GB' })).toMatchObject({
      at: '2026-02-01T10:00:00.000Z',
    });
  });

  it('lets an explicit order win over the locale', () => {
    expect(
      read('01/02/2026 10:00', { timeZone: 'UTC', locale: 'en-US', dateOrder: 'dmy' }),
    ).toMatchObject({ at: '2026-02-01T10:00:00.000Z' });
  });

  it('refuses an ambiguous numeric date when neither locale nor order says', () => {
    const r = readDate('01/02/2026 10:00', { timeZone: 'UTC' });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('with no locale set') });
  });

  it('reads only the explicit format when given, and says so when it does not match', () => {
    expect(
      read('30.11.2026 23:04', { timeZone: 'UTC', locale: 'en-US', format: 'dd.MM.yyyy HH:mm' }),
    ).toMatchObject({ at: '2026-11-30T23:04:00.000Z' });
    expect(
      readDate('11/30/2026 11:04 PM', {
        timeZone: 'UTC',
        locale: 'en-US',
        format: 'dd.MM.yyyy HH:mm',
      }),
    ).toEqual({
      ok: false,
      reason:
        '`11/30/2026 11:04 PM` does not match the format dd.MM.yyyy HH:mm; try MM/dd/yyyy hh:mm a',
    });
  });

  it('refuses a weekday that does not fit the date', () => {
    expect(readDate('Tue Nov 30 22:04:00 2026', { timeZone: 'UTC' }).ok).toBe(false);
  });

  it('explains a bad zone or locale in words', () => {
    expect(readDate('2026-11-30 22:04', { timeZone: 'Mars/Olympus' })).toEqual({
      ok: false,
      reason: 'Mars/Olympus is not a time zone (like Europe/Berlin)',
    });
    expect(readDate('', { timeZone: 'UTC' })).toEqual({ ok: false, reason: 'the date is empty' });
    expect(readDate('not a date', { timeZone: 'UTC', locale: 'en' })).toMatchObject({
      ok: false,
      reason: 'no zone and no format matched `not a date` for locale en',
    });
  });
});

describe('readDate: daylight saving in the tool zone', () => {
  it('refuses a wall time the zone skips (the zone must be wrong)', () => {
    const r = readDate('2026-03-29 02:30', { timeZone: 'Europe/Berlin' });
    expect(r).toEqual({
      ok: false,
      reason:
        "2026-03-29 02:30:00 does not exist in Europe/Berlin (clocks jump forward then); is the tool's time zone right?",
    });
    expect(
      readDate('03/08/2026 02:30 AM', { timeZone: 'America/New_York', locale: 'en-US' }).ok,
    ).toBe(false);
  });

  it('reads a repeated wall time as its first occurrence', () => {
    expect(read('2026-10-25 02:30', { timeZone: 'Europe/Berlin' })).toMatchObject({
      at: '2026-10-25T00:30:00.000Z',
    });
    expect(
      read('11/01/2026 01:30 AM', { timeZone: 'America/New_York', locale: 'en-US' }),
    ).toMatchObject({ at: '2026-11-01T05:30:00.000Z' });
  });

  it('reads times on either side of a change with the right offset', () => {
    expect(readDate('2026-03-29 01:59', { timeZone: 'Europe/Berlin' })).toMatchObject({
      at: at('2026-03-29T00:59:00Z'),
    });
    expect(readDate('2026-03-29 03:00', { timeZone: 'Europe/Berlin' })).toMatchObject({
      at: at('2026-03-29T01:00:00Z'),
    });
    // Lord Howe moves by half an hour.
    expect(readDate('2026-10-04 02:15', { timeZone: 'Australia/Lord_Howe' }).ok).toBe(false);
    expect(readDate('2026-10-04 02:45', { timeZone: 'Australia/Lord_Howe' })).toMatchObject({
      at: at('2026-10-03T15:45:00Z'),
    });
  });
});

describe('detectDateFormats', () => {
  it('lists the formats reading every sample, the locale order first', () => {
    expect(detectDateFormats(['01/02/2026 10:00'], { timeZone: 'UTC', locale: 'de' })).toEqual([
      'dd/MM/yyyy HH:mm',
      'dd/MM/yy HH:mm',
      'MM/dd/yyyy HH:mm',
      'MM/dd/yy HH:mm',
    ]);
  });

  it('narrows to the one order a later sample allows', () => {
    expect(
      detectDateFormats(['01/02/2026 10:00', '13/02/2026 10:00'], {
        timeZone: 'UTC',
        locale: 'en-US',
      }),
    ).toEqual(['dd/MM/yyyy HH:mm', 'dd/MM/yy HH:mm']);
  });

  it('names a machine format when every sample is one', () => {
    expect(
      detectDateFormats(['2026-11-30T22:04:00Z', '2026-12-01T01:00:00+01:00'], { timeZone: 'UTC' }),
    ).toEqual(['ISO 8601']);
  });

  it('returns nothing for samples no format reads', () => {
    expect(detectDateFormats(['soon'], { timeZone: 'UTC' })).toEqual([]);
  });

  it('finds the ctime format of a tool that writes it', () => {
    expect(
      detectDateFormats(['Mon Nov 30 22:04:00 2026', 'Tue Dec 1 09:00:00 2026'], {
        timeZone: 'UTC',
      }),
    ).toContain('EEE MMM d HH:mm:ss yyyy');
  });
});
