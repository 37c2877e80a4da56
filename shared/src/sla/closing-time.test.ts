import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../calendar/spec.js';
import type { Priority } from '../constants.js';
import { STATUS_CATEGORIES } from '../domain.js';
import type { Calendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import { SLA_METRICS, type SlaMetric } from './metrics.js';
import { slaPolicy, type SlaPolicy } from './policy.js';
import { computeSlaState, projectTarget, slaInstants } from './state.js';

// The rule: a target is due at the instant after which business time exceeds it. A budget that
// runs out exactly at a closing time is due at the next opening, and that instant never moves.
const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const weekdays = (...intervals: { start: string; end: string }[]) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, intervals]));
const office = businessCalendar({
  name: 'Office',
  timeZone: 'UTC',
  hours: weekdays({ start: '09:00', end: '17:00' }),
});
const twoHours = (over: Record<string, unknown> = {}): SlaPolicy =>
  slaPolicy.parse({
    name: 'Two hours',
    calendarId: 'office',
    targets: Object.fromEntries(SLA_METRICS.map((m) => [m, { urgent: 120, normal: 120 }])),
    ...over,
  });

const WED_15 = t('2026-12-02T15:00:00Z'); // Wed, two business hours before closing

/** A log whose cycle of `metric` starts at `start` (the other metrics may do anything). */
function cycleFrom(metric: SlaMetric, start: number, priority: Priority): TicketEvent[] {
  const open = (at: number): TicketEvent[] => [
    { type: 'created', at },
    { type: 'priority', at, priority },
  ];
  switch (metric) {
    case 'first_response':
    case 'resolution':
      return open(start);
    case 'next_response': // answered in the morning, the customer writes again at `start`
      return [
        ...open(start - 5 * H),
        { type: 'message', at: start - 5 * H, author: 'customer', public: true },
        { type: 'message', at: start - 4 * H, author: 'agent', public: true },
        { type: 'message', at: start, author: 'customer', public: true },
      ];
    case 'periodic_update': // the last public reply was at `start`
      return [...open(start - H), { type: 'message', at: start, author: 'agent', public: true }];
  }
}

const targetAt = (
  events: TicketEvent[],
  metric: SlaMetric,
  now: number,
  policy = twoHours(),
  cal: Calendar = office,
) => computeSlaState(events, policy, cal, now).targets.find((x) => x.metric === metric)!;

describe('a target that runs out at closing time', () => {
  for (const priority of ['urgent', 'normal'] as const)
    for (const metric of SLA_METRICS)
      it(`is due at the next opening, not at the closing (${metric}, ${priority})`, () => {
        const events = cycleFrom(metric, WED_15, priority);
        const THU_09 = t('2026-12-03T09:00:00Z');
        const rows: [string, string, number][] = [
          // now, status, remaining business ms
          ['2026-12-02T16:59:00Z', 'running', 60_000], // Wed, a minute before closing
          ['2026-12-02T17:00:00Z', 'running', 0], // closing: the budget is used, not exceeded
          ['2026-12-02T20:00:00Z', 'running', 0], // the night
          ['2026-12-03T08:59:00Z', 'running', 0], // Thu, a minute before opening
          ['2026-12-03T09:00:00Z', 'running', 0], // the due instant itself
          ['2026-12-03T09:00:01Z', 'breached', -1_000], // one second of business time over
        ];
        for (const [iso, status, remaining] of rows) {
          const now = t(iso);
          const target = targetAt(events, metric, now);
          expect({ at: iso, status: target.status, remaining: target.remainingMs }).toEqual({
            at: iso,
            status,
            remaining,
          });
          expect(new Date(target.dueAt!).toISOString()).toBe('2026-12-03T09:00:00.000Z');
          expect(target.calendarMsToDue).toBe(THU_09 - now);
          const breach = slaInstants(
            computeSlaState(events, twoHours(), office, now),
            twoHours(),
            office,
          ).find((i) => i.metric === metric && i.level === 'breach')!;
          expect(breach.at).toBe(THU_09);
        }
      });

  it('is met by a reply before the next opening', () => {
    const events: TicketEvent[] = [
      ...cycleFrom('first_response', WED_15, 'urgent'),
      { type: 'message', at: t('2026-12-03T08:30:00Z'), author: 'agent', public: true }, // Thu, before opening
    ];
    expect(targetAt(events, 'first_response', t('2026-12-03T12:00:00Z'))).toMatchObject({
      status: 'met',
      breached: false,
      remainingMs: 0,
    });
  });

  it('reports a breach since the next opening, not since the closing', () => {
    const events = cycleFrom('first_response', WED_15, 'urgent');
    const late = targetAt(events, 'first_response', t('2026-12-03T11:00:00Z'));
    expect(late).toMatchObject({ status: 'breached', remainingMs: -2 * H });
    expect(late.dueAt).toBe(t('2026-12-03T09:00:00Z'));
    expect(late.calendarMsToDue).toBe(-2 * H);
  });

  it('is due after a lunch break when it runs out at noon', () => {
    const split = businessCalendar({
      name: 'Split',
      timeZone: 'UTC',
      hours: weekdays({ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }),
    });
    const events = cycleFrom('first_response', t('2026-12-02T10:00:00Z'), 'urgent');
    const atNoon = targetAt(events, 'first_response', t('2026-12-02T12:30:00Z'), twoHours(), split);
    expect(atNoon).toMatchObject({ status: 'running', remainingMs: 0 });
    expect(atNoon.dueAt).toBe(t('2026-12-02T13:00:00Z')); // 13:00, when lunch ends
  });

  it('is due on Monday when it runs out at a Friday closing', () => {
    const events = cycleFrom('resolution', t('2026-12-04T15:00:00Z'), 'normal'); // Fri 15:00
    const sat = targetAt(events, 'resolution', t('2026-12-05T12:00:00Z')); // Sat noon
    expect(sat).toMatchObject({ status: 'running', remainingMs: 0 });
    expect(sat.dueAt).toBe(t('2026-12-07T09:00:00Z')); // Mon
  });

  it('is due after a holiday when it runs out at the closing before it', () => {
    const xmas = businessCalendar({
      name: 'Office with Christmas',
      timeZone: 'Europe/Amsterdam',
      hours: weekdays({ start: '09:00', end: '17:00' }),
      holidays: [{ yearly: '12-25' }],
    });
    const events = cycleFrom('first_response', t('2026-12-24T15:00:00+01:00'), 'urgent'); // Thu; Fri 25th closed
    const fr = targetAt(events, 'first_response', t('2026-12-25T10:00:00+01:00'), twoHours(), xmas);
    expect(fr).toMatchObject({ status: 'running', remainingMs: 0 });
    expect(fr.dueAt).toBe(t('2026-12-28T09:00:00+01:00')); // Mon after the holiday and weekend
  });

  it('keeps the same due instant across a DST night (fall-back and spring-forward)', () => {
    const daily = businessCalendar({
      name: 'Every day',
      timeZone: 'Europe/Amsterdam',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
          d,
          [{ start: '09:00', end: '17:00' }],
        ]),
      ),
    });
    // Sat 24 Oct 15:00 CEST + 2 h ends at the closing; the 25-hour night follows.
    const autumn = cycleFrom('first_response', t('2026-10-24T15:00:00+02:00'), 'urgent');
    for (const now of [
      '2026-10-24T17:00:00+02:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T08:59:00+01:00',
    ])
      expect(targetAt(autumn, 'first_response', t(now), twoHours(), daily).dueAt).toBe(
        t('2026-10-25T09:00:00+01:00'),
      );
    // Sat 28 Mar 15:00 CET + 2 h; the 23-hour night follows.
    const spring = cycleFrom('first_response', t('2026-03-28T15:00:00+01:00'), 'urgent');
    for (const now of ['2026-03-28T17:00:00+01:00', '2026-03-29T03:30:00+02:00'])
      expect(targetAt(spring, 'first_response', t(now), twoHours(), daily).dueAt).toBe(
        t('2026-03-29T09:00:00+02:00'),
      );
  });

  it('puts a warning that falls on a closing time at the next opening', () => {
    const policy = twoHours({
      targets: { first_response: { urgent: 240 } },
      warnings: { percents: [50, 75], beforeDueMinutes: [60] },
    });
    const events = cycleFrom('first_response', t('2026-12-02T14:00:00Z'), 'urgent'); // Wed 14:00, 4 h
    const state = computeSlaState(events, policy, office, t('2026-12-02T14:30:00Z'));
    expect(
      slaInstants(state, policy, office).map((i) => [i.level, new Date(i.at).toISOString()]),
    ).toEqual([
      ['warn:50%', '2026-12-02T16:00:00.000Z'],
      ['warn:75%', '2026-12-03T09:00:00.000Z'], // 3 h used at 17:00: shown at Thursday's opening
      ['warn:60m', '2026-12-03T09:00:00.000Z'],
      ['breach', '2026-12-03T10:00:00.000Z'],
    ]);
  });
});

describe('laws of the due instant', () => {
  const calendars = [
    office,
    businessCalendar({
      name: 'Lunch, Los Angeles',
      timeZone: 'America/Los_Angeles',
      hours: weekdays({ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }),
      holidays: [{ yearly: '12-25' }],
    }),
    businessCalendar({
      name: 'Nights, Amsterdam',
      timeZone: 'Europe/Amsterdam',
      hours: { sat: [{ start: '22:00', end: '06:00' }], sun: [{ start: '20:00', end: '02:30' }] },
    }),
  ];
  const base = t('2026-03-20T00:00:00Z'); // a span with both European and American DST changes
  const minute = fc.integer({ min: 0, max: 60 * 24 * 21 }).map((m) => base + m * 60_000);
  const event: fc.Arbitrary<TicketEvent> = fc.oneof(
    fc.record({
      type: fc.constant('status' as const),
      at: minute,
      category: fc.constantFrom(...STATUS_CATEGORIES),
    }),
    fc.record({
      type: fc.constant('message' as const),
      at: minute,
      author: fc.constantFrom('agent' as const, 'customer' as const),
      public: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('priority' as const),
      at: minute,
      priority: fc.constantFrom('urgent' as const, 'normal' as const),
    }),
  );
  const policy = slaPolicy.parse({
    name: 'Mixed',
    calendarId: 'c',
    targets: {
      first_response: { urgent: 60, normal: 240 },
      next_response: { urgent: 120, normal: { minutes: 480, clock: 'calendar' } },
      periodic_update: { urgent: 180, normal: 600 },
      resolution: { urgent: 480, normal: 1440 },
    },
    warnings: { percents: [50, 75], beforeDueMinutes: [30] },
  });
  const ticket = fc.record({
    cal: fc.constantFrom(...calendars),
    created: minute,
    events: fc.array(event, { maxLength: 8 }),
    now: minute,
  });

  it('a target is breached exactly when now is past its due instant, and the breach alert is at it', () => {
    fc.assert(
      fc.property(ticket, ({ cal, created, events, now }) => {
        const log: TicketEvent[] = [{ type: 'created', at: created }, ...events];
        const state = computeSlaState(log, policy, cal, now);
        const breaches = slaInstants(state, policy, cal).filter((i) => i.level === 'breach');
        for (const target of state.targets) {
          if (target.dueAt !== null) expect(target.breached).toBe(now > target.dueAt);
          else expect(target.breached).toBe(false);
          expect(target.status === 'breached').toBe(target.breached);
          const alert = breaches.find((b) => b.metric === target.metric);
          if (alert) expect(alert.at).toBe(target.dueAt);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a due instant does not move with now while nothing happens', () => {
    fc.assert(
      fc.property(
        ticket,
        fc.integer({ min: 1, max: 3 * 24 * 60 }),
        ({ cal, created, events, now }, later) => {
          const log: TicketEvent[] = [{ type: 'created', at: created }, ...events];
          const last = Math.max(created, ...events.map((e) => e.at));
          const from = Math.max(now, last);
          const to = from + later * 60_000;
          const a = computeSlaState(log, policy, cal, from);
          const b = computeSlaState(log, policy, cal, to);
          for (const x of a.targets) {
            const y = b.targets.find((z) => z.metric === x.metric)!;
            if (x.status === 'running') {
              expect(y.dueAt).toBe(x.dueAt);
              // The overlay's projection agrees with recomputing from the log.
              const projected = projectTarget(x, cal, from, to);
              expect(projected.breached).toBe(y.breached);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
