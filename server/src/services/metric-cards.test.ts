import { afterEach, beforeEach, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());
const MIN = 60_000;
const NEW = { status: 'New', statusCategory: 'new' } as const;

/**
 * Alpha, Fri 27 March 2026 (UTC, default policy, 24x7): #1 high, Kim's, asked 08:40 and answered
 * 08:50 (first response 10 min), escalated twice, the first approved 10 min after; #2 low,
 * Lee's, created 25 March, unanswered. Beta has a ticket and an escalation that never count.
 */
async function seed() {
  const agent = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agent.tickets.observe({
    snapshot: snapshot({
      ...NEW,
      assignee: 'Kim',
      tags: ['vpn'],
      messages: [
        { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
        { author: 'agent', public: true, at: '2026-03-27T08:50:00.000Z', externalId: 'r' },
      ],
    }),
  });
  await agent.tickets.observe({
    snapshot: snapshot({
      ...NEW,
      externalId: '2',
      url: 'http://127.0.0.1:8787/demo/tickets/2',
      priority: 'low',
      assignee: 'Lee',
      createdAt: '2026-03-25T08:00:00.000Z',
      messages: [],
    }),
  });
  const first = await agent.escalations.request({
    ticketId: ticket.id,
    type: 'tier2',
    reason: 'Locked out',
  });
  const manager = await env.as(env.a.users.manager.email);
  env.clock.set(env.clock() + 10 * MIN);
  await manager.escalations.decide({ escalationId: first.id, decision: 'approve' });
  await agent.escalations.request({
    ticketId: ticket.id,
    type: 'incident',
    reason: 'Still locked out',
  });
  const agentB = await env.as(env.b.users.agent.email, 'token');
  const b = await agentB.tickets.observe({ snapshot: snapshot({ ...NEW, assignee: 'Kim' }) });
  await agentB.escalations.request({ ticketId: b.ticket.id, type: 'tier2', reason: 'Beta' });
  env.clock.set(Date.parse('2026-03-27T10:00:00Z'));
  return { manager, ticketId: ticket.id };
}

it('computes the escalation, agent, recurring and backlog cards (hand-computed)', async () => {
  const { manager, ticketId } = await seed();
  const c = await manager.flags.cards({ period: '7d', timeZone: 'UTC' });
  expect(c.escalations).toMatchObject({
    total: 2,
    byType: { tier2: 1, incident: 1 },
    approved: 1,
    denied: 0,
    approvalRate: 1,
    medianDecisionMs: 10 * MIN,
    repeat: [{ ticketId, count: 2 }],
  });
  expect(c.agents).toEqual([
    // Both open at 10:00; Kim answered in 10 min.
    {
      assignee: 'Kim',
      handled: 0,
      open: 1,
      firstResponseMedianMs: 10 * MIN,
      breaches: 0,
      reopenRate: null,
    },
    // #2 low: first response 8 h and resolution 48 h (default policy), both missed by now.
    {
      assignee: 'Lee',
      handled: 0,
      open: 1,
      firstResponseMedianMs: null,
      breaches: 2,
      reopenRate: null,
    },
  ]);
  expect(c.backlog).toEqual({
    open: 2,
    byCategory: { new: 2 },
    // #1 is 1 h 20 min old, #2 2 days 2 h.
    byAge: { '<1d': 1, '1-3d': 1, '3-7d': 0, '>7d': 0 },
  });
  expect(c.recurring.tags).toEqual([{ tag: 'vpn', current: 1, previous: 0 }]);
  expect(c.csat.available).toBe(false);
  // A priority filter applies to escalations too.
  const low = await manager.flags.cards({ period: '7d', timeZone: 'UTC', priorities: ['low'] });
  expect(low.escalations.total).toBe(0);
  // The agents card names agents: managers and admins only.
  const agent = await env.as(env.a.users.agent.email);
  await expect(agent.flags.cards({ period: '7d', timeZone: 'UTC' })).rejects.toMatchObject({
    code: 'FORBIDDEN',
  });
});
