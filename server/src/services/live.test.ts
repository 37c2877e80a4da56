import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { LIVE_RETENTION_MS } from './live.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

async function escalate() {
  const agent = (await env.services.accounts.signIn(env.a.users.agent.email, 'pw-agent'))!.caller;
  const { ticket } = await env.services.tickets.observe(env.a.id, snapshot());
  const esc = await env.services.escalations.request(agent, {
    ticketId: ticket.id,
    type: 'tier2',
    severity: 'normal',
    reason: 'Locked out',
  });
  return { ticketId: ticket.id, escalationId: esc.id };
}

const decide = async (escalationId: string) => {
  const manager = (await env.services.accounts.signIn(env.a.users.manager.email, 'pw-manager'))!
    .caller;
  await env.services.escalations.decide(manager, escalationId, 'approve', '');
};

/** Whether the watch has something to report now, without waiting for it. */
const ready = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

const changes = async () =>
  Number((await env.client.execute('SELECT count(*) FROM live_changes')).rows[0]![0]);

describe("another instance's changes", () => {
  it('are read from where the instance started, each once, for every feed of the ticket', async () => {
    const { ticketId, escalationId } = await escalate();
    const two = await env.secondInstance();
    await two.live.poll(); // start: what came before is not news
    const feeds = Array.from({ length: 3 }, () => two.bus.watch(env.a.id, [ticketId]));
    for (const f of feeds) await f.next();
    const waits = feeds.map((f) => f.next());
    await two.live.poll();
    expect(await Promise.all(waits.map(ready))).toEqual([false, false, false]);

    await decide(escalationId);
    await two.live.poll();
    expect(await Promise.all(waits)).toEqual(feeds.map(() => [ticketId]));
    const again = feeds.map((f) => f.next());
    await two.live.poll();
    expect(await Promise.all(again.map(ready))).toEqual([false, false, false]);
    for (const f of feeds) f.close();
  });

  it('are logged in the writing transaction: one row per escalation write', async () => {
    const { escalationId } = await escalate();
    expect(await changes()).toBe(1);
    await decide(escalationId);
    expect(await changes()).toBe(2);
  });

  it('are kept for an hour, then pruned by housekeeping', async () => {
    const { escalationId } = await escalate();
    env.clock.advance(LIVE_RETENTION_MS - 1);
    await decide(escalationId);
    env.clock.advance(2);
    await env.services.live.housekeeping();
    expect(await changes()).toBe(1);
  });

  it('make every feed read again after the instance could not read for half that time', async () => {
    const { ticketId } = await escalate();
    const two = await env.secondInstance();
    await two.live.poll();
    const feed = two.bus.watch(env.a.id, [ticketId]);
    await feed.next();
    const wait = feed.next();
    env.clock.advance(LIVE_RETENTION_MS / 2 + 1);
    await two.live.poll();
    expect(await wait).toEqual([ticketId]);
    feed.close();
  });
});
