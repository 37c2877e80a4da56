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

it('reads English dates with month names, in the zone given, across a DST change', () => {
  expect(parseWallTime('Nov 30, 2026 3:04 PM', 'UTC', 'dmy')).toBe(
    Date.parse('2026-11-30T15:04:00Z'),
  );
  expect(parseWallTime('Mon, 30 Nov 2026 at 15:04', 'Europe/Amsterdam', 'mdy')).toBe(
    Date.parse('2026-11-30T14:04:00Z'),
  );
  expect(parseWallTime('March 8, 2026, 3:30:05 a.m.', 'America/New_York', 'mdy')).toBe(
    Date.parse('2026-03-08T07:30:05Z'),
  );
  // 2:30 on the spring-forward night does not exist in New York: read as the instant after the gap.
  expect(parseWallTime('8 Mar 2026 2:30', 'America/New_York', 'mdy')).toBe(
    Date.parse('2026-03-08T07:30:00Z'),
  );
  expect(parseWallTime('Novel 30, 2026 3:04 PM', 'UTC', 'mdy')).toBeNull();
  expect(parseWallTime('Nov 31, 2026 3:04 PM', 'UTC', 'mdy')).toBeNull();
  expect(parseWallTime('Nov 30, 2026 13:04 PM', 'UTC', 'mdy')).toBeNull();
});
