import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { count } from 'drizzle-orm';
import { createApp } from '../app.js';
import { escalations } from '../db/schema.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());
const escalationRows = async () =>
  ((await env.db.select({ n: count() }).from(escalations)) as [{ n: number }])[0].n;

async function pendingEscalation() {
  const agent = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
  const esc = await agent.escalations.request({
    ticketId: ticket.id,
    type: 'tier2',
    reason: 'Customer is locked out before a launch',
  });
  return { agent, ticket, esc };
}

describe('escalations', () => {
  it('starts pending with the requester and shows in the managers inbox', async () => {
    const { esc } = await pendingEscalation();
    expect(esc).toMatchObject({
      state: 'pending',
      type: 'tier2',
      severity: 'normal',
      requestedBy: 'Alpha agent',
      ticketSubject: 'Cannot log in',
    });
    const manager = await env.as(env.a.users.manager.email);
    expect((await manager.escalations.list({ state: 'pending' })).map((e) => e.id)).toEqual([
      esc.id,
    ]);
  });

  it("lists an agent's own escalations, pending and decided with the reason, and nobody else's", async () => {
    const { agent, ticket, esc } = await pendingEscalation();
    const manager = await env.as(env.a.users.manager.email);
    const other = await manager.escalations.request({
      ticketId: ticket.id,
      type: 'incident',
      reason: 'Raised by the manager',
    });
    const second = await agent.escalations.request({
      ticketId: ticket.id,
      type: 'manager_approval',
      reason: 'Refund above the limit',
    });
    await manager.escalations.decide({
      escalationId: second.id,
      decision: 'deny',
      comment: 'Offer a credit instead',
    });
    const mine = await agent.escalations.mine();
    expect(mine.map((e) => e.id).sort()).toEqual([esc.id, second.id].sort());
    expect(mine.find((e) => e.id === second.id)).toMatchObject({
      state: 'denied',
      decidedBy: 'Alpha manager',
      comment: 'Offer a credit instead',
      reason: 'Refund above the limit',
    });
    expect((await manager.escalations.mine()).map((e) => e.id)).toEqual([other.id]);
    const beta = await env.as(env.b.users.agent.email);
    expect(await beta.escalations.mine()).toEqual([]);
  });

  it('takes a decision once and tells a second decider who decided first', async () => {
    const { esc } = await pendingEscalation();
    const manager = await env.as(env.a.users.manager.email);
    const admin = await env.as(env.a.users.admin.email);
    const approved = await manager.escalations.decide({
      escalationId: esc.id,
      decision: 'approve',
    });
    expect(approved).toMatchObject({
      state: 'approved',
      decidedBy: 'Alpha manager',
      decidedAt: env.clock(),
    });
    await expect(
      admin.escalations.decide({ escalationId: esc.id, decision: 'deny', comment: 'No' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Already approved by Alpha manager at ${new Date(env.clock()).toISOString()}`,
    });
    expect((await admin.escalations.get({ escalationId: esc.id })).state).toBe('approved');
  });

  it('refuses a denial without a reason and changes nothing', async () => {
    const { esc } = await pendingEscalation();
    const manager = await env.as(env.a.users.manager.email);
    await expect(
      manager.escalations.decide({ escalationId: esc.id, decision: 'deny', comment: ' ' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await manager.escalations.get({ escalationId: esc.id })).state).toBe('pending');
    const denied = await manager.escalations.decide({
      escalationId: esc.id,
      decision: 'deny',
      comment: 'Handle it in tier 1',
    });
    expect(denied).toMatchObject({ state: 'denied', comment: 'Handle it in tier 1' });
  });

  it('does not let an agent decide', async () => {
    const { agent, esc } = await pendingEscalation();
    await expect(
      agent.escalations.decide({ escalationId: esc.id, decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('needs a reason and a known ticket to request one, and writes nothing otherwise', async () => {
    const { agent, ticket } = await pendingEscalation();
    const before = await escalationRows();
    await expect(
      agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: '' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      agent.escalations.request({
        ticketId: ticket.id,
        type: 'coffee' as never,
        reason: 'Because',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      agent.escalations.request({ ticketId: 'nope', type: 'tier2', reason: 'Because' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await escalationRows()).toBe(before);
  });

  it('streams every watched ticket on one feed and then each decision as it is taken', async () => {
    const { agent, ticket, esc } = await pendingEscalation();
    const { ticket: other } = await agent.tickets.observe({
      snapshot: snapshot({ externalId: 'other-1', subject: 'Another ticket' }),
    });
    const stream = await agent.escalations.watchTickets({ ticketIds: [ticket.id, other.id] });
    const it = stream[Symbol.asyncIterator]();
    const first = [(await it.next()).value, (await it.next()).value];
    expect(first).toEqual(
      expect.arrayContaining([
        { ticketId: ticket.id, list: [expect.objectContaining({ id: esc.id, state: 'pending' })] },
        { ticketId: other.id, list: [] },
      ]),
    );
    const manager = await env.as(env.a.users.manager.email);
    const next = it.next();
    await manager.escalations.decide({
      escalationId: esc.id,
      decision: 'approve',
      comment: 'Go ahead',
    });
    // Only the ticket that changed comes again.
    expect((await next).value).toMatchObject({
      ticketId: ticket.id,
      list: [{ id: esc.id, state: 'approved', decidedBy: 'Alpha manager', comment: 'Go ahead' }],
    });
    await it.return?.(); // ends the generator, as a closed SSE connection does
  });

  it('wakes a watcher idle for minutes at once, having read nothing meanwhile', async () => {
    // Only timers are faked: the database answers as usual, but no watcher timer fires unless
    // the test moves time, so the decision must reach the watcher without any.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { agent, ticket, esc } = await pendingEscalation();
      const stream = await agent.escalations.watchTickets({ ticketIds: [ticket.id] });
      const it = stream[Symbol.asyncIterator]();
      expect((await it.next()).value).toMatchObject({ ticketId: ticket.id });
      // Five minutes of quiet, a second at a time: whatever the watcher does meanwhile.
      // The feed waits for its next change, as an open SSE stream does.
      let arrived: unknown = null;
      const next = it.next().then((r) => (arrived = r.value));
      const spy = vi.spyOn(env.services.escalations, 'forTicket');
      for (let s = 0; s < 300; s++) await vi.advanceTimersByTimeAsync(1_000);
      const idleReads = spy.mock.calls.length;
      const manager = await env.as(env.a.users.manager.email);
      await manager.escalations.decide({
        escalationId: esc.id,
        decision: 'deny',
        comment: 'Not this week',
      });
      // The feed reads one ticket from the database: a few turns of the event loop, no timer.
      for (let i = 0; i < 100 && !arrived; i++) await new Promise((r) => setImmediate(r));
      expect(arrived).toMatchObject({ ticketId: ticket.id, list: [{ state: 'denied' }] });
      // Quiet minutes cost no database reads: a feed reads only when told something changed.
      expect(idleReads).toBe(0);
      await next;
      await it.return?.();
    } finally {
      vi.useRealTimers();
    }
  });

  it('brings a decision taken on another instance to a watcher here, when this instance reads its changes', async () => {
    const { ticket, esc } = await pendingEscalation();
    const two = await env.secondInstance();
    await two.live.poll(); // where instance two starts reading, as it does at start
    const agentThere = await env.as(env.a.users.agent.email, 'token', { on: two });
    const it = (await agentThere.escalations.watchTickets({ ticketIds: [ticket.id] }))[
      Symbol.asyncIterator
    ]();
    expect((await it.next()).value).toMatchObject({ list: [{ state: 'pending' }] });
    // A watcher of the other workspace naming the same ticket sees nothing of it, ever.
    const closed = new AbortController();
    const betaThere = await env.as(env.b.users.agent.email, 'token', {
      on: two,
      signal: closed.signal,
    });
    const spy = (await betaThere.escalations.watchTickets({ ticketIds: [ticket.id] }))[
      Symbol.asyncIterator
    ]();
    expect((await spy.next()).value).toEqual({ ticketId: ticket.id, list: [] });
    let spied: unknown = null;
    const spyNext = spy.next().then((r) => (spied = r.value ?? 'ended'));

    let arrived: unknown = null;
    const next = it.next().then((r) => (arrived = r.value));
    const manager = await env.as(env.a.users.manager.email); // on instance one
    await manager.escalations.decide({ escalationId: esc.id, decision: 'approve', comment: '' });
    await two.live.poll();
    for (let i = 0; i < 100 && !arrived; i++) await new Promise((r) => setImmediate(r));
    expect(arrived).toMatchObject({ ticketId: ticket.id, list: [{ state: 'approved' }] });
    expect(spied).toBeNull();
    await next;
    await it.return?.();
    closed.abort();
    await spyNext;
    expect(spied).toBe('ended');
    expect(two.bus.stats()).toEqual({ feeds: 0, waiting: 0 });
  });

  it('reads a ticket once for all the feeds a change wakes together', async () => {
    const { agent, ticket, esc } = await pendingEscalation();
    const feeds = await Promise.all(
      Array.from({ length: 5 }, async () =>
        (await agent.escalations.watchTickets({ ticketIds: [ticket.id] }))[Symbol.asyncIterator](),
      ),
    );
    for (const f of feeds) await f.next();
    const nexts = feeds.map((f) => f.next());
    const reads = vi.spyOn(env.services.escalations, 'forTicket');
    const manager = await env.as(env.a.users.manager.email);
    await manager.escalations.decide({ escalationId: esc.id, decision: 'approve', comment: '' });
    for (const n of await Promise.all(nexts))
      expect(n.value).toMatchObject({ list: [{ state: 'approved' }] });
    expect(reads).toHaveBeenCalledTimes(1);
    for (const f of feeds) await f.return?.();
  });

  it('counts the open feeds of the workspace, for operators and tests', async () => {
    const { agent, ticket } = await pendingEscalation();
    const manager = await env.as(env.a.users.manager.email);
    const betaManager = await env.as(env.b.users.manager.email);
    expect(await manager.escalations.liveFeeds()).toEqual({ open: 0 });
    const stream = await agent.escalations.watchTickets({ ticketIds: [ticket.id] });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    expect(await manager.escalations.liveFeeds()).toEqual({ open: 1 });
    expect(await betaManager.escalations.liveFeeds()).toEqual({ open: 0 });
    await it.return?.();
    expect(await manager.escalations.liveFeeds()).toEqual({ open: 0 });
    await expect(agent.escalations.liveFeeds()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses an empty or oversized set of watched tickets', async () => {
    const { agent } = await pendingEscalation();
    await expect(agent.escalations.watchTickets({ ticketIds: [] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const many = Array.from({ length: 201 }, (_, i) => `t${i}`);
    await expect(agent.escalations.watchTickets({ ticketIds: many })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('watching over HTTP', () => {
  it('ends a watch quietly when its client goes away, leaving no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { ticket } = await pendingEscalation();
      const app = createApp({
        db: env.db,
        services: env.services,
        publicUrl: 'http://127.0.0.1:8787',
        pwaDist: '/nonexistent',
      });
      const { code } = await env.services.accounts.createPairingCode(env.a.users.agent.userId);
      const { token } = (await env.services.accounts.redeemPairingCode(code, 'test'))!;
      const closed = new AbortController();
      const input = encodeURIComponent(JSON.stringify({ ticketIds: [ticket.id] }));
      const res = await app.request(`/trpc/escalations.watchTickets?input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: closed.signal,
      });
      const reader = res.body!.getReader();
      // The stream is open; the tab closes.
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('connected');
      closed.abort();
      await reader.cancel().catch(() => undefined);
      // Upper bound only: the watch has ended once it leaves the bus.
      const end = Date.now() + 10_000;
      while (env.services.bus.stats().feeds > 0 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      expect(env.services.bus.stats()).toEqual({ feeds: 0, waiting: 0 });
      // Rejections are reported after the ticks that dropped them; give them a few.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('escalations across workspaces', () => {
  it('hides one workspace escalations from the other and refuses cross-workspace decisions', async () => {
    const { ticket, esc } = await pendingEscalation();
    const betaManager = await env.as(env.b.users.manager.email);
    const betaAgent = await env.as(env.b.users.agent.email, 'token');
    expect(await betaManager.escalations.list({})).toEqual([]);
    await expect(betaManager.escalations.get({ escalationId: esc.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      betaManager.escalations.decide({ escalationId: esc.id, decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await betaAgent.escalations.forTicket({ ticketId: ticket.id })).toEqual([]);
    const feed = (await betaAgent.escalations.watchTickets({ ticketIds: [ticket.id] }))[
      Symbol.asyncIterator
    ]();
    expect((await feed.next()).value).toEqual({ ticketId: ticket.id, list: [] });
    await feed.return?.();
    await expect(
      betaAgent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: 'Sneaky' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const alphaManager = await env.as(env.a.users.manager.email);
    expect((await alphaManager.escalations.get({ escalationId: esc.id })).state).toBe('pending');
  });
});
