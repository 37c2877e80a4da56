import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../calendar/spec.js';
import { calendar24x7 } from '../sla/calendar.js';
import type { TicketEvent } from '../sla/events.js';
import { defaultPolicy, slaPolicy } from '../sla/policy.js';
import { computeSlaCycles } from '../sla/state.js';
import {
  atRisk,
  backlogAt,
  compliance,
  dayPeriods,
  filterFacts,
  localDay,
  median,
  percentile,
  timeMetric,
  volume,
} from './definitions.js';
import { statusSpans, ticketMetricFacts, type FactsTicket } from './facts.js';

const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const MIN = 60_000;

const ticket = (id: string, createdAt: number, more: Partial<FactsTicket> = {}): FactsTicket => ({
  id,
  source: 'zendesk',
  priority: 'normal',
  tags: [],
  assignee: null,
  createdAt,
  statusKnownFrom: null,
  ...more,
});

describe('median and p90', () => {
  it('takes the mean of the two middle values of an even count', () => {
    expect(median([10, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
  });
  it('takes the nearest rank for p90', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3], 90)).toBe(3);
    expect(percentile([7], 90)).toBe(7);
  });
});

describe('first response across the autumn DST change (Europe/Amsterdam, night shift 00:00-06:00 daily)', () => {
  const night = businessCalendar(
    {
      name: 'Night',
      timeZone: 'Europe/Amsterdam',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
          d,
          [{ start: '00:00', end: '06:00' }],
        ]),
      ),
    },
    'night',
  );
  const policy = slaPolicy.parse({
    name: 'Night desk',
    calendarId: 'night',
    targets: { first_response: { normal: 240 } }, // 4 business hours
  });
  const replied = (created: string, reply: string): TicketEvent[] => [
    { type: 'created', at: t(created) },
    { type: 'message', at: t(reply), author: 'agent', public: true },
  ];
  const now = t('2026-10-27T00:00:00Z');
  const facts = [
    // Sun 25 Oct: clocks go back at 03:00, so 00:30 to 05:30 local is 6 real hours.
    ['a', '2026-10-25T00:30:00+02:00', '2026-10-25T05:30:00+01:00'],
    // Mon 26 Oct, an ordinary night: 5 hours.
    ['b', '2026-10-26T00:30:00+01:00', '2026-10-26T05:30:00+01:00'],
    // Sat 24 Oct 05:00 to 08:00: 1 business hour (05-06), 3 calendar hours.
    ['c', '2026-10-24T05:00:00+02:00', '2026-10-24T08:00:00+02:00'],
  ].map(([id, c, r]) => ticketMetricFacts(ticket(id!, t(c!)), replied(c!, r!), policy, night, now));
  // First seen Mon 26 Oct 01:00 already open, with no history: its first response is unknown.
  facts.push(
    ticketMetricFacts(
      ticket('d', t('2026-10-25T23:00:00Z'), { statusKnownFrom: t('2026-10-26T00:00:00Z') }),
      [
        { type: 'created', at: t('2026-10-25T23:00:00Z') },
        { type: 'status', at: t('2026-10-26T00:00:00Z'), category: 'open' },
        { type: 'message', at: t('2026-10-26T01:00:00Z'), author: 'agent', public: true },
      ],
      policy,
      night,
      now,
    ),
  );
  const week = { from: t('2026-10-19T00:00:00+02:00'), to: t('2026-10-27T00:00:00+01:00') };

  it('gives median and p90 in business and calendar time, leaving out and counting the unknown', () => {
    const fr = timeMetric(facts, 'first_response', week);
    // business: c 1h, b 5h, a 6h; calendar: c 3h, b 5h, a 6h
    expect(fr.business).toEqual({ count: 3, median: 5 * H, p90: 6 * H });
    expect(fr.calendar).toEqual({ count: 3, median: 5 * H, p90: 6 * H });
    expect(fr.excludedUnknown).toBe(1);
    expect(fr.tickets.map((x) => [x.ticketId, x.businessMs / H, x.calendarMs / H])).toEqual([
      ['a', 6, 6],
      ['b', 5, 5],
      ['c', 1, 3],
    ]);
  });

  it('counts each breach once, at the instant the target was missed', () => {
    const c = compliance(facts, week, now, 'first_response');
    expect(c).toMatchObject({ met: 1, breached: 2, excludedUnknown: 1 });
    expect(c.rate).toBeCloseTo(1 / 3);
    expect(c.breaches).toEqual([
      // a: 4 business hours from 00:30 CEST, one of them repeated: 03:30 CET
      { ticketId: 'a', metric: 'first_response', at: t('2026-10-25T03:30:00+01:00') },
      { ticketId: 'b', metric: 'first_response', at: t('2026-10-26T04:30:00+01:00') },
    ]);
  });

  it('splits days at local midnight: the DST day is 25 hours long', () => {
    const days = dayPeriods('2026-10-24', '2026-10-26', 'Europe/Amsterdam');
    expect(days.map((d) => [d.day, (d.to - d.from) / H])).toEqual([
      ['2026-10-24', 24],
      ['2026-10-25', 25],
      ['2026-10-26', 24],
    ]);
    expect(localDay(t('2026-10-25T22:30:00Z'), 'Europe/Amsterdam')).toBe('2026-10-25');
    expect(localDay(t('2026-10-25T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-10-26');
  });
});

describe('every cycle, not only the last', () => {
  it('keeps each next-response cycle with its own time', () => {
    const c0 = t('2026-03-27T09:00:00Z');
    const events: TicketEvent[] = [
      { type: 'created', at: c0 },
      { type: 'message', at: c0 + 10 * MIN, author: 'agent', public: true },
      { type: 'message', at: c0 + 60 * MIN, author: 'customer', public: true },
      { type: 'message', at: c0 + 90 * MIN, author: 'agent', public: true }, // 30 min
      { type: 'message', at: c0 + 120 * MIN, author: 'customer', public: true },
      { type: 'message', at: c0 + 170 * MIN, author: 'agent', public: true }, // 50 min
    ];
    const nr = computeSlaCycles(events, defaultPolicy, calendar24x7, c0 + 300 * MIN).filter(
      (c) => c.metric === 'next_response',
    );
    expect(nr.map((c) => c.businessMs / MIN)).toEqual([30, 50]);
    const fr = timeMetric(
      [ticketMetricFacts(ticket('x', c0), events, defaultPolicy, calendar24x7, c0 + 300 * MIN)],
      'next_response',
      { from: c0, to: c0 + 300 * MIN },
    );
    expect(fr.business).toEqual({ count: 2, median: 40 * MIN, p90: 50 * MIN });
  });

  it('gives a response target ended by solving without a reply no response time', () => {
    const c0 = t('2026-03-27T09:00:00Z');
    const f = ticketMetricFacts(
      ticket('x', c0),
      [
        { type: 'created', at: c0 },
        { type: 'status', at: c0 + 10 * MIN, category: 'solved' },
      ],
      defaultPolicy,
      calendar24x7,
      c0 + 60 * MIN,
    );
    const p = { from: c0, to: c0 + 60 * MIN };
    expect(timeMetric([f], 'first_response', p).business.count).toBe(0);
    expect(timeMetric([f], 'resolution', p).business).toEqual({
      count: 1,
      median: 10 * MIN,
      p90: 10 * MIN,
    });
    expect(compliance([f], p, c0 + 60 * MIN)).toMatchObject({ met: 1, breached: 0 }); // resolution only
  });
});

describe('at risk now, and a breach after the last computation', () => {
  const c0 = t('2026-03-27T09:00:00Z');
  const high: TicketEvent[] = [
    { type: 'created', at: c0 },
    { type: 'priority', at: c0, priority: 'high' }, // first response 60 min, warning at 50%
  ];
  const at = c0 + 40 * MIN;
  const running = ticketMetricFacts(
    ticket('run', c0, { assignee: 'ana' }),
    high,
    defaultPolicy,
    calendar24x7,
    at,
  );
  const fresh = ticketMetricFacts(
    ticket('fresh', c0 + 30 * MIN),
    [
      { type: 'created', at: c0 + 30 * MIN },
      { type: 'priority', at: c0 + 30 * MIN, priority: 'high' },
    ],
    defaultPolicy,
    calendar24x7,
    at,
  );
  const paused = ticketMetricFacts(
    ticket('wait', c0),
    [...high, { type: 'status', at: c0 + 35 * MIN, category: 'pending_customer' }],
    defaultPolicy,
    calendar24x7,
    at,
  );

  it('lists running targets past their warning, soonest due first, with the assignee', () => {
    expect(atRisk([running, fresh, paused], at)).toEqual([
      {
        ticketId: 'run',
        metric: 'first_response',
        dueAt: c0 + 60 * MIN,
        msLeft: 20 * MIN,
        assignee: 'ana',
      },
    ]);
    // 25 minutes later the fresh ticket passed its 50% (at 10:00) and the first one its due instant.
    expect(atRisk([running, fresh, paused], at + 25 * MIN).map((r) => r.ticketId)).toEqual([
      'fresh',
    ]);
  });

  it('counts a running target as breached once its due instant passes, without a recompute', () => {
    const p = { from: c0, to: c0 + 3 * H };
    expect(compliance([running], p, at).breached).toBe(0);
    expect(compliance([running], p, c0 + 90 * MIN).breaches).toEqual([
      { ticketId: 'run', metric: 'first_response', at: c0 + 60 * MIN },
    ]);
  });
});

describe('backlog and volume', () => {
  // 24x7, UTC days.
  const now = t('2026-10-26T00:00:00Z');
  const mk = (tk: FactsTicket, events: TicketEvent[]) =>
    ticketMetricFacts(
      tk,
      [{ type: 'created', at: tk.createdAt }, ...events],
      defaultPolicy,
      calendar24x7,
      now,
    );
  const facts = [
    mk(ticket('t1', t('2026-10-20T10:00:00Z'), { tags: ['billing'] }), [
      { type: 'status', at: t('2026-10-20T10:00:00Z'), category: 'open' },
      { type: 'status', at: t('2026-10-22T10:00:00Z'), category: 'solved' },
      { type: 'status', at: t('2026-10-22T11:00:00Z'), category: 'closed' },
      { type: 'status', at: t('2026-10-23T10:00:00Z'), category: 'open' }, // reopened
    ]),
    mk(ticket('t2', t('2026-10-24T12:00:00Z')), [
      { type: 'status', at: t('2026-10-24T13:00:00Z'), category: 'pending_customer' },
    ]),
    mk(ticket('t3', t('2026-10-15T08:00:00Z'), { source: 'jira' }), [
      { type: 'status', at: t('2026-10-15T09:00:00Z'), category: 'open' },
    ]),
    // First seen on 23 Oct, already solved, with no history: its status before is unknown.
    mk(ticket('t4', t('2026-10-10T08:00:00Z'), { statusKnownFrom: t('2026-10-23T12:00:00Z') }), [
      { type: 'status', at: t('2026-10-23T12:00:00Z'), category: 'solved' },
    ]),
  ];
  const days = dayPeriods('2026-10-22', '2026-10-24', 'UTC');

  it('takes the backlog at the end of each day by category and age, unknown left out and counted', () => {
    expect(days.map((d) => backlogAt(facts, d.to))).toEqual([
      {
        at: t('2026-10-23T00:00:00Z'),
        open: 1,
        byCategory: { open: 1 }, // t3 (t1 solved, t4 unknown)
        byAge: { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 1 },
        excludedUnknown: 1,
      },
      {
        at: t('2026-10-24T00:00:00Z'),
        open: 2, // t1 reopened (3d14h), t3
        byCategory: { open: 2 },
        byAge: { '<1d': 0, '1-3d': 0, '3-7d': 1, '>7d': 1 },
        excludedUnknown: 0,
      },
      {
        at: t('2026-10-25T00:00:00Z'),
        open: 3,
        byCategory: { open: 2, pending_customer: 1 },
        byAge: { '<1d': 1, '1-3d': 0, '3-7d': 1, '>7d': 1 },
        excludedUnknown: 0,
      },
    ]);
  });

  it('counts created, solved (once, not again when closed) and reopened per day', () => {
    expect(days.map((d) => volume(facts, d))).toEqual([
      { created: 0, solved: 1, reopened: 0 },
      { created: 0, solved: 0, reopened: 1 }, // t4 was first seen solved: not counted
      { created: 1, solved: 0, reopened: 0 },
    ]);
  });

  it('filters by source, priority, tag and assignee', () => {
    expect(filterFacts(facts, { sources: ['jira'] }).map((f) => f.ticketId)).toEqual(['t3']);
    expect(filterFacts(facts, { tags: ['billing', 'x'] }).map((f) => f.ticketId)).toEqual(['t1']);
    expect(filterFacts(facts, { priorities: ['high'] })).toEqual([]);
  });

  it('merges status events of one instant into one change', () => {
    expect(
      statusSpans(
        [
          { type: 'status', at: 5, category: 'open' },
          { type: 'status', at: 5, category: 'new' },
          { type: 'status', at: 9, category: 'solved' },
        ],
        5,
        100,
      ),
    ).toEqual([
      { from: 5, category: 'new' },
      { from: 9, category: 'solved' },
    ]);
  });
});
