import { expect, it } from 'vitest';
import { formatDuration } from './format.js';

it('formats a ticking timer with the largest useful units', () => {
  expect(formatDuration(42 * 60_000 + 7_000)).toBe('42m 07s');
  expect(formatDuration(3 * 3_600_000 + 5 * 60_000 + 9_000)).toBe('3h 05m 09s');
  expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 10 * 60_000)).toBe('2d 4h 10m');
  expect(formatDuration(-750_000)).toBe('-12m 30s');
  expect(formatDuration(999)).toBe('0m 00s');
});
