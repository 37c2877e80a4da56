import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../calendar/spec.js';
import { calendar24x7, type Calendar } from '../sla/calendar.js';
import type { TicketEvent } from '../sla/events.js';
import { defaultPolicy, slaPolicy, type SlaPolicy } from '../sla/policy.js';
import { filterFacts, localDay, median, percentile, type Period } from './definitions.js';
import { ticketMetricFacts, type FactsTicket } from './facts.js';
import { glance, type PeriodSpec } from './glance.js';
import {
  applyPoint,
  dayOf,
  diffPoints,
  emptyAgg,
  mergeAgg,
  metricPoints,
  rollupGlance,
  sampleStats,
  type Agg,
  type MetricPoint,
} from './rollup.js';

const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const DAY = 24 * H;
const ZONES = ['Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata'];

const office = businessCalendar(
  {
    name: 'Office',
    timeZone: 'Europe/Amsterdam',
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
    ),
  },
  'office',
);
/** Two policies a workspace switches between: changing policy recomputes every ticket's cycles. */
const POLICIES: { policy: SlaPolicy; calendar: Calendar }[] = [
  { policy: defaultPolicy, calendar: calendar24x7 },
  {
    policy: slaPolicy.parse({
      name: 'Office hours',
      calendarId: 'office',
      reopen: 'restart',
      targets: {
        first_response: { urgent: 30, high: 90, normal: 120, low: 240 },
        next_response: { normal: 60, high: 60 },
        resolution: { urgent: 120, high: 480, normal: 600, low: 1200 },
      },
    }),
    calendar: office,
  },
];

// Tickets created around the spring DST change in Amsterdam (29 March 2026), one first seen
// with its earlier history unknown.
const TICKETS: (FactsTicket & { tagsKey: string })[] = [
  ['a', 'zendesk', 'normal', ['billing'], 'Sam', '2026-03-27T08:00:00Z', null],
  ['b', 'jira', 'high', ['bug', 'billing'], null, '2026-03-28T22:30:00Z', null],
  ['c', 'zendesk', 'urgent', [], 'Kim', '2026-03-29T00:30:00Z', '2026-03-30T09:00:00Z'],
  ['d', 'redmine', 'low', ['bug'], 'Sam', '2026-03-25T12:00:00Z', null],
].map(([id, source, priority, tags, assignee, created, known]) => ({
  id: id as string,
  source: source as string,
  priority: priority as FactsTicket['priority'],
  tags: tags as string[],
  tagsKey: JSON.stringify(tags),
  assignee: assignee as string | null,
  createdAt: t(created as string),
  statusKnownFrom: known === null ? null : t(known as string),
}));
const START = t('2026-03-31T06:00:00Z');

type Action =
  | { kind: 'event'; ticket: number; back: number; event: 'reply' | 'customer' | 'status' }
  | {
      kind: 'status';
      ticket: number;
      back: number;
      category: 'open' | 'pending_customer' | 'solved';
    }
  | { kind: 'priority'; ticket: number; back: number; priority: 'low' | 'high' }
  | { kind: 'policy' }
  | { kind: 'tick'; ms: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    ticket: fc.nat(TICKETS.length - 1),
    // Late events: up to four days before the clock.
    back: fc.integer({ min: 0, max: 4 * DAY }),
    event: fc.constantFrom('reply' as const, 'customer' as const, 'status' as const),
  }),
  fc.record({
    kind: fc.constant('status' as const),
    ticket: fc.nat(TICKETS.length - 1),
    back: fc.integer({ min: 0, max: 4 * DAY }),
    // Solved then open again: reopenings.
    category: fc.constantFrom('open' as const, 'pending_customer' as const, 'solved' as const),
  }),
  fc.record({
    kind: fc.constant('priority' as const),
    ticket: fc.nat(TICKETS.length - 1),
    back: fc.integer({ min: 0, max: 2 * DAY }),
    priority: fc.constantFrom('low' as const, 'high' as const),
  }),
  fc.constant({ kind: 'policy' as const }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 * H }) }),
);

const dimsKey = (tk: (typeof TICKETS)[number]) =>
  JSON.stringify([tk.source, tk.priority, tk.assignee, tk.tagsKey]);

/**
 * A workspace as the server keeps it, in memory: each ticket's points, replaced (by their
 * difference) whenever its log or the policy changes, summed per local day of each zone.
 */
function workspace() {
  const logs = TICKETS.map((tk): TicketEvent[] => [{ type: 'created', at: tk.createdAt }]);
  let policy = 0;
  const points = new Map<number, MetricPoint[]>();
  const rollups = new Map<string, { tk: number; agg: Agg }>();
  const totals = new Map<number, { open: number; unknown: number }>();
  const facts = (i: number, at: number) =>
    ticketMetricFacts(
      TICKETS[i]!,
      logs[i]!,
      POLICIES[policy]!.policy,
      POLICIES[policy]!.calendar,
      at,
    );
  function derive(i: number, at: number) {
    const next = metricPoints(facts(i, at));
    const { removed, added } = diffPoints(points.get(i) ?? [], next);
    const tot = totals.get(i) ?? { open: 0, unknown: 0 };
    for (const [list, sign] of [
      [removed, -1],
      [added, 1],
    ] as const)
      for (const p of list) {
        for (const zone of ZONES) {
          const key = `${zone}|${localDay(p.at, zone)}|${dimsKey(TICKETS[i]!)}`;
          const row = rollups.get(key) ?? { tk: i, agg: emptyAgg() };
          applyPoint(row.agg, p, sign);
          rollups.set(key, row);
        }
        if (p.kind === 'open_start') tot.open += sign;
        if (p.kind === 'open_end') tot.open -= sign;
        if (p.kind === 'unknown_start') tot.unknown += sign;
        if (p.kind === 'unknown_end') tot.unknown -= sign;
      }
    totals.set(i, tot);
    points.set(i, next);
  }
  return {
    logs,
    derive,
    policy: () => (policy = 1 - policy),
    facts,
    /** The rollup glance of the tickets matching `keep`. */
    source(zone: string, now: number, keep: Set<number>) {
      const sumPoints = (p: Period) => {
        const a = emptyAgg();
        for (const [i, list] of points)
          if (keep.has(i))
            for (const x of list) if (x.at >= p.from && x.at < p.to) applyPoint(a, x, 1);
        return a;
      };
      let open = 0;
      let unknown = 0;
      for (const [i, v] of totals)
        if (keep.has(i)) {
          open += v.open;
          unknown += v.unknown;
        }
      let atRisk = 0;
      for (const [i, list] of points)
        if (keep.has(i))
          for (const x of list) if (x.kind === 'risk' && x.at <= now && now < x.until!) atRisk++;
      return {
        totals: { open, unknown },
        atRisk,
        load: (days: string[], parts: Period[]) =>
          Promise.resolve({
            days: new Map(
              days.map((d) => {
                const a = emptyAgg();
                for (const [key, row] of rollups)
                  if (key.startsWith(`${zone}|${d}|`) && keep.has(row.tk)) mergeAgg(a, row.agg);
                return [d, a];
              }),
            ),
            parts: parts.map(sumPoints),
          }),
      };
    },
  };
}

const QUERIES: (PeriodSpec & { sources?: string[]; tags?: string[] })[] = [
  { period: 'today' },
  { period: '7d' },
  { period: '30d', tags: ['billing'] },
  { period: 'custom', from: '2026-03-26', to: '2026-04-30', sources: ['zendesk'] },
];

describe('daily rollups', () => {
  it('equal a recomputation from the raw events after random sequences (late events, reopenings, policy changes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { maxLength: 25 }), async (actions) => {
        const ws = workspace();
        let clock = START;
        TICKETS.forEach((_, i) => ws.derive(i, clock));
        for (const a of actions) {
          if (a.kind === 'tick') {
            // Time passes with no event: nothing is derived (breaches come due by themselves).
            clock += a.ms;
            continue;
          }
          if (a.kind === 'policy') {
            ws.policy();
            TICKETS.forEach((_, i) => ws.derive(i, clock));
            continue;
          }
          const tk = TICKETS[a.ticket]!;
          const at = Math.max(tk.createdAt, clock - a.back);
          const log = ws.logs[a.ticket]!;
          log.push(
            a.kind === 'status'
              ? { type: 'status', at, category: a.category }
              : a.kind === 'priority'
                ? { type: 'priority', at, priority: a.priority }
                : a.event === 'reply'
                  ? { type: 'message', at, author: 'agent', public: true }
                  : a.event === 'customer'
                    ? { type: 'message', at, author: 'customer', public: true }
                    : { type: 'status', at, category: 'solved' },
          );
          log.sort((x, y) => x.at - y.at);
          ws.derive(a.ticket, clock);
          clock += 1_000;
        }
        for (const zone of ZONES)
          for (const q of QUERIES) {
            const all = TICKETS.map((_, i) => ({ ...ws.facts(i, clock), i }));
            const kept = filterFacts(all, q);
            const expected = glance(kept, q, zone, clock, { backlog: 3 });
            const got = await rollupGlance(
              ws.source(zone, clock, new Set(kept.map((f) => f.i))),
              q,
              zone,
              clock,
              { backlog: 3 },
            );
            expect(got).toEqual(expected);
          }
      }),
      { numRuns: 30 },
    );
  });

  it('finds the local day of an instant as localDay does, across DST changes', () => {
    const zones = [...ZONES, 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    fc.assert(
      fc.property(
        fc.integer({ min: t('2026-01-01T00:00:00Z'), max: t('2027-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (at, zone) => dayOf(at, zone) === localDay(at, zone),
      ),
      { numRuns: 2000 },
    );
    // The instants either side of Amsterdam's spring change and of midnight.
    expect(dayOf(t('2026-03-29T00:59:59.999Z'), 'Europe/Amsterdam')).toBe('2026-03-29');
    expect(dayOf(t('2026-03-29T21:59:59.999Z'), 'Europe/Amsterdam')).toBe('2026-03-29');
    expect(dayOf(t('2026-03-29T22:00:00Z'), 'Europe/Amsterdam')).toBe('2026-03-30');
  });

  it('takes the exact median and nearest-rank p90 of the samples', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 40 }), (xs) => {
        const s = sampleStats(xs);
        expect(s).toEqual({ count: xs.length, median: median(xs), p90: percentile(xs, 90) });
      }),
    );
  });

  it('applies only the difference when a late event changes a ticket', () => {
    const before: MetricPoint[] = [
      { kind: 'created', at: 1 },
      { kind: 'first_response', at: 5, businessMs: 4, calendarMs: 4 },
    ];
    const after: MetricPoint[] = [
      { kind: 'created', at: 1 },
      { kind: 'first_response', at: 3, businessMs: 2, calendarMs: 2 },
    ];
    expect(diffPoints(before, after)).toEqual({ removed: [before[1]], added: [after[1]] });
  });
});
