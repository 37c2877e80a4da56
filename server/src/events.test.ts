import { describe, expect, it } from 'vitest';
import { Bus } from './events.js';

const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe('live feed bus', () => {
  it('hands every watched ticket to a new watch, then waits for a change', async () => {
    const bus = new Bus();
    const w = bus.watch('ws1', ['t1', 't2', 't1']);
    expect((await w.next())!.sort()).toEqual(['t1', 't2']);
    expect(await settled(w.next())).toBe(false);
  });

  it('keeps one pending wait per watch however often it asks, and gives the change to it', async () => {
    const bus = new Bus();
    const w = bus.watch('ws1', ['t1']);
    await w.next();
    const waits = Array.from({ length: 50 }, () => w.next());
    expect(bus.stats()).toEqual({ feeds: 1, waiting: 1 });
    bus.publish({ workspaceId: 'ws1', ticketId: 't1' });
    expect(await Promise.all(waits)).toEqual(waits.map(() => ['t1']));
    expect(bus.stats()).toEqual({ feeds: 1, waiting: 0 });
  });

  it('collects changes made while the watch was busy and reports each ticket once', async () => {
    const bus = new Bus();
    const w = bus.watch('ws1', ['t1', 't2', 't3']);
    await w.next();
    for (const t of ['t2', 't1', 't2', 't9']) bus.publish({ workspaceId: 'ws1', ticketId: t });
    expect(await w.next()).toEqual(['t2', 't1']);
  });

  it('wakes only the watches of the change’s workspace that watch its ticket', async () => {
    const bus = new Bus();
    const mine = bus.watch('ws1', ['t1']);
    const otherTicket = bus.watch('ws1', ['t2']);
    const otherWorkspace = bus.watch('ws2', ['t1']);
    for (const w of [mine, otherTicket, otherWorkspace]) await w.next();
    const waits = [mine.next(), otherTicket.next(), otherWorkspace.next()];
    bus.publish({ workspaceId: 'ws1', ticketId: 't1' });
    expect(await Promise.all(waits.map(settled))).toEqual([true, false, false]);
  });

  it('makes every watch read all its tickets again on resync', async () => {
    const bus = new Bus();
    const w = bus.watch('ws1', ['t1', 't2']);
    await w.next();
    bus.resync();
    expect((await w.next())!.sort()).toEqual(['t1', 't2']);
  });

  it('ends the wait with null when closed or its signal aborts, and forgets the watch', async () => {
    const bus = new Bus();
    const ac = new AbortController();
    const a = bus.watch('ws1', ['t1'], ac.signal);
    const b = bus.watch('ws1', ['t1']);
    await a.next();
    await b.next();
    const [wa, wb] = [a.next(), b.next()];
    expect(bus.openFeeds('ws1')).toBe(2);
    ac.abort();
    b.close();
    expect([await wa, await wb]).toEqual([null, null]);
    expect(await a.next()).toBeNull();
    expect(bus.stats()).toEqual({ feeds: 0, waiting: 0 });
    await expect(bus.watch('ws1', ['t1'], ac.signal).next()).resolves.toBeNull();
  });
  it('shares a running read of a ticket, but not one begun before a change to it', async () => {
    const bus = new Bus();
    let n = 0;
    const read = () => Promise.resolve(++n);
    const [a, b] = [bus.read('ws1', 't1', read), bus.read('ws1', 't1', read)];
    bus.publish({ workspaceId: 'ws1', ticketId: 't1' });
    const c = bus.read('ws1', 't1', read);
    const other = bus.read('ws2', 't1', read);
    expect([await a, await b, await c, await other]).toEqual([1, 1, 2, 3]);
    expect(await bus.read('ws1', 't1', read)).toBe(4); // done reads are not kept
  });
});
