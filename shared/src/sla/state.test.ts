import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { businessCalendar } from '../calendar/spec.js';
import { PRIORITIES, STATUS_CATEGORIES, type StatusCategory } from '../domain.js';
import { calendar24x7, type Calendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import { defaultPolicy, slaPolicy } from './policy.js';
import { computeSlaState, projectTarget, slaInstants } from './state.js';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const created = t('2026-03-27T09:00:00Z'); // Fri
const highTicket: TicketEvent[] = [
  { type: 'created', at: created },
  { type: 'priority', at: created, priority: 'high' }, // high: first response 60 min, resolution 480 min
];
const target = (events: TicketEvent[], metric: string, now: number, cal: Calendar = calendar24x7) =>
  computeSlaState(events, defaultPolicy, cal, now).targets.find((x) => x.metric === metric)!;

describe('computeSlaState', () => {
  it('counts first response from creation and gives the due instant', () => {
    const fr = target(highTicket, 'first_response', t('2026-03-27T09:20:00Z'));
    expect(fr).toMatchObject({
      status: 'running',
      breached: false,
      elapsedMs: 20 * MIN,
      remainingMs: 40 * MIN,
    });
    expect(fr.dueAt).toBe(t('2026-03-27T10:00:00Z'));
    expect(fr.percentUsed).toBeCloseTo(33.3, 1);
  });

  it('stops first response at the first public agent reply', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'message', at: t('2026-03-27T09:05:00Z'), author: 'customer', public: true },
      { type: 'message', at: t('2026-03-27T09:10:00Z'), author: 'agent', public: false }, // internal note
      { type: 'message', at: t('2026-03-27T09:15:00Z'), author: 'bot', public: true }, // bot reply
      { type: 'message', at: t('2026-03-27T09:30:00Z'), author: 'agent', public: true },
    ];
    const fr = target(events, 'first_response', t('2026-03-27T12:00:00Z'));
    expect(fr).toMatchObject({
      status: 'met',
      breached: false,
      elapsedMs: 30 * MIN,
      stoppedAt: t('2026-03-27T09:30:00Z'),
    });
  });

  it('pauses while waiting on the customer and resumes after', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'status', at: t('2026-03-27T09:10:00Z'), category: 'pending_customer' },
      { type: 'status', at: t('2026-03-27T11:10:00Z'), category: 'open' },
    ];
    const paused = target(events, 'first_response', t('2026-03-27T10:00:00Z'));
    expect(paused).toMatchObject({
      status: 'paused',
      pausedBy: 'pending_customer',
      elapsedMs: 10 * MIN,
      dueAt: null,
    });
    const resumed = target(events, 'first_response', t('2026-03-27T11:20:00Z'));
    expect(resumed).toMatchObject({ status: 'running', elapsedMs: 20 * MIN });
    expect(resumed.dueAt).toBe(t('2026-03-27T12:00:00Z'));
  });

  it('meets a target answered exactly at its due instant', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'message', at: t('2026-03-27T10:00:00Z'), author: 'agent', public: true },
    ];
    expect(target(events, 'first_response', t('2026-03-27T11:00:00Z'))).toMatchObject({
      status: 'met',
      breached: false,
      remainingMs: 0,
    });
  });

  it('breaches once the target passes and reports the breach instant', () => {
    const br = target(highTicket, 'first_response', t('2026-03-27T10:30:00Z'));
    expect(br).toMatchObject({
      status: 'breached',
      breached: true,
      remainingMs: -30 * MIN,
      dueAt: t('2026-03-27T10:00:00Z'),
    });
  });

  it('keeps elapsed time when the priority changes and applies the new target', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'priority', at: t('2026-03-27T09:20:00Z'), priority: 'urgent' }, // urgent: 30 min
    ];
    const fr = target(events, 'first_response', t('2026-03-27T09:25:00Z'));
    expect(fr).toMatchObject({
      status: 'running',
      elapsedMs: 25 * MIN,
      remainingMs: 5 * MIN,
      targetMs: 30 * MIN,
    });
  });

  it('stops resolution when solved and continues the same cycle on reopen', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'status', at: t('2026-03-27T10:00:00Z'), category: 'solved' },
      { type: 'status', at: t('2026-03-27T12:00:00Z'), category: 'open' },
    ];
    const solved = target(events, 'resolution', t('2026-03-27T11:00:00Z'));
    expect(solved).toMatchObject({
      status: 'met',
      elapsedMs: 60 * MIN,
      stoppedAt: t('2026-03-27T10:00:00Z'),
    });
    const reopened = target(events, 'resolution', t('2026-03-27T12:30:00Z'));
    expect(reopened).toMatchObject({ status: 'running', elapsedMs: 90 * MIN });
  });

  it('pauses resolution on hold but not first response', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'status', at: t('2026-03-27T09:10:00Z'), category: 'on_hold' },
    ];
    const now = t('2026-03-27T09:40:00Z');
    expect(target(events, 'resolution', now)).toMatchObject({
      status: 'paused',
      elapsedMs: 10 * MIN,
    });
    expect(target(events, 'first_response', now)).toMatchObject({
      status: 'running',
      elapsedMs: 40 * MIN,
    });
  });

  it('ignores events after now and gives the same answer whatever the log order', () => {
    const events: TicketEvent[] = [
      { type: 'status', at: t('2026-03-27T09:10:00Z'), category: 'pending_customer' },
      ...highTicket,
      { type: 'message', at: t('2026-03-27T13:00:00Z'), author: 'agent', public: true },
    ];
    const now = t('2026-03-27T09:30:00Z');
    expect(computeSlaState(events, defaultPolicy, calendar24x7, now)).toEqual(
      computeSlaState([...events].reverse(), defaultPolicy, calendar24x7, now),
    );
    expect(target(events, 'first_response', now).status).toBe('paused');
  });

  it('counts only business time of the policy calendar', () => {
    const office = businessCalendar({
      name: 'Office',
      timeZone: 'UTC',
      hours: {
        fri: [
          { start: '09:00', end: '09:30' },
          { start: '10:00', end: '17:00' },
        ],
      },
    });
    const fr = target(highTicket, 'first_response', t('2026-03-27T10:00:00Z'), office);
    expect(fr).toMatchObject({
      elapsedMs: 30 * MIN,
      remainingMs: 30 * MIN,
      calendarMsToDue: 30 * MIN,
    });
    expect(fr.dueAt).toBe(t('2026-03-27T10:30:00Z'));
  });
});

describe('pauses and business hours together', () => {
  // Mon-Fri 09:00-17:00 in Amsterdam (UTC+1 in March before the 29th).
  const office = businessCalendar({
    name: 'Office',
    timeZone: 'Europe/Amsterdam',
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
    ),
  });
  const created = t('2026-03-24T15:00:00+01:00'); // Tue 15:00
  const base: TicketEvent[] = [
    { type: 'created', at: created },
    { type: 'priority', at: created, priority: 'normal' }, // first response 240 business minutes
  ];

  it('pauses from before opening to after closing without counting the closed night twice', () => {
    const events: TicketEvent[] = [
      ...base,
      { type: 'status', at: t('2026-03-24T16:00:00+01:00'), category: 'pending_customer' }, // Tue 16:00, 1h counted
      { type: 'status', at: t('2026-03-25T18:30:00+01:00'), category: 'open' }, // Wed 18:30, after hours
    ];
    const fr = target(events, 'first_response', t('2026-03-26T10:00:00+01:00'), office); // Thu 10:00
    expect(fr).toMatchObject({ status: 'running', elapsedMs: 2 * 60 * MIN }); // Tue 15-16 + Thu 09-10
    expect(fr.dueAt).toBe(t('2026-03-26T12:00:00+01:00'));
  });

  it('keeps elapsed and paused time when the priority changes mid-pause', () => {
    const events: TicketEvent[] = [
      ...base,
      { type: 'status', at: t('2026-03-24T16:00:00+01:00'), category: 'pending_customer' },
      { type: 'priority', at: t('2026-03-25T11:00:00+01:00'), priority: 'urgent' }, // while paused; urgent: 30 min
      { type: 'status', at: t('2026-03-25T12:00:00+01:00'), category: 'open' },
    ];
    const paused = target(events, 'first_response', t('2026-03-25T11:30:00+01:00'), office);
    expect(paused).toMatchObject({
      status: 'breached',
      breached: true,
      elapsedMs: 60 * MIN,
      targetMs: 30 * MIN,
      pausedBy: 'pending_customer',
    });
    const resumed = target(events, 'first_response', t('2026-03-25T12:10:00+01:00'), office);
    expect(resumed).toMatchObject({
      elapsedMs: 70 * MIN,
      remainingMs: -40 * MIN,
      status: 'breached',
    });
  });

  it('explains each clock as ordered segments with the event behind each change', () => {
    const events: TicketEvent[] = [
      ...base,
      { type: 'status', at: t('2026-03-24T16:00:00+01:00'), category: 'pending_customer' },
      { type: 'status', at: t('2026-03-25T10:00:00+01:00'), category: 'open' },
    ];
    const fr = computeSlaState(events, defaultPolicy, office, t('2026-03-25T11:00:00+01:00'), {
      explain: true,
    }).targets[0]!;
    expect(
      fr.segments!.map((s) => [
        s.kind,
        new Date(s.from).toISOString(),
        new Date(s.to).toISOString(),
        s.cause.type,
        s.cause.detail ?? null,
      ]),
    ).toEqual([
      ['running', '2026-03-24T14:00:00.000Z', '2026-03-24T15:00:00.000Z', 'created', null],
      [
        'paused',
        '2026-03-24T15:00:00.000Z',
        '2026-03-25T09:00:00.000Z',
        'status',
        'pending_customer',
      ],
      ['running', '2026-03-25T09:00:00.000Z', '2026-03-25T10:00:00.000Z', 'status', 'open'],
    ]);
    const closed = computeSlaState(base, defaultPolicy, office, t('2026-03-25T09:30:00+01:00'), {
      explain: true,
    }).targets[0]!;
    expect(closed.segments!.map((s) => s.kind)).toEqual(['running', 'outside_hours', 'running']);
  });
});

describe('responses, cycles and reopen', () => {
  const policy = slaPolicy.parse({
    name: 'All metrics',
    targets: {
      first_response: { high: 60 },
      next_response: { high: 30 },
      periodic_update: { high: { minutes: 120, clock: 'calendar' } },
      resolution: { high: 480 },
    },
  });
  const reply = (iso: string, author: 'agent' | 'bot' = 'agent', pub = true): TicketEvent => ({
    type: 'message',
    at: t(iso),
    author,
    public: pub,
  });
  const customer = (iso: string): TicketEvent => ({
    type: 'message',
    at: t(iso),
    author: 'customer',
    public: true,
  });

  it('does not count bot replies or internal notes as a response, unless the policy says so', () => {
    const events = [
      ...highTicket,
      reply('2026-03-27T09:10:00Z', 'bot'),
      reply('2026-03-27T09:20:00Z', 'agent', false),
    ];
    expect(
      computeSlaState(events, policy, calendar24x7, t('2026-03-27T09:30:00Z')).targets[0],
    ).toMatchObject({ metric: 'first_response', status: 'running' });
    const lenient = slaPolicy.parse({
      ...policy,
      responses: { authors: ['agent', 'bot'], includeInternal: true },
    });
    expect(
      computeSlaState(events, lenient, calendar24x7, t('2026-03-27T09:30:00Z')).targets[0],
    ).toMatchObject({ status: 'met', stoppedAt: t('2026-03-27T09:10:00Z') });
  });

  it('starts next response at the oldest unanswered customer message and stops it at the reply', () => {
    const events = [
      ...highTicket,
      reply('2026-03-27T09:10:00Z'),
      customer('2026-03-27T09:20:00Z'),
      customer('2026-03-27T09:25:00Z'),
    ];
    const nr = computeSlaState(
      events,
      policy,
      calendar24x7,
      t('2026-03-27T09:40:00Z'),
    ).targets.find((x) => x.metric === 'next_response')!;
    expect(nr).toMatchObject({
      status: 'running',
      cycleStart: t('2026-03-27T09:20:00Z'),
      elapsedMs: 20 * MIN,
      dueAt: t('2026-03-27T09:50:00Z'),
    });
    const answered = computeSlaState(
      [...events, reply('2026-03-27T09:45:00Z')],
      policy,
      calendar24x7,
      t('2026-03-27T10:00:00Z'),
    ).targets.find((x) => x.metric === 'next_response')!;
    expect(answered).toMatchObject({ status: 'met', elapsedMs: 25 * MIN });
  });

  it('restarts periodic update at every reply, in calendar time when the target says so', () => {
    const events = [...highTicket, reply('2026-03-27T09:10:00Z'), reply('2026-03-27T10:00:00Z')];
    const pu = computeSlaState(
      events,
      policy,
      calendar24x7,
      t('2026-03-27T10:30:00Z'),
    ).targets.find((x) => x.metric === 'periodic_update')!;
    expect(pu).toMatchObject({
      clock: 'calendar',
      cycleStart: t('2026-03-27T10:00:00Z'),
      elapsedMs: 30 * MIN,
      status: 'running',
    });
  });

  it('starts a new resolution cycle on reopen when the policy restarts', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'status', at: t('2026-03-27T10:00:00Z'), category: 'solved' },
      { type: 'status', at: t('2026-03-27T12:00:00Z'), category: 'open' },
    ];
    const restart = slaPolicy.parse({ ...policy, reopen: 'restart' });
    expect(
      computeSlaState(events, restart, calendar24x7, t('2026-03-27T12:30:00Z')).targets.find(
        (x) => x.metric === 'resolution',
      ),
    ).toMatchObject({ cycleStart: t('2026-03-27T12:00:00Z'), elapsedMs: 30 * MIN });
  });

  it('gives the same state whatever the order of identical duplicate events', () => {
    const eventArb = fc.oneof(
      fc.record({
        type: fc.constant('status' as const),
        at: fc.integer({ min: t('2026-03-27T09:00:00Z'), max: t('2026-03-28T09:00:00Z') }),
        category: fc.constantFrom(...STATUS_CATEGORIES),
      }),
      fc.record({
        type: fc.constant('priority' as const),
        at: fc.integer({ min: t('2026-03-27T09:00:00Z'), max: t('2026-03-28T09:00:00Z') }),
        priority: fc.constantFrom(...PRIORITIES),
      }),
      fc.record({
        type: fc.constant('message' as const),
        at: fc.integer({ min: t('2026-03-27T09:00:00Z'), max: t('2026-03-28T09:00:00Z') }),
        author: fc.constantFrom('agent' as const, 'customer' as const, 'bot' as const),
        public: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(eventArb, { maxLength: 12, selector: (e) => e.at }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, dupes) => {
          const log: TicketEvent[] = [...highTicket, ...events];
          const withDupes = [...log, ...dupes.map((i) => log[i % log.length]!)];
          const shuffled = [...withDupes].sort(
            (a, b) => b.at - a.at || JSON.stringify(a).localeCompare(JSON.stringify(b)),
          );
          const now = t('2026-03-28T12:00:00Z');
          expect(computeSlaState(shuffled, policy, calendar24x7, now)).toEqual(
            computeSlaState(log, policy, calendar24x7, now),
          );
        },
      ),
    );
  });
});

describe('slaInstants', () => {
  it('gives each warning threshold and the breach once per cycle, and only the highest one already passed', () => {
    const policy = slaPolicy.parse({
      ...defaultPolicy,
      targets: { first_response: { high: 60 } },
      warnings: { percents: [50, 75], beforeDueMinutes: [10] },
    });
    const at20 = computeSlaState(highTicket, policy, calendar24x7, t('2026-03-27T09:20:00Z'));
    expect(
      slaInstants(at20, policy, calendar24x7).map((i) => [
        i.key.split(':').slice(2).join(':'),
        new Date(i.at).toISOString(),
      ]),
    ).toEqual([
      ['warn:50%', '2026-03-27T09:30:00.000Z'],
      ['warn:75%', '2026-03-27T09:45:00.000Z'],
      ['warn:10m', '2026-03-27T09:50:00.000Z'],
      ['breach', '2026-03-27T10:00:00.000Z'],
    ]);
    const at47 = computeSlaState(highTicket, policy, calendar24x7, t('2026-03-27T09:47:00Z'));
    expect(slaInstants(at47, policy, calendar24x7).map((i) => i.level)).toEqual([
      'warn:75%',
      'warn:10m',
      'breach',
    ]);
    expect(slaInstants(at47, policy, calendar24x7)[0]!.at).toBe(t('2026-03-27T09:47:00Z'));
    const paused = computeSlaState(
      [
        ...highTicket,
        { type: 'status', at: t('2026-03-27T09:05:00Z'), category: 'pending_customer' },
      ],
      policy,
      calendar24x7,
      t('2026-03-27T09:20:00Z'),
    );
    expect(slaInstants(paused, policy, calendar24x7)).toEqual([]);
  });
});

describe('projectTarget', () => {
  it('advances a running clock and turns it breached at the due instant', () => {
    const computedAt = t('2026-03-27T09:50:00Z');
    const fr = target(highTicket, 'first_response', computedAt);
    expect(projectTarget(fr, calendar24x7, computedAt, t('2026-03-27T09:55:00Z'))).toMatchObject({
      remainingMs: 5 * MIN,
      status: 'running',
    });
    expect(projectTarget(fr, calendar24x7, computedAt, t('2026-03-27T10:01:00Z'))).toMatchObject({
      remainingMs: -MIN,
      status: 'breached',
    });
  });

  it('leaves a paused clock alone', () => {
    const events: TicketEvent[] = [
      ...highTicket,
      { type: 'status', at: t('2026-03-27T09:10:00Z'), category: 'pending_customer' },
    ];
    const computedAt = t('2026-03-27T09:30:00Z');
    const fr = target(events, 'first_response', computedAt);
    expect(projectTarget(fr, calendar24x7, computedAt, t('2026-03-27T15:00:00Z'))).toBe(fr);
  });
});

describe('status unknown before the ticket was first seen', () => {
  const firstSeen = t('2026-04-01T09:00:00Z'); // Wed, 5 days after creation, no history on the page
  const seenAs = (category: StatusCategory): TicketEvent[] => [
    ...highTicket,
    { type: 'status', at: firstSeen, category },
  ];
  const state = (events: TicketEvent[], now: number) =>
    computeSlaState(events, defaultPolicy, calendar24x7, now, {
      statusKnownFrom: firstSeen,
      explain: true,
    });

  it('does not call a ticket first seen closed breached: its resolution is unknown', () => {
    const s = state(seenAs('closed'), firstSeen + 10 * MIN);
    expect(s.statusKnownFrom).toBe(firstSeen);
    for (const metric of ['first_response', 'resolution'])
      expect(s.targets.find((x) => x.metric === metric)).toMatchObject({
        breached: false,
        outcomeUnknown: true,
        unknownBefore: firstSeen,
      });
  });

  it('counts the resolution clock of a ticket first seen waiting from then', () => {
    const s = state(
      [
        ...seenAs('pending_customer'),
        { type: 'status', at: firstSeen + 60 * MIN, category: 'open' },
      ],
      firstSeen + 90 * MIN,
    );
    const res = s.targets.find((x) => x.metric === 'resolution')!;
    expect(res).toMatchObject({ status: 'running', elapsedMs: 30 * MIN, unknownBefore: firstSeen });
    expect(res.outcomeUnknown).toBeUndefined();
    expect(res.segments![0]).toMatchObject({ kind: 'unknown', from: created, to: firstSeen });
  });

  it('takes a ticket first seen open as open since creation, and flags it', () => {
    const res = state(seenAs('open'), firstSeen).targets.find((x) => x.metric === 'resolution')!;
    expect(res).toMatchObject({
      breached: true,
      elapsedMs: firstSeen - created,
      unknownBefore: firstSeen,
    });
  });

  it('says nothing is unknown without a known-from instant', () => {
    const s = computeSlaState(seenAs('closed'), defaultPolicy, calendar24x7, firstSeen);
    expect(s.statusKnownFrom).toBeUndefined();
    expect(s.targets.find((x) => x.metric === 'resolution')).toMatchObject({ breached: true });
  });
});
