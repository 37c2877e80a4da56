import { metricsQuery } from '@deskwatch/shared';
import { describe, expect, it } from 'vitest';
import {
  inputToTarget,
  meetsTarget,
  queryFromSearch,
  searchFromQuery,
  showValue,
  sparkPoints,
  targetToInput,
  toCsv,
} from './metrics-view';

describe('the glance filters in the address', () => {
  it('reads a valid query the server accepts, and writes it back', () => {
    const s = new URLSearchParams(
      'period=custom&from=2026-03-01&to=2026-03-07&priority=high,bogus&tag=vpn',
    );
    const q = queryFromSearch(s, 'Europe/Amsterdam');
    expect(q).toEqual({
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-07',
      timeZone: 'Europe/Amsterdam',
      priorities: ['high'],
      tags: ['vpn'],
    });
    expect(metricsQuery.safeParse(q).success).toBe(true);
    expect(queryFromSearch(new URLSearchParams(searchFromQuery(q)), 'Europe/Amsterdam')).toEqual(q);
  });
  it('falls back to 7 days for an unknown or incomplete period', () => {
    expect(queryFromSearch(new URLSearchParams('period=year'), 'UTC').period).toBe('7d');
    expect(
      queryFromSearch(new URLSearchParams('period=custom&from=2026-03-02'), 'UTC').period,
    ).toBe('7d');
  });
});

describe('values and targets', () => {
  it('shows each unit as people read it', () => {
    expect(showValue('first_response', 42 * 60_000)).toBe('42 min');
    expect(showValue('compliance', 0.954)).toBe('95%');
    expect(showValue('backlog', 12)).toBe('12');
    expect(showValue('resolution', null)).toBe('—');
  });
  it('meets a target by the metric’s good direction', () => {
    expect(meetsTarget('first_response', 30, 60)).toBe(true);
    expect(meetsTarget('compliance', 0.9, 0.95)).toBe(false);
    expect(meetsTarget('solved', 10, 8)).toBe(true);
    expect(meetsTarget('backlog', 3, null)).toBeNull();
  });
  it('takes targets in minutes and percent', () => {
    expect(inputToTarget('first_response', 30)).toBe(1_800_000);
    expect(targetToInput('first_response', 1_800_000)).toBe(30);
    expect(inputToTarget('compliance', 95)).toBe(0.95);
    expect(targetToInput('compliance', 0.95)).toBe(95);
  });
});

describe('sparkPoints', () => {
  it('spans the box, skipping days with no value', () => {
    expect(sparkPoints([0, null, 10], 100, 20)).toBe('0.0,20.0 100.0,0.0');
    expect(sparkPoints([5, 5], 10, 20)).toBe('0.0,10.0 10.0,10.0');
    expect(sparkPoints([null], 10, 20)).toBe('');
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(
      toCsv(
        ['id', 'subject'],
        [
          ['1', 'Printer, "again"'],
          ['2', '=HYPERLINK("x")'],
          ['3', null],
        ],
      ),
    ).toBe('id,subject\r\n1,"Printer, ""again"""\r\n2,"\'=HYPERLINK(""x"")"\r\n3,\r\n');
  });
});
