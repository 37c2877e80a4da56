import { describe, expect, it } from 'vitest';
import { calendar24x7 } from '../sla/calendar.js';
import type { TicketEvent } from '../sla/events.js';
import { defaultPolicy } from '../sla/policy.js';
import { ticketMetricFacts } from './facts.js';
import { glance, metricTickets, metricValue, resolvePeriod } from './glance.js';

const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const AMS = 'Europe/Amsterdam';
// Tue 31 March 2026, noon in Amsterdam: two days after clocks went forward (Sun 29 March).
const now = t('2026-03-31T12:00:00+02:00');

const facts = (
  [
    // [id, created, events after creation]
    [
      'a',
      '2026-03-30T09:00:00+02:00',
      [
        ['reply', '2026-03-30T10:00:00+02:00'],
        ['solved', '2026-03-30T13:00:00+02:00'],
      ],
    ],
    ['b', '2026-03-31T08:00:00+02:00', [['reply', '2026-03-31T11:00:00+02:00']]],
    ['c', '2026-03-30T07:00:00+02:00', []], // no reply: first response due 11:00 Mon
    [
      'd',
      '2026-03-20T10:00:00+01:00',
      [
        ['reply', '2026-03-20T12:00:00+01:00'],
        ['solved', '2026-03-20T15:00:00+01:00'],
      ],
    ],
    ['e', '2026-03-31T09:00:00+02:00', []], // first response due 13:00, warned at 11:00 (50%)
  ] as const
).map(([id, created, steps]) => {
  const events: TicketEvent[] = [{ type: 'created', at: t(created) }];
  for (const [kind, at] of steps)
    events.push(
      kind === 'reply'
        ? { type: 'message', at: t(at), author: 'agent', public: true }
        : { type: 'status', at: t(at), category: 'solved' },
    );
  return ticketMetricFacts(
    {
      id,
      source: 'zendesk',
      priority: 'normal',
      tags: [],
      assignee: id === 'e' ? 'Sam' : null,
      createdAt: t(created),
      statusKnownFrom: null,
    },
    events,
    defaultPolicy, // normal: first response 4 h, resolution 24 h, 24x7
    calendar24x7,
    now,
  );
});

describe('resolvePeriod', () => {
  it('takes the last 7 local days with the 23-hour day of the spring DST change', () => {
    const p = resolvePeriod({ period: '7d' }, AMS, now);
    expect(p.days.map((d) => d.day)).toEqual([
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
    expect((p.days[4]!.to - p.days[4]!.from) / H).toBe(23); // Sun 29 March
    expect(p.days[6]!.to).toBe(now); // today, cut at now
    expect(p.current).toEqual({ from: t('2026-03-25T00:00:00+01:00'), to: now });
    // The 7 days before, up to the same local time (noon, in winter time then).
    expect(p.previous).toEqual({
      from: t('2026-03-18T00:00:00+01:00'),
      to: t('2026-03-24T12:00:00+01:00'),
    });
  });

  it('compares today with yesterday up to the same time', () => {
    const p = resolvePeriod({ period: 'today' }, AMS, now);
    expect(p.current).toEqual({ from: t('2026-03-31T00:00:00+02:00'), to: now });
    expect(p.previous).toEqual({
      from: t('2026-03-30T00:00:00+02:00'),
      to: t('2026-03-30T12:00:00+02:00'),
    });
  });

  it('takes custom dates inclusive, compared with as many days before', () => {
    const p = resolvePeriod({ period: 'custom', from: '2026-03-28', to: '2026-03-29' }, AMS, now);
    expect(p.current).toEqual({
      from: t('2026-03-28T00:00:00+01:00'),
      to: t('2026-03-30T00:00:00+02:00'),
    });
    expect((p.current.to - p.current.from) / H).toBe(47);
    expect(p.previous).toEqual({
      from: t('2026-03-26T00:00:00+01:00'),
      to: t('2026-03-28T00:00:00+01:00'),
    });
  });
});

describe('glance over the last 7 days (hand-computed)', () => {
  const g = glance(facts, { period: '7d' }, AMS, now, { first_response: 2.5 * H });
  const card = (m: string) => g.cards.find((c) => c.metric === m)!;

  it('gives each value with the previous period and the target', () => {
    const table = Object.fromEntries(g.cards.map((c) => [c.metric, [c.value, c.previous]]));
    expect(table).toEqual({
      first_response: [2 * H, 2 * H], // a 1 h, b 3 h | d 2 h
      next_response: [null, null], // no customer message waits
      resolution: [4 * H, 5 * H], // a | d
      compliance: [0.6, 1], // met a-fr, a-res, b-fr; breached c-fr, c-res | d both met
      breaches: [2, 0],
      at_risk: [1, null], // e's first response, past its 50% warning; unknown for the past
      backlog: [3, 0], // b, c, e open now | none on 24 March noon
      created: [4, 1],
      solved: [1, 1],
      reopened: [0, 0],
    });
    expect(card('first_response').target).toBe(2.5 * H);
    expect(card('resolution').target).toBeNull();
  });

  it('gives a point per local day', () => {
    expect(card('created').series.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 2, 2]);
    expect(card('backlog').series.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 1, 3]);
    expect(card('first_response').series.map((p) => p.value)).toEqual([
      null,
      null,
      null,
      null,
      null,
      H,
      3 * H,
    ]);
  });

  it('gives p90 and calendar time beside the business median', () => {
    expect(card('first_response').detail).toEqual({
      count: 2,
      p90: 3 * H,
      calendarMedian: 2 * H,
      calendarP90: 3 * H,
      excludedUnknown: 0,
    });
    expect(card('compliance').detail).toEqual({ met: 3, count: 5, excludedUnknown: 0 });
  });
});

describe('metricTickets', () => {
  const week = resolvePeriod({ period: '7d' }, AMS, now).current;
  it('lists the cycles behind a time metric, longest first', () => {
    expect(
      metricTickets(facts, 'first_response', week, now).map((r) => [r.ticketId, r.businessMs]),
    ).toEqual([
      ['b', 3 * H],
      ['a', 1 * H],
    ]);
  });
  it('lists breached tickets once each, at their first breach', () => {
    expect(metricTickets(facts, 'breaches', week, now)).toEqual([
      {
        ticketId: 'c',
        at: t('2026-03-30T11:00:00+02:00'),
        businessMs: null,
        calendarMs: null,
        note: 'first_response breached, resolution breached',
      },
    ]);
  });
  it('lists the at-risk queue with time left', () => {
    expect(metricTickets(facts, 'at_risk', week, now)).toEqual([
      {
        ticketId: 'e',
        at: t('2026-03-31T13:00:00+02:00'),
        businessMs: null,
        calendarMs: H,
        note: 'first_response',
      },
    ]);
  });
  it('counts as many tickets as the number it explains', () => {
    for (const m of ['backlog', 'created', 'solved'] as const)
      expect(metricTickets(facts, m, week, now)).toHaveLength(metricValue(facts, m, week, now)!);
  });
});
