import type { PickerDraftJson } from './messages';
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

const MAX_DRAFTS = 20;
const MAX_DRAFT_BYTES = 200_000;

/** The picker's draft for a site (an origin), or null. */
export async function loadPickerDraft(origin: string): Promise<PickerDraftJson | null> {
  const { pickerDrafts } = await browser.storage.local.get('pickerDrafts');
  const d = (pickerDrafts as Record<string, PickerDraftJson> | undefined)?.[origin];
  return d && typeof d === 'object' && typeof d.savedAt === 'number' ? d : null;
}

/**
 * Keeps (or, with null, forgets) the picker's draft for a site. The newest 20 sites are kept; a
 * draft too large to be a picker's is refused.
 */
export async function savePickerDraft(origin: string, draft: PickerDraftJson | null) {
  if (draft && JSON.stringify(draft).length > MAX_DRAFT_BYTES)
    throw new Error('That picker draft is too large to keep.');
  const { pickerDrafts } = await browser.storage.local.get('pickerDrafts');
  const all = { ...((pickerDrafts as Record<string, PickerDraftJson> | undefined) ?? {}) };
  if (draft) all[origin] = draft;
  else delete all[origin];
  const kept = Object.entries(all)
    .sort(([, a], [, b]) => b.savedAt - a.savedAt)
    .slice(0, MAX_DRAFTS);
  await browser.storage.local.set({ pickerDrafts: Object.fromEntries(kept) });
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
