import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EscalationView } from '@deskwatch/server';
import { createFeed, RESUBSCRIBE_DELAY_MS, RETRY_MS, type FeedPort, type Subscribe } from './feed';
import type { WatchMessage } from './messages';

/** A fake server: records each subscription and lets the test push data or fail it. */
function fakeServer() {
  const subs: {
    ticketIds: string[];
    on: Parameters<Subscribe>[1];
    closed: boolean;
  }[] = [];
  const subscribe: Subscribe = (ticketIds, on) => {
    const s = { ticketIds, on, closed: false };
    subs.push(s);
    return Promise.resolve({ unsubscribe: () => void (s.closed = true) });
  };
  const open = () => subs.filter((s) => !s.closed);
  return { subs, subscribe, open };
}

function port(): FeedPort & { got: WatchMessage[] } {
  const got: WatchMessage[] = [];
  return { got, postMessage: (m) => void got.push(m) };
}

const esc = (id: string, state: EscalationView['state']) =>
  ({ id, state }) as unknown as EscalationView;
const settle = async (ms = RESUBSCRIBE_DELAY_MS) => {
  await vi.advanceTimersByTimeAsync(ms);
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the background feed', () => {
  it('holds one subscription for ten tabs, whatever they watch', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, String);
    const tabs = Array.from({ length: 10 }, port);
    tabs.forEach((p, i) => feed.watch(p, `t${i % 7}`));
    await settle();
    expect(server.open()).toHaveLength(1);
    expect(server.subs).toHaveLength(1);
    expect(server.open()[0]!.ticketIds).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('fans an update out to every tab watching that ticket, and to no other', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, String);
    const [a, b, c] = [port(), port(), port()];
    feed.watch(a, 't1');
    feed.watch(b, 't1');
    feed.watch(c, 't2');
    await settle();
    server.open()[0]!.on.onData({ ticketId: 't1', list: [esc('e1', 'approved')] });
    expect(a.got).toEqual([{ type: 'escalations', list: [esc('e1', 'approved')] }]);
    expect(b.got).toEqual(a.got);
    expect(c.got).toEqual([]);
  });

  it('re-subscribes with the new set when tabs come and go, closing the old subscription', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, String);
    const [a, b] = [port(), port()];
    feed.watch(a, 't1');
    await settle();
    feed.watch(b, 't2');
    await settle();
    expect(server.open().map((s) => s.ticketIds)).toEqual([['t1', 't2']]);
    feed.unwatch(b);
    await settle();
    expect(server.open().map((s) => s.ticketIds)).toEqual([['t1']]);
    feed.unwatch(a);
    await settle();
    expect(server.open()).toEqual([]);
  });

  it('gives a tab that joins a watched ticket the last known list at once', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, String);
    const [a, b] = [port(), port()];
    feed.watch(a, 't1');
    await settle();
    server.open()[0]!.on.onData({ ticketId: 't1', list: [esc('e1', 'pending')] });
    feed.watch(b, 't1');
    expect(b.got).toEqual([{ type: 'escalations', list: [esc('e1', 'pending')] }]);
    // Same set of tickets: no new subscription, and the repeated list is not sent again.
    await settle();
    expect(server.subs).toHaveLength(1);
    server.open()[0]!.on.onData({ ticketId: 't1', list: [esc('e1', 'pending')] });
    expect(a.got).toHaveLength(1);
  });

  it('ignores what a replaced subscription still delivers', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, String);
    const a = port();
    feed.watch(a, 't1');
    await settle();
    const old = server.subs[0]!;
    feed.watch(port(), 't2');
    await settle();
    old.on.onData({ ticketId: 't1', list: [esc('e1', 'denied')] });
    expect(a.got).toEqual([]);
  });

  it('tells the tabs when the feed fails and subscribes again later', async () => {
    const server = fakeServer();
    const feed = createFeed(server.subscribe, (e) => `failed: ${String(e)}`);
    const a = port();
    feed.watch(a, 't1');
    await settle();
    server.open()[0]!.on.onError('offline');
    expect(a.got).toEqual([{ type: 'error', error: 'failed: offline' }]);
    await settle(0);
    expect(server.open()).toEqual([]);
    await settle(RETRY_MS);
    expect(server.open().map((s) => s.ticketIds)).toEqual([['t1']]);
  });
});
