import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnCallSchedule } from './schedule.js';
import { scheduleSpec } from './spec.js';
import { spellAt, WhoCache } from './who-cache.js';

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);

/** Office hours weekly in Amsterdam, nights daily under them, and one override. */
const spec = scheduleSpec.parse({
  timeZone: 'Europe/Amsterdam',
  layers: [
    {
      id: 'office',
      name: 'Office',
      start: '2026-03-02T09:00',
      turn: 'weekly',
      participants: ['ana', 'bo'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
    },
    {
      id: 'nights',
      name: 'Nights',
      start: '2026-03-02T02:30',
      turn: 'daily',
      participants: ['cy', 'di', 'ed'],
      restrictions: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '17:00', end: '09:00' },
      ],
    },
  ],
  overrides: [
    { id: 'o1', userId: 'fay', start: t('2026-03-28T23:00Z'), end: t('2026-03-29T05:00Z') },
  ],
});
const compiled = new OnCallSchedule(spec);

describe('who is on call, cached', () => {
  it('holds an answer until the next handoff, across the spring-forward', () => {
    // Sat 28 March 12:00Z (13:00 CET): a weekend day, no office hours, nights not yet open.
    expect(spellAt(compiled, t('2026-03-28T12:00Z'))).toMatchObject({
      who: null,
      until: t('2026-03-28T16:00Z'), // 17:00 CET: the nights window opens
    });
    // Sun 29 March 01:00Z is 03:00 CEST: the override (until 05:00Z) is on call. The nights
    // handoff under it (02:30 skipped, so 03:30 CEST = 01:30Z) ends the cached answer early.
    expect(spellAt(compiled, t('2026-03-29T01:00Z'))).toMatchObject({
      who: { userId: 'fay' },
      until: t('2026-03-29T01:30Z'),
    });
    expect(spellAt(compiled, t('2026-03-29T01:30Z'))).toMatchObject({
      who: { userId: 'fay' },
      until: t('2026-03-29T05:00Z'),
    });
  });

  it('never answers differently from the schedule while the cached answer holds', () => {
    const from = t('2026-03-20T00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 * 24 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (h, frac) => {
          const at = from + h * H;
          const spell = spellAt(compiled, at);
          const probe = at + Math.floor((spell.until - at) * frac * 0.999);
          expect(compiled.at(probe)).toEqual(spell.who);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reloads a schedule whose version changed, and reuses it otherwise', () => {
    const cache = new WhoCache();
    let loads = 0;
    const load = () => (loads++, compiled);
    cache.at('s', 'v1', t('2026-03-23T10:00Z'), load);
    cache.at('s', 'v1', t('2026-03-23T11:00Z'), load);
    cache.at('s', 'v1', t('2026-03-25T11:00Z'), load); // past the handoff: recomputed, not reloaded
    expect(loads).toBe(1);
    expect(cache.at('s', 'v2', t('2026-03-23T10:00Z'), load).who).toEqual(
      compiled.at(t('2026-03-23T10:00Z')),
    );
    expect(loads).toBe(2);
  });
});
