import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TicketSnapshot } from '@deskwatch/shared';
import { ticketEvents } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';
import { applyUpdate } from './apply.js';
import { connectorSource } from './service.js';
import type { Change } from './types.js';

// A status change seen by an agent's page and by the tool's connector: one event, at the tool's
// time, whichever arrived first, and the SLA clocks follow it.
const MIN = 60_000;
const at = (hhmm: string) => Date.parse(`2026-03-27T${hhmm}:00Z`);
const URL_1 = 'http://127.0.0.1:8787/demo/tickets/1';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv())); // 09:00
afterEach(() => env.close());

/** The connector's picture after these tool events, as apply.ts builds it from deliveries. */
function fromTool(changes: Change[]): TicketSnapshot {
  let snap: TicketSnapshot | null = null;
  for (const c of changes) {
    const next = applyUpdate(
      snap,
      {
        externalId: '1',
        url: URL_1,
        fields: { subject: 'Cannot log in' },
        changes: [c],
        toolAt: c.at,
      },
      'demo-desk',
    );
    if ('error' in next) throw new Error(next.error);
    snap = next;
  }
  return snap!;
}
const created: Change = {
  type: 'created',
  id: 'zd:1',
  at: at('08:40'),
  status: 'Open',
  category: 'open',
  priority: 'high',
};
const pending: Change = {
  type: 'status',
  id: 'zd:2',
  at: at('09:12'),
  status: 'Pending',
  category: 'pending_customer',
};
const pendingPage = snapshot({ status: 'Pending', statusCategory: 'pending_customer' });

describe("a status change seen by a page and by the tool's API", () => {
  for (const order of ['page first', 'connector first'] as const)
    it(`is one event at the tool's time, and pauses from it (${order})`, async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const connector = (snap: TicketSnapshot) =>
        env.services.tickets.observe(env.a.id, snap, connectorSource('zd'));
      await agent.tickets.observe({ snapshot: snapshot() }); // 09:00, open
      if (order === 'page first') {
        env.clock.set(at('09:17')); // the agent sees it pending five minutes late
        await agent.tickets.observe({ snapshot: pendingPage });
        env.clock.set(at('09:18'));
        await connector(fromTool([created, pending]));
      } else {
        env.clock.set(at('09:13'));
        await connector(fromTool([created, pending]));
        env.clock.set(at('09:17'));
        await agent.tickets.observe({ snapshot: pendingPage });
      }
      env.clock.set(at('10:00'));
      const { ticket, sla } = await agent.tickets.observe({ snapshot: pendingPage });
      // Running 08:40 to 09:12 (the tool's time), not to 09:17 (when the page saw it).
      expect(sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
        status: 'paused',
        pausedBy: 'pending_customer',
        elapsedMs: 32 * MIN,
      });
      const stored = await env.services.tickets.get(env.a.id, ticket.id);
      expect(stored!.sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
        elapsedMs: 32 * MIN,
      });
      const statuses = (
        await env.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id))
      )
        .filter((e) => e.type === 'status')
        .map((e) => [new Date(e.at).toISOString(), JSON.parse(e.data).category]);
      expect(statuses.sort()).toEqual([
        ['2026-03-27T08:40:00.000Z', 'open'],
        ['2026-03-27T09:12:00.000Z', 'pending_customer'],
      ]);
      // Neither source is flagged: the page was not wrong, only late.
      const sources = await env.services.tickets.sources(env.a.id, ticket.id);
      expect(sources!.map((s) => s.conflict)).toEqual([null, null]);
    });

  it('moves the resume boundary to the tool’s time too', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const connector = (snap: TicketSnapshot) =>
      env.services.tickets.observe(env.a.id, snap, connectorSource('zd'));
    const reopened: Change = {
      type: 'status',
      id: 'zd:3',
      at: at('09:30'),
      status: 'Open',
      category: 'open',
    };
    env.clock.set(at('09:13'));
    await connector(fromTool([created, pending]));
    env.clock.set(at('09:50')); // the page saw it open again only now
    await agent.tickets.observe({ snapshot: snapshot() });
    env.clock.set(at('09:51'));
    await connector(fromTool([created, pending, reopened]));
    env.clock.set(at('10:00'));
    const { sla } = await agent.tickets.observe({ snapshot: snapshot() });
    // 08:40-09:12 and 09:30-10:00 running: 62 min; not 42 (resumed at 09:50).
    expect(sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'breached',
      elapsedMs: 62 * MIN,
    });
  });
});
