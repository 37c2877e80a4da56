import type { EscalationView } from '@deskwatch/server';
import type { WatchMessage } from './messages';

/** What a tab's port needs from the feed: something to post to. */
export interface FeedPort {
  postMessage(m: WatchMessage): void;
}

/** One server subscription for a set of tickets; `unsubscribe` ends it (and its connection). */
export type Subscribe = (
  ticketIds: string[],
  on: {
    onData(d: { ticketId: string; list: EscalationView[] }): void;
    onError(err: unknown): void;
  },
) => Promise<{ unsubscribe(): void }>;

/** How long the feed waits for more tabs to come or go before re-subscribing (tabs open in bursts). */
export const RESUBSCRIBE_DELAY_MS = 50;
/** How long it waits before trying again after the server or the network failed. */
export const RETRY_MS = 5_000;

/**
 * The browser's one live feed of escalations. Every tab's port watches one ticket; the feed holds
 * ONE server subscription for the set of watched tickets (re-subscribing when the set changes) and
 * fans each update out to the ports of that ticket. Browsers allow six connections per host over
 * HTTP/1.1, so one stream per tab stalled the seventh tab and everything queued behind it.
 */
export function createFeed(subscribe: Subscribe, describe: (err: unknown) => string) {
  const watchers = new Map<FeedPort, string>();
  const latest = new Map<string, { key: string; list: EscalationView[] }>();
  let current: { key: string; sub: Promise<{ unsubscribe(): void }> } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const post = (port: FeedPort, m: WatchMessage) => {
    try {
      port.postMessage(m);
    } catch {
      // The tab went away; its disconnect removes it.
    }
  };

  const stop = () => {
    if (!current) return;
    void current.sub.then((s) => s.unsubscribe()).catch(() => undefined);
    current = null;
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(sync, ms);
  };

  /** Makes the server subscription match the watched set. */
  function sync() {
    const ids = [...new Set(watchers.values())].sort();
    const key = ids.join('\n');
    if (current?.key === key) return;
    stop();
    for (const id of latest.keys()) if (!ids.includes(id)) latest.delete(id);
    if (ids.length === 0) return;
    const mine: { key: string; sub: Promise<{ unsubscribe(): void }> } = {
      key,
      sub: subscribe(ids, {
        onData({ ticketId, list }) {
          if (current !== mine) return;
          const k = JSON.stringify(list);
          if (latest.get(ticketId)?.key === k) return;
          latest.set(ticketId, { key: k, list });
          for (const [port, id] of watchers)
            if (id === ticketId) post(port, { type: 'escalations', list });
        },
        onError(err) {
          if (current !== mine) return;
          fail(err);
        },
      }),
    };
    current = mine;
    mine.sub.catch((err: unknown) => {
      if (current === mine) fail(err);
    });
  }

  function fail(err: unknown) {
    const error = describe(err);
    for (const port of watchers.keys()) post(port, { type: 'error', error });
    stop();
    latest.clear();
    schedule(RETRY_MS);
  }

  return {
    /** A tab's port starts watching `ticketId`: it gets what the feed knows now, then every change. */
    watch(port: FeedPort, ticketId: string) {
      watchers.set(port, ticketId);
      const known = latest.get(ticketId);
      if (known) post(port, { type: 'escalations', list: known.list });
      schedule(RESUBSCRIBE_DELAY_MS);
    },
    /** The tab closed, navigated or lost its port. */
    unwatch(port: FeedPort) {
      if (!watchers.delete(port)) return;
      schedule(RESUBSCRIBE_DELAY_MS);
    },
    /** The tickets the server subscription covers now (for tests). */
    get subscribed(): string[] {
      return current ? current.key.split('\n') : [];
    },
  };
}
export type Feed = ReturnType<typeof createFeed>;
