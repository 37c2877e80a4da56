import { EventEmitter } from 'node:events';

export interface EscalationChanged {
  workspaceId: string;
  ticketId: string;
  escalationId: string;
}

/**
 * In-process notifications so that SSE watchers wake at once. Nothing depends on it for
 * correctness: watchers also re-read the database on a short interval, so a change made by
 * another server instance on the same database arrives too.
 */
export class Bus extends EventEmitter<{ escalation: [EscalationChanged] }> {
  readonly #feeds = new Map<string, number>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Counts a live feed (an open SSE stream) of a workspace while it lasts. */
  feedOpened(workspaceId: string) {
    this.#feeds.set(workspaceId, this.openFeeds(workspaceId) + 1);
  }

  feedClosed(workspaceId: string) {
    const n = this.openFeeds(workspaceId) - 1;
    if (n > 0) this.#feeds.set(workspaceId, n);
    else this.#feeds.delete(workspaceId);
  }

  openFeeds(workspaceId: string): number {
    return this.#feeds.get(workspaceId) ?? 0;
  }
}
