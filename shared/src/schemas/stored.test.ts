import { describe, expect, it } from 'vitest';
import { calendarSpec } from '../calendar/spec.js';
import { slaPolicy, defaultPolicy } from '../sla/policy.js';
import { parseStored } from './stored.js';

describe('parseStored', () => {
  it('reads a stored row with keys the schema no longer knows, at any depth', () => {
    const row = {
      name: 'Office',
      timeZone: 'Europe/Amsterdam',
      retired: true,
      hours: { mon: [{ start: '09:00', end: '17:00', note: 'old' }] },
    };
    expect(() => calendarSpec.parse(row)).toThrow(/retired/);
    expect(parseStored(calendarSpec, row).hours).toMatchObject({
      mon: [{ start: '09:00', end: '17:00' }],
    });
    expect(row.retired).toBe(true); // the stored value is not changed
  });

  it('reads what parsing wrote, unchanged', () => {
    const stored = JSON.parse(JSON.stringify(defaultPolicy));
    expect(parseStored(slaPolicy, stored)).toEqual(defaultPolicy);
  });

  it('still refuses a stored value that is wrong in another way', () => {
    expect(() =>
      parseStored(calendarSpec, { name: 'Office', timeZone: 'Mars/Olympus', hours: '24x7' }),
    ).toThrow(/IANA/);
  });
});
