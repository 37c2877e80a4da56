import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { INLINE_TICKETS } from './rollups.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const q = { period: '7d', timeZone: 'Europe/Amsterdam' } as const;
const created = async (ws: string) => {
  const g = await env.services.metrics.glance(ws, q);
  return { value: g.cards.find((c) => c.metric === 'created')!.value, pending: g.pending };
};
const pending = (ws: string) => env.services.metrics.rollups.pendingOf(ws);

async function observeMany(ws: string, n: number, prefix: string) {
  for (let i = 0; i < n; i++)
    await env.services.tickets.observe(
      ws,
      snapshot({
        externalId: `${prefix}${i}`,
        url: `http://127.0.0.1:8787/demo/tickets/${prefix}${i}`,
      }),
    );
}

describe('rollup catch-up in the background', () => {
  it('derives a few new tickets on the glance, and leaves an import to the scheduler', async () => {
    await observeMany(env.a.id, 3, 'few');
    expect(await created(env.a.id)).toEqual({ value: 3, pending: 0 });

    // More than a glance derives itself: the glance counts what is derived and says how many wait.
    const n = INLINE_TICKETS + 5;
    await observeMany(env.a.id, n, 'import');
    expect(await created(env.a.id)).toEqual({ value: 3, pending: n });
    expect((await pending(env.a.id)).tickets).toBe(n);

    // A scheduler pass (injected clock, no timer) derives them.
    env.clock.advance(1_000);
    await env.services.scheduler.pass();
    expect(await created(env.a.id)).toEqual({ value: 3 + n, pending: 0 });
    expect(await env.services.metrics.glance(env.a.id, q)).toEqual(
      await env.services.metrics.glanceFromLog(env.a.id, q),
    );
  });

  it('works in bounded slices: one chunk a call reaches one workspace, the next call the other', async () => {
    await observeMany(env.a.id, INLINE_TICKETS + 1, 'a');
    await observeMany(env.b.id, INLINE_TICKETS + 1, 'b');
    expect(await env.services.metrics.rollups.catchUpDue(1)).toBe(1);
    const left = [(await pending(env.a.id)).tickets, (await pending(env.b.id)).tickets];
    expect(left.sort()).toEqual([0, INLINE_TICKETS + 1]);
    expect(await env.services.metrics.rollups.catchUpDue(1)).toBe(1);
    expect((await pending(env.a.id)).tickets + (await pending(env.b.id)).tickets).toBe(0);
    expect(await env.services.metrics.rollups.catchUpDue(1)).toBe(0);
  });

  it('red flags and the digest read complete figures, whatever is still waiting', async () => {
    await observeMany(env.a.id, INLINE_TICKETS + 2, 'c');
    const g = await env.services.metrics.glanceComplete(env.a.id, q);
    expect(g.pending).toBe(0);
    expect(g.cards.find((c) => c.metric === 'created')!.value).toBe(INLINE_TICKETS + 2);
  });
});
