import { describe, expect, it } from 'vitest';
import { calendarSpec } from './spec.js';

const office = { name: 'Office', timeZone: 'Europe/Amsterdam' };
const issues = (value: unknown) =>
  calendarSpec.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('calendarSpec', () => {
  it('refuses a misspelt weekday by name, rather than leaving that day closed', () => {
    expect(issues({ ...office, hours: { mon: [], tuseday: [] } })).toEqual([
      'hours: unknown weekday "tuseday"; the days are mon, tue, wed, thu, fri, sat, sun',
    ]);
  });

  it('refuses an operator object as hours, rather than reading it as no hours at all', () => {
    expect(issues({ ...office, hours: { $gt: '' } })).toEqual([
      'hours: unknown weekday "$gt"; the days are mon, tue, wed, thu, fri, sat, sun',
    ]);
  });

  it('refuses unknown keys in intervals, holidays and the calendar itself', () => {
    expect(
      issues({
        ...office,
        colour: 'red',
        hours: { mon: [{ start: '09:00', end: '17:00', until: '18:00' }] },
        holidays: [{ date: '2026-12-25', recurring: true }],
      }),
    ).toEqual([
      expect.stringMatching(/^hours\.mon\.0: Unrecognized key: "until"$/),
      expect.stringMatching(/^holidays\.0: .*"recurring"/),
      ': Unrecognized key: "colour"',
    ]);
  });
});
