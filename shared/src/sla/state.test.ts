import { describe, expect, it } from 'vitest';
import { calendar24x7, type Calendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import { defaultPolicy } from './policy.js';
import { computeSlaState, projectTarget } from './state.js';

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

  it('counts only business time of the calendar it is given', () => {
    // A calendar open only in the first half of every hour, to prove the engine delegates to it.
    const halfHours: Calendar = {
      id: 'half-hours',
      businessBetween(from, to) {
        let ms = 0;
        for (let x = from; x < to; x += MIN)
          if (new Date(x).getUTCMinutes() < 30) ms += Math.min(MIN, to - x);
        return ms;
      },
      addBusiness(start, ms) {
        let x = start;
        while (ms > 0) {
          if (new Date(x).getUTCMinutes() < 30) ms -= MIN;
          x += MIN;
        }
        return x;
      },
    };
    const fr = target(highTicket, 'first_response', t('2026-03-27T10:00:00Z'), halfHours);
    expect(fr).toMatchObject({ elapsedMs: 30 * MIN, remainingMs: 30 * MIN });
    expect(fr.dueAt).toBe(t('2026-03-27T10:30:00Z'));
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
