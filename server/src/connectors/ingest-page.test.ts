import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectorTickets, ticketEvents, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';
import type { PolledTicket } from './poll-source.js';

// A page read by the poller is taken in as one transaction: every ticket's events, pictures,
// delivery ids and counts commit together, once.
const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;

let env: Awaited<ReturnType<typeof testEnv>>;
let id: string;
beforeEach(async () => {
  env = await testEnv();
  env.clock.set(t('2026-03-27T09:00:00Z'));
  id = (
    await env.services.connectors.create(env.a.id, {
      tool: 'redmine',
      name: 'Acme Redmine',
      config: { baseUrl: 'http://127.0.0.1:9', backfillDays: 7 },
      apiToken: 'redmine-api-key-for-tests-0123456789',
    })
  ).id;
});
afterEach(() => env.close());

/** Issue `n` created at `created`, answered by an agent 10 min later, as version `v`. */
const polled = (n: number, created: number, v = 1): PolledTicket => ({
  deliveryId: `issue-${n}@v${v}`,
  update: {
    externalId: String(n),
    url: `https://redmine.test/issues/${n}`,
    fields: { subject: `Issue ${n}`, requester: 'Dana Customer', createdAt: created },
    changes: [
      {
        type: 'created',
        id: `rm:${n}`,
        at: created,
        status: 'New',
        category: 'new',
        priority: 'normal',
      },
      ...(v >= 1
        ? [
            {
              type: 'message' as const,
              id: `rm:${n}:j1`,
              at: created + 10 * MIN,
              author: 'agent' as const,
              public: true,
            },
          ]
        : []),
      ...(v >= 2
        ? [
            {
              type: 'status' as const,
              id: `rm:${n}:j2`,
              at: created + 20 * MIN,
              status: 'Resolved',
              category: 'solved' as const,
            },
          ]
        : []),
    ],
    toolAt: created + 10 * MIN,
  },
});
const eventCount = async () => (await env.db.select().from(ticketEvents)).length;
const health = async () => (await env.services.connectors.get(env.a.id, id)).health;

describe('a polled page', () => {
  it('commits all its tickets in one transaction, and changes nothing when taken again', async () => {
    const page = [1, 2, 3].map((n) => polled(n, t('2026-03-27T08:00:00Z') + n * MIN));
    const before = env.hot.local!.commits;
    expect(await env.services.connectors.ingestPage(id, page)).toBe(3);
    expect(env.hot.local!.commits - before).toBe(1);
    expect(await env.db.select().from(tickets)).toHaveLength(3);
    expect(await env.db.select().from(connectorTickets)).toHaveLength(3);
    const events = await eventCount();
    expect(events).toBeGreaterThanOrEqual(3 * 4); // created, status, priority, message each
    expect(await health()).toMatchObject({ received: 3, applied: 3, duplicates: 0 });

    await env.services.connectors.ingestPage(id, page);
    expect(await eventCount()).toBe(events);
    expect(await health()).toMatchObject({ received: 6, applied: 3, duplicates: 3 });
  });

  it('applies a later version of a ticket on top of the stored one, and the same ticket twice in a page in order', async () => {
    const at = t('2026-03-27T08:00:00Z');
    await env.services.connectors.ingestPage(id, [polled(1, at)]);
    await env.services.connectors.ingestPage(id, [
      polled(2, at),
      polled(2, at, 2),
      polled(1, at, 2),
    ]);
    const rows = await env.db.select().from(tickets);
    expect(rows.map((r) => [r.externalId, r.category]).sort()).toEqual([
      ['1', 'solved'],
      ['2', 'solved'],
    ]);
    expect(await health()).toMatchObject({ received: 4, applied: 4, quarantined: 0 });
  });

  it('quarantines only the ticket that cannot apply; the rest of the page applies', async () => {
    const at = t('2026-03-27T08:00:00Z');
    const noCreation = polled(2, at);
    noCreation.update.changes = noCreation.update.changes.filter((c) => c.type !== 'created');
    delete noCreation.update.fields.createdAt;
    const future = polled(3, t('2026-03-28T08:00:00Z')); // a day ahead of the clock
    await env.services.connectors.ingestPage(id, [polled(1, at), noCreation, future]);
    expect((await env.db.select().from(tickets)).map((r) => r.externalId)).toEqual(['1']);
    expect(await health()).toMatchObject({ received: 3, applied: 1, quarantined: 2 });
    const q = await env.services.connectors.quarantined(env.a.id, id);
    expect(q.map((x) => x.deliveryId).sort()).toEqual(['issue-2@v1', 'issue-3@v1']);
    // The refused ones are not marked as taken: nothing of them was stored.
    const stored = await env.db
      .select()
      .from(connectorTickets)
      .where(eq(connectorTickets.connectorId, id));
    expect(stored.map((s) => s.externalId)).toEqual(['1']);
  });
});
