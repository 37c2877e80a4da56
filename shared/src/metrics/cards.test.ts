import { describe, expect, it } from 'vitest';
import { agentStats, backlogBreakdown, escalationStats, type EscalationRow } from './cards.js';

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse('2026-03-23T00:00:00Z');
const period = { from: T0, to: T0 + 7 * 24 * H };

describe('escalationStats', () => {
  const e = (over: Partial<EscalationRow>): EscalationRow => ({
    ticketId: 't1',
    subject: 'VPN down',
    type: 'tier2',
    severity: 'normal',
    state: 'pending',
    createdAt: T0 + H,
    decidedAt: null,
    pastTimeout: false,
    ...over,
  });
  it('counts, rates and times the escalations requested in the period (hand-computed)', () => {
    const rows = [
      e({ state: 'approved', decidedAt: T0 + H + 10 * MIN }), // 10 min
      e({
        ticketId: 't2',
        subject: 'Refund',
        type: 'manager_approval',
        severity: 'high',
        state: 'denied',
        decidedAt: T0 + H + 30 * MIN,
      }), // 30 min
      e({
        ticketId: 't1',
        type: 'incident',
        severity: 'critical',
        state: 'approved',
        decidedAt: T0 + 3 * H,
        pastTimeout: true,
      }), // 2 h
      e({ ticketId: 't3', subject: 'Printer', state: 'expired' }),
      e({ ticketId: 't4', createdAt: T0 - 1 }), // before the period: not counted
    ];
    expect(escalationStats(rows, period)).toEqual({
      total: 4,
      byType: { tier2: 2, manager_approval: 1, incident: 1 },
      bySeverity: { normal: 2, high: 1, critical: 1 },
      approved: 2,
      denied: 1,
      approvalRate: 2 / 3,
      medianDecisionMs: 30 * MIN, // of 10 min, 30 min, 2 h
      waitedPastTimeout: 2, // paged on (t1 incident) and expired (t3)
      repeat: [{ ticketId: 't1', subject: 'VPN down', count: 2 }],
    });
  });
  it('has no rate or median with nothing decided', () => {
    const s = escalationStats([e({})], period);
    expect([s.total, s.approvalRate, s.medianDecisionMs]).toEqual([1, null, null]);
  });
});

it('adds up each agent from the tickets behind the numbers (hand-computed)', () => {
  const stats = agentStats({
    solved: [
      { assignee: 'Kim' },
      { assignee: 'Kim' },
      { assignee: 'Lee' },
      { assignee: 'Kim' },
      { assignee: 'Kim' },
    ],
    backlog: [{ assignee: 'Lee' }, { assignee: null }],
    firstResponse: [
      { assignee: 'Kim', businessMs: 10 * MIN },
      { assignee: 'Kim', businessMs: 30 * MIN },
      { assignee: 'Lee', businessMs: 2 * H },
    ],
    breaches: [{ assignee: 'Lee', note: 'first_response breached, resolution breached' }],
    reopened: [{ assignee: 'Kim' }],
  });
  expect(stats).toEqual([
    {
      assignee: 'Kim',
      handled: 4,
      open: 0,
      firstResponseMedianMs: 20 * MIN,
      breaches: 0,
      reopenRate: 0.25,
    },
    {
      assignee: 'Lee',
      handled: 1,
      open: 1,
      firstResponseMedianMs: 2 * H,
      breaches: 2,
      reopenRate: 0,
    },
    {
      assignee: null,
      handled: 0,
      open: 1,
      firstResponseMedianMs: null,
      breaches: 0,
      reopenRate: null,
    },
  ]);
});

it('breaks the backlog down by category and age bucket', () => {
  const at = T0 + 10 * 24 * H;
  expect(
    backlogBreakdown(
      [
        { note: 'open', at: at - 2 * H }, // <1d
        { note: 'open', at: at - 24 * H }, // exactly 1 day: 1-3d
        { note: 'pending_customer', at: at - 5 * 24 * H }, // 3-7d
        { note: 'new', at: at - 9 * 24 * H }, // >7d
      ],
      at,
    ),
  ).toEqual({
    open: 4,
    byCategory: { open: 2, pending_customer: 1, new: 1 },
    byAge: { '<1d': 1, '1-3d': 1, '3-7d': 1, '>7d': 1 },
  });
});
