import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

// The clock reads 2026-03-27T09:00Z. The tool shows wall times in UTC; a browser in New York
// (UTC-4 in late March) reads each of them 4 h late... or, as here, a browser set 5 h behind
// reads them 5 h early: every instant it reports is 5 h before the truth.
const utcView = () =>
  snapshot({
    status: 'Pending',
    statusCategory: 'pending_customer',
    statusChanges: [
      {
        externalId: 'j1:status',
        at: '2026-03-27T08:40:00.000Z',
        status: 'New',
        statusCategory: 'new',
      },
      {
        externalId: 'j2:status',
        at: '2026-03-27T08:50:00.000Z',
        status: 'Pending',
        statusCategory: 'pending_customer',
      },
    ],
    messages: [
      { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
      { author: 'agent', public: true, at: '2026-03-27T08:50:00.000Z', externalId: 'm2' },
    ],
  });
const shifted = (iso: string) => new Date(Date.parse(iso) - 5 * 3_600_000).toISOString();
const shiftedView = () => {
  const v = utcView();
  return {
    ...v,
    createdAt: shifted(v.createdAt),
    statusChanges: v.statusChanges.map((c) => ({ ...c, at: shifted(c.at) })),
    messages: v.messages.map((m) => ({ ...m, at: shifted(m.at) })),
  };
};

const agentToken = () => env.as(env.a.users.agent.email, 'token');
const admin = () => env.as(env.a.users.admin.email);

describe('a source whose times disagree with the others', () => {
  it('is flagged for admins and kept out of the log, the agent told why', async () => {
    const utc = await agentToken();
    const { ticket, sla } = await utc.tickets.observe({ snapshot: utcView() });
    const ny = await agentToken(); // another paired browser
    expect((await ny.tickets.observe({ snapshot: shiftedView() })).conflict).toMatch(
      /^Times off by 5 h/,
    );
    const { sources } = await (await admin()).tickets.sources({ ticketId: ticket.id });
    expect(sources.map((s) => [s.conflict !== null, s.excludedAt])).toEqual([
      [false, null],
      [true, null],
    ]);
    expect(sources[1]!.conflict).toMatch(/the ticket created at 2026-03-27T03:40:00.000Z/);
    // Its view is kept (for a recompute), but none of its readings is in the log.
    expect(sources[1]!.observations.length).toBeGreaterThan(0);
    expect(sources[1]!.observations.some((o) => o.inLog)).toBe(false);
    expect(
      sources[0]!.observations
        .filter((o) => o.inLog)
        .map((o) => o.dedupeKey)
        .sort(),
    ).toEqual(['created', 'history:j1:status', 'history:j2:status', 'msg:m1', 'msg:m2']);
    // The ticket is what the first source saw.
    expect((await utc.tickets.get({ ticketId: ticket.id })).sla).toEqual(sla);
  });

  it('is flagged when one message is read at another time, even with the creation agreeing', async () => {
    const { ticket } = await (await agentToken()).tickets.observe({ snapshot: utcView() });
    const other = utcView();
    other.messages[1] = { ...other.messages[1]!, at: '2026-03-27T08:20:00.000Z' };
    expect((await (await agentToken()).tickets.observe({ snapshot: other })).conflict).toMatch(
      /Times off by 30 min: .*msg:m2/,
    );
    const { sources } = await (await admin()).tickets.sources({ ticketId: ticket.id });
    expect(sources[1]!.conflict).toMatch(/msg:m2/);
  });

  it('is listed to managers and admins only, of their own workspace', async () => {
    const { ticket } = await (await agentToken()).tickets.observe({ snapshot: utcView() });
    await expect(
      (await env.as(env.a.users.agent.email)).tickets.sources({ ticketId: ticket.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const manager = await env.as(env.a.users.manager.email);
    expect((await manager.tickets.sources({ ticketId: ticket.id })).sources).toHaveLength(1);
    const otherAdmin = await env.as(env.b.users.admin.email);
    await expect(otherAdmin.tickets.sources({ ticketId: ticket.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const sourceKey = (await manager.tickets.sources({ ticketId: ticket.id })).sources[0]!
      .sourceKey;
    await expect(
      otherAdmin.tickets.recomputeWithout({ ticketId: ticket.id, sourceKey }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Nothing was set aside by the refused call.
    expect((await manager.tickets.sources({ ticketId: ticket.id })).sources[0]!.excludedAt).toBe(
      null,
    );
  });
});

describe('recompute without a source', () => {
  it("undoes a shifted browser's damage: the ticket is what the other sources saw", async () => {
    // On a fresh database the shifted browser comes first: its times make the ticket.
    const ny = await agentToken();
    const { ticket, sla: damaged } = await ny.tickets.observe({ snapshot: shiftedView() });
    expect(ticket.createdAt).toBe(Date.parse('2026-03-27T03:40:00Z'));
    const utc = await agentToken();
    expect((await utc.tickets.observe({ snapshot: utcView() })).conflict).toMatch(/Times off/);
    const a = await admin();
    const nyKey = (await a.tickets.sources({ ticketId: ticket.id })).sources[0]!.sourceKey;
    const fixed = await a.tickets.recomputeWithout({ ticketId: ticket.id, sourceKey: nyKey });

    // The same as a workspace that only ever saw the right view.
    const reference = await (
      await env.as(env.b.users.agent.email, 'token')
    ).tickets.observe({ snapshot: utcView() });
    expect(fixed.ticket.createdAt).toBe(Date.parse('2026-03-27T08:40:00Z'));
    expect(fixed.sla).toEqual(reference.sla);
    expect(fixed.sla).not.toEqual(damaged);
    expect(fixed.sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'met',
      elapsedMs: 10 * 60_000,
    });

    const { sources } = await a.tickets.sources({ ticketId: ticket.id });
    expect(sources.map((s) => [s.sourceKey === nyKey, s.excludedAt !== null, s.conflict])).toEqual([
      [true, true, null],
      [false, false, null],
    ]);
    // The set-aside browser changes nothing any more; the other one is merged again.
    const stale = await ny.tickets.observe({ snapshot: shiftedView() });
    expect(stale.conflict).toMatch(/set the views of this browser aside/);
    expect(stale.sla).toEqual(fixed.sla);
    env.clock.advance(60_000);
    expect((await utc.tickets.observe({ snapshot: utcView() })).sla).toEqual(
      (await a.tickets.get({ ticketId: ticket.id })).sla,
    );
  });

  it('drops only what that source alone saw, and is deterministic', async () => {
    const first = await agentToken();
    const { ticket } = await first.tickets.observe({
      snapshot: snapshot({ statusChanges: [] }),
    });
    env.clock.advance(10 * 60_000); // 09:10
    const second = await agentToken();
    await second.tickets.observe({
      snapshot: snapshot({ status: 'Pending', statusCategory: 'pending_customer' }),
    });
    const a = await admin();
    const { sources } = await a.tickets.sources({ ticketId: ticket.id });
    const again = await a.tickets.recomputeWithout({
      ticketId: ticket.id,
      sourceKey: sources[1]!.sourceKey,
    });
    // The pause only the second browser saw is gone; the first browser's view stands.
    expect(again.ticket.category).toBe('open');
    expect(again.sla.targets.find((t) => t.metric === 'first_response')).toMatchObject({
      status: 'running',
      elapsedMs: 30 * 60_000,
    });
    const twice = await a.tickets.recomputeWithout({
      ticketId: ticket.id,
      sourceKey: sources[1]!.sourceKey,
    });
    expect(twice).toEqual(again);
  });

  it('refuses to set aside the only source', async () => {
    const { ticket } = await (await agentToken()).tickets.observe({ snapshot: utcView() });
    const a = await admin();
    const { sources } = await a.tickets.sources({ ticketId: ticket.id });
    await expect(
      a.tickets.recomputeWithout({ ticketId: ticket.id, sourceKey: sources[0]!.sourceKey }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await a.tickets.sources({ ticketId: ticket.id })).sources[0]!.excludedAt).toBe(null);
  });
});
