import type { AgentCache } from './agents';

/** What the extension keeps: only in the background worker's storage, never in pages. */
export interface Settings {
  serverUrl: string | null;
  token: string | null;
}

export async function loadSettings(): Promise<Settings> {
  const s = await browser.storage.local.get(['serverUrl', 'token']);
  return {
    serverUrl: (s.serverUrl as string | undefined) ?? null,
    token: (s.token as string | undefined) ?? null,
  };
}

export async function saveSettings(s: Partial<Settings>) {
  await browser.storage.local.set(s);
}

/**
 * The host patterns of the sites where the user turned Deskwatch on: the source of truth for the
 * overlay's registrations. `null` for an install from before the list was kept here.
 */
export async function loadSites(): Promise<string[] | null> {
  const { sites } = await browser.storage.local.get('sites');
  return Array.isArray(sites) ? sites.filter((s): s is string => typeof s === 'string') : null;
}

export async function saveSites(sites: string[]) {
  await browser.storage.local.set({ sites });
}

/** The workspace's agent list as last fetched (see `cachedAgents`). */
export async function loadAgentCache(): Promise<AgentCache | null> {
  const { agentCache } = await browser.storage.local.get('agentCache');
  return agentCache && typeof agentCache === 'object' ? (agentCache as AgentCache) : null;
}

export async function saveAgentCache(c: AgentCache | null) {
  if (c) await browser.storage.local.set({ agentCache: c });
  else await browser.storage.local.remove('agentCache');
}
