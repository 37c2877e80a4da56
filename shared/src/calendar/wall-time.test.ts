import { expect, it } from 'vitest';
import { parseWallTime } from './wall-time.js';

it('reads a US-style time with AM/PM in the viewer zone', () => {
  expect(parseWallTime('01/15/2026 09:00 AM', 'UTC', 'mdy')).toBe(
    Date.parse('2026-01-15T09:00:00Z'),
  );
  expect(parseWallTime('01/15/2026 12:05 AM', 'Europe/Amsterdam', 'mdy')).toBe(
    Date.parse('2026-01-14T23:05:00Z'),
  );
  expect(parseWallTime('7/4/2026 1:30 PM', 'America/Los_Angeles', 'mdy')).toBe(
    Date.parse('2026-07-04T20:30:00Z'),
  );
});

it('reads day-first and ISO dates, and refuses impossible ones', () => {
  expect(parseWallTime('15.01.2026 09:00', 'UTC', 'dmy')).toBe(Date.parse('2026-01-15T09:00:00Z'));
  expect(parseWallTime('2026-01-15 09:00:30', 'Asia/Kolkata', 'mdy')).toBe(
    Date.parse('2026-01-15T03:30:30Z'),
  );
  expect(parseWallTime('02/30/2026 09:00 AM', 'UTC', 'mdy')).toBeNull();
  expect(parseWallTime('about 3 hours ago', 'UTC', 'mdy')).toBeNull();
  expect(parseWallTime('13/01/2026 09:00 PM', 'UTC', 'mdy')).toBeNull();
});
