import { describe, expect, it } from 'vitest';
import { DEFAULT_RED_FLAG_RULES, redFlagRules, type RedFlagRules } from '../schemas/flags.js';
import {
  evaluateRedFlags,
  repeatEscalations,
  risingRun,
  risingTags,
  spikingTags,
  type RedFlagInputs,
} from './flags.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-27T10:00:00Z');
const none: RedFlagInputs = {
  backlog: [],
  compliance: { rate: null, met: 0, concluded: 0 },
  tagVolume: { current: {}, previous: {} },
  escalations: [],
  open: [],
};
const on = (patch: Partial<RedFlagRules>): RedFlagRules => ({
  ...DEFAULT_RED_FLAG_RULES,
  ...patch,
});
const series = (...values: (number | null)[]) =>
  values.map((value, i) => ({ day: `2026-03-${String(20 + i).padStart(2, '0')}`, value }));

describe('risingRun', () => {
  it.each([
    // values (end of each day)   rises   first point of the run
    [[5, 6, 7, 9], 3, 5],
    [[9, 6, 7, 9], 2, 6],
    [[5, 6, 6, 9], 1, 6], // equal is not a rise
    [[5, 6, 7, 4], 0, 4],
    [[5, null, 7, 9], 1, 7], // an unknown day ends the run
    [[], 0, undefined],
  ])('counts the rises at the end of %j', (values, rises, first) => {
    const run = risingRun(series(...values));
    expect(run.rises).toBe(rises);
    expect(run.points[0]?.value).toBe(first);
  });
});

describe('tags rising and spiking', () => {
  const current = { printer: 10, vpn: 4, email: 3, new: 5 };
  const previous = { printer: 4, vpn: 4, email: 1 };
  it('lists tags whose volume rose, the largest rise first', () => {
    expect(risingTags(current, previous)).toEqual([
      { tag: 'printer', current: 10, previous: 4 }, // +6
      { tag: 'new', current: 5, previous: 0 }, // +5
      { tag: 'email', current: 3, previous: 1 }, // +2
    ]);
  });
  it('spikes only at ratio times the previous and at least the minimum count', () => {
    // ratio 2, at least 5: printer 10 >= 8 yes; new 5 >= 0 yes; email 3 < 5 no.
    expect(spikingTags(current, previous, 2, 5).map((t) => t.tag)).toEqual(['printer', 'new']);
    // ratio 3: printer 10 < 12 no.
    expect(spikingTags(current, previous, 3, 5).map((t) => t.tag)).toEqual(['new']);
  });
});

it('counts repeat escalations per ticket', () => {
  const e = (ticketId: string) => ({ ticketId, subject: `S${ticketId}` });
  expect(repeatEscalations([e('1'), e('2'), e('1'), e('3'), e('1'), e('2')], 2)).toEqual([
    { ticketId: '1', subject: 'S1', count: 3 },
    { ticketId: '2', subject: 'S2', count: 2 },
  ]);
});

describe('evaluateRedFlags', () => {
  it('raises nothing while every rule is off', () => {
    const busy: RedFlagInputs = {
      backlog: series(1, 2, 3, 4, 5),
      compliance: { rate: 0.1, met: 1, concluded: 10 },
      tagVolume: { current: { a: 100 }, previous: {} },
      escalations: [
        { ticketId: 't', subject: 'S' },
        { ticketId: 't', subject: 'S' },
      ],
      open: [{ ticketId: 'x', createdAt: NOW - 100 * DAY }],
    };
    expect(evaluateRedFlags(busy, DEFAULT_RED_FLAG_RULES, NOW)).toEqual([]);
  });

  it('raises backlog rising at the threshold of days, with the numbers', () => {
    const rules = on({ backlog_rising: { enabled: true, days: 3 } });
    expect(evaluateRedFlags({ ...none, backlog: series(8, 7, 9, 12) }, rules, NOW)).toEqual([]);
    expect(evaluateRedFlags({ ...none, backlog: series(8, 9, 10, 12) }, rules, NOW)).toEqual([
      {
        rule: 'backlog_rising',
        subject: '',
        title: 'Backlog rising 3 days in a row: 8 to 12',
        numbers: { days: 3, from: 8, to: 12, since: '2026-03-20' },
      },
    ]);
  });

  it('raises compliance under target, not at it, not with nothing concluded', () => {
    const rules = on({ compliance_under_target: { enabled: true, target: 0.9 } });
    const at = (met: number, concluded: number) =>
      evaluateRedFlags(
        { ...none, compliance: { rate: concluded ? met / concluded : null, met, concluded } },
        rules,
        NOW,
      );
    expect(at(9, 10)).toEqual([]); // 90% is the target, not under it
    expect(at(0, 0)).toEqual([]);
    expect(at(17, 20)).toEqual([
      {
        rule: 'compliance_under_target',
        subject: '',
        title: 'SLA compliance 85% over 7 days, under the 90% target',
        numbers: { rate: 0.85, met: 17, concluded: 20, target: 0.9 },
      },
    ]);
  });

  it('raises one flag per spiking tag', () => {
    const rules = on({ category_spike: { enabled: true, ratio: 2, minCount: 5 } });
    const flags = evaluateRedFlags(
      {
        ...none,
        tagVolume: { current: { printer: 12, vpn: 6 }, previous: { printer: 6, vpn: 4 } },
      },
      rules,
      NOW,
    );
    // printer 12 >= 2 x 6; vpn 6 < 2 x 4.
    expect(flags.map((f) => [f.subject, f.numbers])).toEqual([
      ['printer', { tag: 'printer', current: 12, previous: 6 }],
    ]);
  });

  it('raises one flag per ticket escalated the threshold of times', () => {
    const rules = on({ repeat_escalations: { enabled: true, count: 3, days: 30 } });
    const e = (ticketId: string) => ({ ticketId, subject: 'VPN down' });
    const flags = evaluateRedFlags(
      { ...none, escalations: [e('a'), e('a'), e('b'), e('a'), e('b')] },
      rules,
      NOW,
    );
    expect(flags).toEqual([
      {
        rule: 'repeat_escalations',
        subject: 'a',
        title: 'Escalated 3 times in 30 days: VPN down',
        numbers: { ticketId: 'a', escalations: 3, days: 30 },
      },
    ]);
  });

  it('raises aging tickets at exactly N days open, counting them', () => {
    const rules = on({ aging_tickets: { enabled: true, days: 7 } });
    const open = [
      { ticketId: 'a', createdAt: NOW - 7 * DAY }, // exactly 7 days: counts
      { ticketId: 'b', createdAt: NOW - 7 * DAY + 1 }, // 1 ms short
      { ticketId: 'c', createdAt: NOW - 12.5 * DAY },
    ];
    expect(evaluateRedFlags({ ...none, open }, rules, NOW)).toEqual([
      {
        rule: 'aging_tickets',
        subject: '',
        title: '2 tickets open over 7 days',
        numbers: { tickets: 2, days: 7, oldestDays: 12 },
      },
    ]);
  });
});

describe('redFlagRules', () => {
  it('accepts the defaults and rejects thresholds out of range', () => {
    expect(redFlagRules.parse(DEFAULT_RED_FLAG_RULES)).toEqual(DEFAULT_RED_FLAG_RULES);
    const bad = (patch: object) => redFlagRules.safeParse({ ...DEFAULT_RED_FLAG_RULES, ...patch });
    expect(bad({ backlog_rising: { enabled: true, days: 1 } }).success).toBe(false);
    expect(bad({ compliance_under_target: { enabled: true, target: 1.5 } }).success).toBe(false);
    expect(bad({ category_spike: { enabled: true, ratio: 1, minCount: 5 } }).success).toBe(false);
    expect(bad({ aging_tickets: { enabled: true, days: 7, extra: 1 } }).success).toBe(false);
    expect(bad({ timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});
