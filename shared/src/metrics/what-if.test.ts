import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../calendar/spec.js';
import { calendar24x7, type Calendar } from '../sla/calendar.js';
import type { TicketEvent } from '../sla/events.js';
import { slaPolicy, type SlaPolicyInput } from '../sla/policy.js';
import { ticketMetricFacts } from './facts.js';
import { compareCompliance } from './what-if.js';

const t = (iso: string) => Date.parse(iso);
const period = { from: t('2026-03-01T00:00:00Z'), to: t('2026-04-01T00:00:00Z') };
const now = t('2026-03-31T00:00:00Z');

/** A ticket created at `created` and answered publicly by an agent at `reply`. */
const answered = (id: string, created: string, reply: string) => ({
  id,
  events: [
    { type: 'created', at: t(created) },
    { type: 'message', at: t(reply), author: 'agent', public: true },
  ] as TicketEvent[],
});

function facts(
  tickets: ReturnType<typeof answered>[],
  policy: SlaPolicyInput,
  calendar: Calendar = calendar24x7,
) {
  return tickets.map((x) =>
    ticketMetricFacts(
      {
        id: x.id,
        source: 'zendesk',
        priority: 'normal',
        tags: [],
        assignee: null,
        createdAt: x.events[0]!.at,
        statusKnownFrom: null,
      },
      x.events,
      slaPolicy.parse(policy),
      calendar,
      now,
    ),
  );
}

const firstResponse = (minutes: number, clock: 'business' | 'calendar'): SlaPolicyInput => ({
  name: 'FR',
  targets: { first_response: { normal: { minutes, clock } } },
});

describe('compareCompliance', () => {
  const tickets = [
    answered('a', '2026-03-23T09:00:00Z', '2026-03-23T09:45:00Z'), // 45 min: meets 60, misses 30
    answered('b', '2026-03-23T10:00:00Z', '2026-03-23T10:20:00Z'), // 20 min: meets both
    answered('c', '2026-03-23T11:00:00Z', '2026-03-23T12:30:00Z'), // 90 min: misses both
  ];

  it('lists the tickets a stricter target would newly breach, with both compliance rates', () => {
    const r = compareCompliance(
      facts(tickets, firstResponse(60, 'calendar')),
      facts(tickets, firstResponse(30, 'calendar')),
      period,
      now,
    );
    expect(r.current).toEqual({ met: 2, breached: 1, rate: 2 / 3 });
    expect(r.draft).toEqual({ met: 1, breached: 2, rate: 1 / 3 });
    expect(r.newlyBreached).toEqual([{ ticketId: 'a', metrics: ['first_response'] }]);
    expect(r.noLongerBreached).toEqual([]);
  });

  it('lists the tickets a looser target would no longer breach', () => {
    const r = compareCompliance(
      facts(tickets, firstResponse(30, 'calendar')),
      facts(tickets, firstResponse(60, 'calendar')),
      period,
      now,
    );
    expect(r.newlyBreached).toEqual([]);
    expect(r.noLongerBreached).toEqual([{ ticketId: 'a', metrics: ['first_response'] }]);
  });

  it('no longer breaches a weekend ticket once its target counts business hours, across the spring DST change', () => {
    const office = businessCalendar({
      name: 'Amsterdam office',
      timeZone: 'Europe/Amsterdam',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
      ),
    });
    const weekend = [
      // Fri 16:50 CET to Mon 09:20 CEST (clocks went forward on Sunday 29 March):
      // 10 + 20 = 30 business minutes, but 2 days and more of calendar time.
      answered('w', '2026-03-27T15:50:00Z', '2026-03-30T07:20:00Z'),
    ];
    const r = compareCompliance(
      facts(weekend, firstResponse(60, 'calendar')),
      facts(weekend, firstResponse(60, 'business'), office),
      period,
      now,
    );
    expect(r.current).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(r.draft).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(r.noLongerBreached).toEqual([{ ticketId: 'w', metrics: ['first_response'] }]);
  });

  it('leaves out targets concluded outside the period', () => {
    const r = compareCompliance(
      facts(tickets, firstResponse(60, 'calendar')),
      facts(tickets, firstResponse(30, 'calendar')),
      { from: t('2026-03-24T00:00:00Z'), to: t('2026-04-01T00:00:00Z') },
      now,
    );
    expect(r.current).toEqual({ met: 0, breached: 0, rate: null });
    expect(r.newlyBreached).toEqual([]);
  });
});
