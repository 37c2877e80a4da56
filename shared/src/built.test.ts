import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

it('serves the engine to a plain Node program from the built package', () => {
  expect(
    existsSync(dist),
    'shared/dist is missing: `npm test` builds it (or run `pnpm --filter @deskwatch/shared build`)',
  ).toBe(true);
  const program = `
    const { businessCalendar, addBusinessTime, businessTimeBetween, isWithinBusinessHours, nextBusinessOpening, computeSlaState, defaultPolicy } = await import(${JSON.stringify(dist)});
    const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
    const cal = businessCalendar({ name: 'Office', timeZone: 'Europe/Amsterdam', hours: week });
    const friday = Date.parse('2026-03-27T16:30:00+01:00');
    const due = addBusinessTime(cal, friday, 3600000);
    const state = computeSlaState([{ type: 'created', at: friday }, { type: 'priority', at: friday, priority: 'high' }], { ...defaultPolicy, calendarId: 'office' }, cal, friday + 60000);
    console.log(JSON.stringify([new Date(due).toISOString(), businessTimeBetween(cal, friday, due), isWithinBusinessHours(cal, friday), new Date(nextBusinessOpening(cal, Date.parse('2026-03-28T10:00:00Z'))).toISOString(), state.targets[0].remainingMs]));
  `;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    encoding: 'utf8',
  });
  expect(res.stderr).toBe('');
  expect(JSON.parse(res.stdout)).toEqual([
    '2026-03-30T07:30:00.000Z',
    3_600_000,
    true,
    '2026-03-30T07:00:00.000Z',
    59 * 60_000,
  ]);
});
