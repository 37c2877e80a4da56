import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { ticketEvents, tickets } from '../db/schema.js';
import type { SlaState } from '@deskwatch/shared';
import { createHotDb, type HotDb } from '../db/hot.js';
import { createTickets } from '../services/tickets.js';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());
const MIN = 60_000;
const rows = async (table: typeof tickets | typeof ticketEvents) =>
  ((await env.db.select({ n: count() }).from(table)) as [{ n: number }])[0].n;

describe('observations', () => {
  it('answers with the SLA state for the seen creation time and priority', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const { ticket, sla } = await agent.tickets.observe({ snapshot: snapshot() }); // created 08:40, now 09:00, high
    expect(ticket).toMatchObject({ subject: 'Cannot log in', category: 'open', priority: 'high' });
    const fr = sla.targets.find((t) => t.metric === 'first_response')!;
    expect(fr).toMatchObject({
      status: 'running',
      elapsedMs: 20 * MIN,
      remainingMs: 40 * MIN,
      dueAt: Date.parse('2026-03-27T09:40:00Z'),
    });
    expect(sla.targets.find((t) => t.metric === 'resolution')).toMatchObject({
      remainingMs: 460 * MIN,
    });
  });

  it('is idempotent: the same page seen twice writes no new events', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const first = await agent.tickets.observe({ snapshot: snapshot() });
    const events = await rows(ticketEvents);
    env.clock.advance(MIN);
    const second = await agent.tickets.observe({ snapshot: snapshot() });
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(await rows(ticketEvents)).toBe(events);
    expect(await rows(tickets)).toBe(1);
  });

  it('answers an unchanged page from what is stored, writing nothing', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const first = await agent.tickets.observe({ snapshot: snapshot() });
    const stored = () =>
      env.client.execute(
        'SELECT t.last_seen_at, s.computed_at, s.state_json FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id',
      );
    const before = (await stored()).rows;
    const commits = env.hot.local!.commits;
    env.clock.advance(5 * MIN);
    const again = await agent.tickets.observe({ snapshot: snapshot() });
    expect((await stored()).rows).toEqual(before); // row versions unchanged
    expect(env.hot.local!.commits).toBe(commits);
    // The same state, as of when it was computed: the overlay projects it to now.
    expect(again).toEqual(first);
    // A changed page is written again.
    env.clock.advance(MIN);
    await agent.tickets.observe({ snapshot: snapshot({ subject: 'Still cannot log in' }) });
    expect((await stored()).rows[0]!.last_seen_at).toBe(env.clock());
  });

  it('records an unchanged page sent by another browser for that browser, then reads it', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const manager = await env.as(env.a.users.manager.email, 'token');
    const first = await agent.tickets.observe({ snapshot: snapshot() });
    const sources = () =>
      env.client.execute(
        'SELECT source_key, count(o.dedupe_key) AS n FROM ticket_sources s LEFT JOIN ticket_observations o USING (ticket_id, source_key) GROUP BY source_key',
      );
    expect((await sources()).rows).toHaveLength(1);
    env.clock.advance(MIN);
    let commits = env.hot.local!.commits;
    // Same page, but this browser has not reported it: its view is kept, in one commit.
    expect(await manager.tickets.observe({ snapshot: snapshot() })).toMatchObject({
      ticket: first.ticket,
    });
    expect(env.hot.local!.commits - commits).toBe(1);
    const after = (await sources()).rows;
    expect(after).toHaveLength(2);
    expect(after.every((r) => Number(r.n) > 0)).toBe(true);
    // Sent again by either browser, it writes nothing.
    commits = env.hot.local!.commits;
    env.clock.advance(MIN);
    await manager.tickets.observe({ snapshot: snapshot() });
    await agent.tickets.observe({ snapshot: snapshot() });
    expect(env.hot.local!.commits).toBe(commits);
    expect((await sources()).rows).toEqual(after);
  });

  it('stores a new ticket, its events and its SLA state in one commit', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const commits = env.hot.local!.commits;
    const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
    expect(env.hot.local!.commits - commits).toBe(1);
    expect(await rows(ticketEvents)).toBe(4); // created, priority, status (open), message
    const sla = await env.client.execute({
      sql: 'SELECT computed_at FROM ticket_sla WHERE ticket_id = ?',
      args: [ticket.id],
    });
    expect(sla.rows[0]!.computed_at).toBe(env.clock());
  });

  it('records a status change and pauses while waiting on the customer', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    await agent.tickets.observe({ snapshot: snapshot() });
    env.clock.advance(10 * MIN); // 09:10
    await agent.tickets.observe({
      snapshot: snapshot({ status: 'Pending', statusCategory: 'pending_customer' }),
    });
    env.clock.advance(60 * MIN); // 10:10
    const { sla } = await agent.tickets.observe({
      snapshot: snapshot({ status: 'Pending', statusCategory: 'pending_customer' }),
    });
    expect(sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'paused',
      pausedBy: 'pending_customer',
      elapsedMs: 30 * MIN,
    });
  });

  it('uses the status history a page shows instead of the time it was seen', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const statusChanges = [
      { at: '2026-03-27T08:40:00.000Z', status: 'New', statusCategory: 'new' as const },
      {
        at: '2026-03-27T08:45:00.000Z',
        status: 'Feedback',
        statusCategory: 'pending_customer' as const,
      },
      { at: '2026-03-27T08:55:00.000Z', status: 'Closed', statusCategory: 'closed' as const },
    ];
    const snap = snapshot({ status: 'Closed', statusCategory: 'closed', statusChanges });
    const { sla } = await agent.tickets.observe({ snapshot: snap }); // seen at 09:00, closed since 08:55
    expect(sla.targets.find((x) => x.metric === 'resolution')).toMatchObject({
      status: 'met',
      elapsedMs: 5 * MIN,
      stoppedAt: Date.parse('2026-03-27T08:55:00Z'),
    });
    const events = await rows(ticketEvents);
    await agent.tickets.observe({ snapshot: snap });
    expect(await rows(ticketEvents)).toBe(events);
  });

  it('keys a history item by the tool’s own id, so a second view reading another time adds nothing', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const change = (at: string) => ({
      externalId: 'change-17:status',
      at,
      status: 'Closed',
      statusCategory: 'closed' as const,
    });
    const view = (at: string) =>
      snapshot({ status: 'Closed', statusCategory: 'closed', statusChanges: [change(at)] });
    await agent.tickets.observe({ snapshot: view('2026-03-27T08:55:00.000Z') });
    const events = await rows(ticketEvents);
    // Another agent's page shows the same journal to the minute only (or a little off).
    const { sla } = await agent.tickets.observe({ snapshot: view('2026-03-27T08:55:40.000Z') });
    expect(await rows(ticketEvents)).toBe(events);
    expect(sla.targets.find((x) => x.metric === 'resolution')).toMatchObject({
      stoppedAt: Date.parse('2026-03-27T08:55:00Z'),
    });
  });

  it('keys priority history items by the tool’s own id too, whatever time another zone reads', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const view = (at: string) =>
      snapshot({
        priority: 'urgent',
        priorityChanges: [
          { at: '2026-03-27T08:40:00.000Z', priority: 'normal' },
          { externalId: 'change-17:priority', at, priority: 'urgent' },
        ],
      });
    const priorities = async () =>
      (
        await env.db
          .select({ at: ticketEvents.at, data: ticketEvents.data })
          .from(ticketEvents)
          .where(eq(ticketEvents.type, 'priority'))
          .orderBy(ticketEvents.at)
      ).map((e) => [new Date(e.at).toISOString(), JSON.parse(e.data).priority]);
    await agent.tickets.observe({ snapshot: view('2026-03-27T08:50:00.000Z') });
    // Normal from creation, urgent from the change the history shows, not since creation.
    const expected = [
      ['2026-03-27T08:40:00.000Z', 'normal'],
      ['2026-03-27T08:50:00.000Z', 'urgent'],
    ];
    expect(await priorities()).toEqual(expected);
    // Another agent's page reads the same change a minute off: still one event.
    await agent.tickets.observe({ snapshot: view('2026-03-27T08:51:00.000Z') });
    expect(await priorities()).toEqual(expected);
  });

  describe('knows from when it knows the status', () => {
    const firstSeen = Date.parse('2026-03-27T09:00:00Z'); // the test clock
    const closed = { status: 'Closed', statusCategory: 'closed' as const };

    it('a ticket first seen closed with no history: unknown before, never breached', async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const { ticket, sla } = await agent.tickets.observe({
        snapshot: snapshot({ ...closed, createdAt: '2026-03-22T09:00:00.000Z', messages: [] }),
      });
      expect(sla.statusKnownFrom).toBe(firstSeen);
      for (const t of sla.targets)
        expect(t).toMatchObject({ breached: false, outcomeUnknown: true });
      const row = await env.db.query.tickets.findFirst({ where: eq(tickets.id, ticket.id) });
      expect(row!.statusKnownFrom).toBe(firstSeen);
      // The list badge says so too, rather than "met".
      const [badge] = await agent.tickets.badges({ source: 'demo-desk', externalIds: ['1'] });
      expect(badge).toMatchObject({ outcomeUnknown: true, breached: false });
    });

    it('a ticket first seen new: known since creation', async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const { sla } = await agent.tickets.observe({
        snapshot: snapshot({ status: 'New', statusCategory: 'new' }),
      });
      expect(sla.statusKnownFrom).toBeUndefined();
    });

    it('a later view with the history back to creation makes it known since creation', async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      await agent.tickets.observe({ snapshot: snapshot(closed) });
      env.clock.advance(MIN);
      const { ticket, sla } = await agent.tickets.observe({
        snapshot: snapshot({
          ...closed,
          statusChanges: [
            { at: '2026-03-27T08:40:00.000Z', status: 'New', statusCategory: 'new' },
            { at: '2026-03-27T08:55:00.000Z', ...closed },
          ],
        }),
      });
      expect(sla.statusKnownFrom).toBeUndefined();
      expect(sla.targets.find((x) => x.metric === 'resolution')).toMatchObject({
        status: 'met',
        elapsedMs: 15 * MIN,
      });
      const row = await env.db.query.tickets.findFirst({ where: eq(tickets.id, ticket.id) });
      expect(row!.statusKnownFrom).toBeNull();
    });

    it('a history that does not go back to creation: known from its oldest change', async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const { sla } = await agent.tickets.observe({
        snapshot: snapshot({
          ...closed,
          statusHistoryComplete: false,
          statusChanges: [{ externalId: 'e9:status', at: '2026-03-27T08:50:00.000Z', ...closed }],
        }),
      });
      expect(sla.statusKnownFrom).toBe(Date.parse('2026-03-27T08:50:00Z'));
    });
  });

  it('stops first response at the first public agent reply the page shows', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const messages = [
      ...snapshot().messages,
      { author: 'agent' as const, public: true, at: '2026-03-27T08:55:00.000Z', externalId: 'm2' },
    ];
    const { sla } = await agent.tickets.observe({ snapshot: snapshot({ messages }) });
    expect(sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'met',
      elapsedMs: 15 * MIN,
    });
  });

  it('rejects a bad snapshot with a clear error and writes nothing', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const bad = { ...snapshot(), statusCategory: 'waiting', createdAt: 'yesterday' } as never;
    const err = await agent.tickets.observe({ snapshot: bad }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const paths = (err as { cause: { issues: { path: string[] }[] } }).cause.issues.map((i) =>
      i.path.join('.'),
    );
    expect(paths.sort()).toEqual(['snapshot.createdAt', 'snapshot.statusCategory']);
    expect(await rows(tickets)).toBe(0);
    expect(await rows(ticketEvents)).toBe(0);
  });

  describe('refuses times that cannot be right, and stores nothing', () => {
    // The clock reads 2026-03-27T09:00Z; a tool's clock may run up to five minutes ahead.
    const refused = async (snap: ReturnType<typeof snapshot>, code: string, message: RegExp) => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const before = [await rows(tickets), await rows(ticketEvents)];
      const err = await agent.tickets.observe({ snapshot: snap }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toMatch(message);
      expect([await rows(tickets), await rows(ticketEvents)]).toEqual(before);
    };

    it('a creation in the future', async () => {
      await refused(
        snapshot({ createdAt: '2026-03-27T11:00:00.000Z', messages: [] }), // read in a zone 2 h off
        'BAD_REQUEST',
        /created 2 h in the future.*time zone/,
      );
    });

    it('a message in the future or before the creation', async () => {
      const msg = (at: string) => [{ author: 'agent' as const, public: true, at, externalId: 'x' }];
      await refused(
        snapshot({ messages: msg('2026-03-27T09:30:00.000Z') }),
        'BAD_REQUEST',
        /a message 30 min in the future/,
      );
      await refused(
        snapshot({ messages: msg('2026-03-27T03:40:00.000Z') }),
        'BAD_REQUEST',
        /a message 5 h before the ticket was created/,
      );
    });

    it('a status change in the future or before the creation', async () => {
      // Created 08:40 UTC. Unlike an e-mail, no status changes before the ticket exists.
      const change = (at: string) => [{ at, status: 'Open', statusCategory: 'open' as const }];
      await refused(
        snapshot({ statusChanges: change('2026-03-27T10:00:00.000Z') }),
        'BAD_REQUEST',
        /a status change 1 h in the future/,
      );
      await refused(
        snapshot({ statusChanges: change('2026-03-27T08:20:00.000Z') }),
        'BAD_REQUEST',
        /a status change 20 min before the ticket was created/,
      );
    });

    it('but takes a tool clock a little ahead of ours', async () => {
      const agent = await env.as(env.a.users.agent.email, 'token');
      const { ticket } = await agent.tickets.observe({
        snapshot: snapshot({ createdAt: '2026-03-27T09:02:00.000Z', messages: [] }),
      });
      expect(ticket.createdAt).toBe(Date.parse('2026-03-27T09:02:00.000Z'));
    });
  });

  it('keeps a view whose times are shifted from those recorded apart: nothing merged, the agent told why', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const first = await agent.tickets.observe({ snapshot: snapshot() }); // created 08:40 UTC
    const before = [await rows(tickets), await rows(ticketEvents)];
    // A browser five hours behind the tool reads every wall time five hours early.
    const res = await (
      await env.as(env.a.users.agent.email, 'token')
    ).tickets.observe({
      snapshot: snapshot({
        createdAt: '2026-03-27T03:40:00.000Z',
        statusChanges: [{ at: '2026-03-27T03:50:00.000Z', status: 'Open', statusCategory: 'open' }],
        messages: [
          { author: 'customer', public: true, at: '2026-03-27T03:40:00.000Z', externalId: 'm1' },
        ],
      }),
    });
    expect(res.conflict).toMatch(/^Times off by 5 h: .*time zone/);
    expect(res.ticket.createdAt).toBe(first.ticket.createdAt);
    expect(res.sla).toEqual(first.sla);
    expect([await rows(tickets), await rows(ticketEvents)]).toEqual(before);
    expect(first.conflict).toBeUndefined();
  });

  it('needs a signed-in caller', async () => {
    await expect(env.anonymous().tickets.observe({ snapshot: snapshot() })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await rows(tickets)).toBe(0);
  });
});

describe('against a database server (one batch to read, one to write)', () => {
  it('plans an observation again when another instance changed the ticket in between', async () => {
    const ws = env.a.id;
    await env.services.tickets.observe(ws, snapshot());
    // This instance reaches the database through batches, as it would a libSQL server; right
    // after it reads the ticket, another instance records the agent's reply.
    const base = createHotDb(env.client, null);
    let raced = false;
    const hot: HotDb = {
      ...base,
      async read(stmts) {
        const rows = await base.read(stmts);
        if (!raced && stmts.length === 2) {
          raced = true;
          const messages = [
            ...snapshot().messages,
            {
              author: 'agent' as const,
              public: true,
              at: '2026-03-27T08:55:00.000Z',
              externalId: 'm2',
            },
          ];
          await env.services.tickets.observe(ws, snapshot({ messages }));
        }
        return rows;
      },
    };
    const remote = createTickets(hot, env.clock, env.services.sla, env.db);
    const { sla } = await remote.observe(ws, snapshot({ subject: 'Renamed' }));
    expect(raced).toBe(true);
    // Its answer and the stored state both count the reply it did not see at first.
    expect(sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({ status: 'met' });
    const stored = await env.client.execute(
      'SELECT t.subject, s.state_json FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id',
    );
    expect(stored.rows[0]!.subject).toBe('Renamed');
    const state = JSON.parse(stored.rows[0]!.state_json as string) as SlaState;
    expect(state.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'met',
    });
  });
});

describe('workspace isolation', () => {
  it('keeps the same external ticket apart per workspace and hides one from the other', async () => {
    const alpha = await env.as(env.a.users.agent.email, 'token');
    const beta = await env.as(env.b.users.agent.email, 'token');
    const a = await alpha.tickets.observe({ snapshot: snapshot() });
    const b = await beta.tickets.observe({ snapshot: snapshot({ subject: 'Beta secret' }) });
    expect(a.ticket.id).not.toBe(b.ticket.id);
    expect((await alpha.tickets.get({ ticketId: a.ticket.id })).ticket.subject).toBe(
      'Cannot log in',
    );
    await expect(alpha.tickets.get({ ticketId: b.ticket.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(beta.tickets.get({ ticketId: a.ticket.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('list badges', () => {
  it('gives each seen ticket of the list its most pressing clock, within the workspace only', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    await agent.tickets.observe({ snapshot: snapshot() }); // first response due 09:40
    await agent.tickets.observe({
      snapshot: snapshot({
        externalId: '2',
        url: 'http://127.0.0.1:8787/demo/tickets/2',
        status: 'Pending',
        statusCategory: 'pending_customer',
        messages: [
          { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z' },
          { author: 'agent', public: true, at: '2026-03-27T08:50:00.000Z' },
        ],
      }),
    });
    const badges = await agent.tickets.badges({
      source: 'demo-desk',
      externalIds: ['1', '2', 'never-seen'],
    });
    expect(badges.sort((a, b) => a.externalId.localeCompare(b.externalId))).toMatchObject([
      {
        externalId: '1',
        metric: 'first_response',
        status: 'running',
        dueAt: Date.parse('2026-03-27T09:40:00Z'),
      },
      { externalId: '2', metric: 'resolution', status: 'paused', dueAt: null },
    ]);
    // Another workspace with the same tool and ids sees none of it.
    const other = await env.as(env.b.users.agent.email, 'token');
    expect(await other.tickets.badges({ source: 'demo-desk', externalIds: ['1', '2'] })).toEqual(
      [],
    );
    await expect(agent.tickets.badges({ source: 'Demo Desk', externalIds: ['1'] })).rejects.toThrow(
      /source/,
    );
    await expect(
      agent.tickets.badges({
        source: 'demo-desk',
        externalIds: Array.from({ length: 201 }, (_, i) => `${i}`),
      }),
    ).rejects.toThrow();
  });
});
