import type { AgentEntry } from '@deskwatch/shared';

/** How long the workspace's agent list is used before it is asked for again. */
export const AGENTS_MAX_AGE_MS = 5 * 60_000;

/** The agent list as last fetched, and from which server. */
export interface AgentCache {
  serverUrl: string;
  fetchedAt: number;
  agents: AgentEntry[];
}

/**
 * The workspace's agents for authorship: the cached list while it is fresh and from the paired
 * server; otherwise fetched again and cached. When the server cannot be reached, the last list
 * from that server (stale beats none: without it authorship falls back to the requester rule),
 * or none.
 */
export async function cachedAgents(o: {
  serverUrl: string;
  now: number;
  load: () => Promise<AgentCache | null>;
  save: (c: AgentCache) => Promise<void>;
  fetch: () => Promise<AgentEntry[]>;
  /** Fetch even if fresh (at pairing). */
  force?: boolean;
}): Promise<AgentEntry[]> {
  const cached = await o.load();
  const mine = cached?.serverUrl === o.serverUrl ? cached : null;
  if (mine && !o.force && o.now - mine.fetchedAt < AGENTS_MAX_AGE_MS && o.now >= mine.fetchedAt)
    return mine.agents;
  try {
    const agents = await o.fetch();
    await o.save({ serverUrl: o.serverUrl, fetchedAt: o.now, agents });
    return agents;
  } catch {
    return mine?.agents ?? [];
  }
}
