/** Something about a ticket's escalations changed, in one workspace. */
export interface TicketChanged {
  workspaceId: string;
  ticketId: string;
}

/**
 * One live feed's doorbell. It holds the set of watched tickets that changed since the feed last
 * asked and at most one pending wait, however long the feed idles, so nothing piles up and an
 * event never goes to a wait nobody holds.
 */
export interface Watch {
  /**
   * The watched tickets that changed since the last call (every watched ticket on the first),
   * as soon as there is one; `null` once the watch is closed.
   */
  next(): Promise<string[] | null>;
  close(): void;
}

class Watcher implements Watch {
  readonly #dirty: Set<string>;
  #wait: { promise: Promise<string[] | null>; resolve: (v: string[] | null) => void } | null = null;
  #closed = false;

  constructor(
    readonly ticketIds: ReadonlySet<string>,
    private readonly onClose: (w: Watcher) => void,
  ) {
    this.#dirty = new Set(ticketIds);
  }

  get waiting() {
    return this.#wait !== null;
  }

  /** A change to `ticketId`, or to every watched ticket when null. */
  mark(ticketId: string | null) {
    if (this.#closed) return;
    if (ticketId === null) for (const id of this.ticketIds) this.#dirty.add(id);
    else if (this.ticketIds.has(ticketId)) this.#dirty.add(ticketId);
    else return;
    const wait = this.#wait;
    if (wait) {
      this.#wait = null;
      wait.resolve(this.#drain());
    }
  }

  next(): Promise<string[] | null> {
    if (this.#wait) return this.#wait.promise;
    if (this.#closed) return Promise.resolve(null);
    if (this.#dirty.size > 0) return Promise.resolve(this.#drain());
    let resolve!: (v: string[] | null) => void;
    const promise = new Promise<string[] | null>((r) => (resolve = r));
    this.#wait = { promise, resolve };
    return promise;
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#wait?.resolve(null);
    this.#wait = null;
    this.onClose(this);
  }

  #drain() {
    const ids = [...this.#dirty];
    this.#dirty.clear();
    return ids;
  }
}

const readKey = (workspaceId: string, ticketId: string) => `${workspaceId}\n${ticketId}`;

/**
 * Wakes the live feeds (SSE watchers) of one server instance. Changes made here are published at
 * once; changes made by another instance on the same database arrive through the instance's one
 * poller of `live_changes` (services/live.ts). Watchers are kept per workspace, so a change
 * reaches only the watchers of its own workspace, and only those that watch its ticket.
 */
export class Bus {
  readonly #watchers = new Map<string, Set<Watcher>>();
  readonly #reads = new Map<string, Promise<unknown>>();
  readonly #byUser = new Map<string, Set<Watcher>>();

  /**
   * Starts watching `ticketIds` of a workspace until `close()` or the signal aborts; `userId`
   * (whose feed it is) lets `cutUser` end it.
   */
  watch(
    workspaceId: string,
    ticketIds: Iterable<string>,
    signal?: AbortSignal,
    userId?: string,
  ): Watch {
    const w = new Watcher(new Set(ticketIds), (closed) => {
      const set = this.#watchers.get(workspaceId);
      set?.delete(closed);
      if (set?.size === 0) this.#watchers.delete(workspaceId);
      if (userId !== undefined) {
        const mine = this.#byUser.get(userId);
        mine?.delete(closed);
        if (mine?.size === 0) this.#byUser.delete(userId);
      }
      signal?.removeEventListener('abort', onAbort);
    });
    if (userId !== undefined) {
      let mine = this.#byUser.get(userId);
      if (!mine) this.#byUser.set(userId, (mine = new Set()));
      mine.add(w);
    }
    const onAbort = () => w.close();
    let set = this.#watchers.get(workspaceId);
    if (!set) this.#watchers.set(workspaceId, (set = new Set()));
    set.add(w);
    if (signal?.aborted) w.close();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return w;
  }

  /** Ends every feed of one user on this instance (a deactivated person's); returns how many. */
  cutUser(userId: string): number {
    const mine = [...(this.#byUser.get(userId) ?? [])];
    for (const w of mine) w.close();
    return mine.length;
  }

  publish(change: TicketChanged) {
    // A read begun before this change may miss it: feeds woken by it start a new one.
    this.#reads.delete(readKey(change.workspaceId, change.ticketId));
    for (const w of this.#watchers.get(change.workspaceId) ?? []) w.mark(change.ticketId);
  }

  /** Every watcher re-reads every ticket it watches: changes may have been missed. */
  resync() {
    this.#reads.clear();
    for (const set of this.#watchers.values()) for (const w of set) w.mark(null);
  }

  /**
   * What a ticket's feeds show, read once for all the feeds that a change woke together (a
   * popular ticket may have hundreds): feeds asking while a read since the last change is under
   * way share it.
   */
  read<T>(workspaceId: string, ticketId: string, read: () => Promise<T>): Promise<T> {
    const key = readKey(workspaceId, ticketId);
    const running = this.#reads.get(key);
    if (running) return running as Promise<T>;
    const p: Promise<T> = read().finally(() => {
      if (this.#reads.get(key) === p) this.#reads.delete(key);
    });
    this.#reads.set(key, p);
    return p;
  }

  /** How many live feeds of the workspace are open on this instance. */
  openFeeds(workspaceId: string): number {
    return this.#watchers.get(workspaceId)?.size ?? 0;
  }

  /** Feeds of every workspace, and how many of them wait for a change (at most one wait each). */
  stats() {
    let feeds = 0;
    let waiting = 0;
    for (const set of this.#watchers.values())
      for (const w of set) {
        feeds++;
        if (w.waiting) waiting++;
      }
    return { feeds, waiting };
  }
}
