import { cachedAgents } from './agents';
import { createApi, errorMessage, originPattern } from './api';
import { createFeed } from './feed';
import { createLeanApi } from './lean';
import type { ConnectionStatus, Request, Responses } from './messages';
import {
  planSync,
  SITE_PREFIX,
  sitesFromRegistrations,
  wantedRegistrations,
} from './registrations';
import {
  loadAgentCache,
  loadPickerDraft,
  loadSettings,
  loadSites,
  saveAgentCache,
  savePickerDraft,
  saveSettings,
  saveSites,
} from './settings';

/** One at a time: a sync at browser start and one after a click must not register the same id twice. */
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn);
  queue = next.catch(() => undefined);
  return next;
}

/** The stored site list; an install from before it was stored has its sites only as registrations. */
async function storedSites(current: { id: string }[]): Promise<string[]> {
  const stored = await loadSites();
  if (stored) return stored;
  const migrated = sitesFromRegistrations(current);
  await saveSites(migrated);
  return migrated;
}

/** Registers and unregisters as planned; returns the ids the browser refused to register. */
async function apply(plan: ReturnType<typeof planSync>): Promise<Set<string>> {
  if (plan.unregister.length > 0)
    await browser.scripting.unregisterContentScripts({ ids: plan.unregister });
  const failed = new Set<string>();
  // One call per script: a site the browser refuses (its access was revoked) must not keep the others off.
  for (const r of plan.register) {
    await browser.scripting
      .registerContentScripts([
        {
          id: r.id,
          js: ['content-scripts/overlay.js'],
          matches: r.matches,
          runAt: 'document_idle',
          persistAcrossSessions: true,
        },
      ])
      .catch((err: unknown) => {
        console.warn(`Deskwatch could not register ${r.id}: ${errorMessage(err)}`);
        failed.add(r.id);
      });
  }
  return failed;
}

/**
 * Changes the stored site list (if asked) and brings the browser's registrations in line with it
 * and with the pairing. Idempotent: runs at browser start, install and update, and on each change.
 * Returns the site list and the ids that could not be registered.
 */
export function syncRegistrations(change: (sites: string[]) => string[] = (s) => s) {
  return serialized(async () => {
    const current = await browser.scripting.getRegisteredContentScripts();
    const before = await storedSites(current);
    const sites = [...new Set(change(before))].sort();
    if (JSON.stringify(sites) !== JSON.stringify(before)) await saveSites(sites);
    const { serverUrl, token } = await loadSettings();
    const wanted = wantedRegistrations(sites, serverUrl && token ? serverUrl : null);
    const failed = await apply(planSync(wanted, current));
    return { sites, failed };
  });
}

/** The sites (origins' host patterns) where the user turned Deskwatch on. */
async function sites(): Promise<string[]> {
  return (await syncRegistrations()).sites;
}

/**
 * Turns the overlay on for one site: the caller has already asked for host access to it (in the
 * user's click); this stores the site and registers the content script for that site only.
 */
async function enableSite(url: string): Promise<string[]> {
  const pattern = originPattern(url);
  if (!(await browser.permissions.contains({ origins: [pattern] })))
    throw new Error(`Deskwatch has no access to ${new URL(url).host} yet`);
  const { sites, failed } = await syncRegistrations((s) => [...s, pattern]);
  if (failed.has(`${SITE_PREFIX}${pattern}`))
    throw new Error(`Deskwatch could not turn on for ${new URL(url).host}`);
  return sites;
}

async function disableSite(pattern: string): Promise<string[]> {
  const { sites } = await syncRegistrations((s) => s.filter((p) => p !== pattern));
  // Give the host access back too, unless it is the paired server's.
  const { serverUrl } = await loadSettings();
  if (!serverUrl || originPattern(serverUrl) !== pattern)
    await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
  return sites;
}

/** The workspace's agent list, cached for a few minutes (and fetched again at pairing). */
async function agents(force = false) {
  const { serverUrl } = await loadSettings();
  if (!serverUrl) return [];
  const api = await connectedApi();
  return cachedAgents({
    serverUrl,
    now: Date.now(),
    force,
    load: loadAgentCache,
    save: saveAgentCache,
    fetch: () => api.agents.list.query(),
  });
}

/** What a page needs before reading: the workspace's switched-off and taught adapters and its agents, asked once per page view. */
async function pageConfig() {
  const api = await connectedApi();
  const [disabled, taught, values, agentList] = await Promise.all([
    api.adapters.disabled.query(),
    api.adapters.taught.query(),
    api.adapters.values.query(),
    agents(),
  ]);
  const { serverUrl } = await loadSettings();
  return { disabled, taught, values, serverUrl, agents: agentList };
}

async function status(): Promise<ConnectionStatus> {
  const { serverUrl, token } = await loadSettings();
  if (!serverUrl || !token) return { connected: false, serverUrl };
  try {
    const user = await createApi(serverUrl, token).pairing.whoami.query();
    return { connected: true, serverUrl, user };
  } catch (err) {
    return { connected: false, serverUrl, error: errorMessage(err) };
  }
}

async function paired() {
  const { serverUrl, token } = await loadSettings();
  if (!serverUrl || !token)
    throw new Error('Deskwatch is not paired: open its options and enter a pairing code');
  return { serverUrl, token };
}

async function connectedApi() {
  const { serverUrl, token } = await paired();
  return createApi(serverUrl, token);
}

/** The hot calls (observe, badges) go over the server's plain routes. */
async function leanApi() {
  const { serverUrl, token } = await paired();
  return createLeanApi(serverUrl, token);
}

export async function handle(req: Request): Promise<Responses[Request['type']]> {
  switch (req.type) {
    case 'status':
      return status();
    case 'pair': {
      const serverUrl = new URL(req.serverUrl).origin;
      const { token } = await createApi(serverUrl, null).pairing.redeem.mutate({
        code: req.code,
        deviceName: navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chrome',
      });
      await saveSettings({ serverUrl, token });
      await syncRegistrations();
      // A new pairing may be another workspace: its agents, not the last one's.
      await agents(true).catch(() => undefined);
      return status();
    }
    case 'disconnect': {
      await saveSettings({ token: null });
      await saveAgentCache(null);
      await syncRegistrations();
      return status();
    }
    case 'sites':
      return sites();
    case 'enableSite':
      return enableSite(req.url);
    case 'disableSite':
      return disableSite(req.origin);
    case 'observe':
      return (await leanApi()).observe(req.snapshot);
    case 'pageConfig':
      return pageConfig();
    case 'adapterHealth':
      return (await connectedApi()).adapters.reportHealth.mutate({
        tool: req.tool,
        version: req.version,
        fields: req.fields,
        url: req.url,
      });
    case 'badges':
      return (await leanApi()).badges(req.source, req.externalIds);
    case 'teach':
      // The toolbar click granted this tab (activeTab); the picker runs only when asked.
      await browser.scripting.executeScript({
        target: { tabId: req.tabId },
        files: ['/content-scripts/picker.js'],
      });
      return { ok: true };
    case 'saveTaught': {
      const saved = await (await connectedApi()).adapters.saveTaught.mutate(req.spec);
      const origins = [originPattern(req.url)];
      const siteEnabled = await browser.permissions.contains({ origins });
      if (siteEnabled) await enableSite(req.url);
      return { name: saved.name, siteEnabled };
    }
    case 'pickerDraft':
      return loadPickerDraft(req.origin);
    case 'savePickerDraft':
      await savePickerDraft(req.origin, req.draft);
      return { ok: true };
    case 'kbSuggest':
      return (await connectedApi()).kb.suggest.query({
        ...(req.ticketId ? { ticketId: req.ticketId } : {}),
        subject: req.subject,
        message: req.message,
      });
    case 'kbSearch':
      return (await connectedApi()).kb.search.query({ q: req.q });
    case 'kbRecord':
      return (await connectedApi()).kb.record.mutate({
        articleId: req.articleId,
        kind: req.kind,
        ...(req.ticketId ? { ticketId: req.ticketId } : {}),
        ...(req.comment ? { comment: req.comment } : {}),
      });
    case 'kbMarks':
      return (await connectedApi()).kb.marks.query({ ticketId: req.ticketId });
    case 'kbLink':
      return (await connectedApi()).kb.link.mutate({
        ticketId: req.ticketId,
        articleId: req.articleId,
      });
    case 'kbDraft': {
      const d = await (
        await connectedApi()
      ).kb.draft.mutate({
        title: req.title,
        body: req.body,
        ...(req.ticketId ? { ticketId: req.ticketId } : {}),
      });
      return { id: d.id, title: d.title };
    }
    case 'explain':
      return (await connectedApi()).tickets.explain.query({ ticketId: req.ticketId });
    case 'escalate':
      return (await connectedApi()).escalations.request.mutate({
        ticketId: req.ticketId,
        type: req.escalationType,
        severity: req.severity,
        reason: req.reason,
      });
  }
}

/** The browser's one live feed: every tab's watched ticket over a single server subscription. */
const feed = createFeed(async (ticketIds, on) => {
  const api = await connectedApi();
  return api.escalations.watchTickets.subscribe({ ticketIds }, on);
}, errorMessage);

/** Streams a ticket's escalations to a content script's port until the port closes. */
export function watch(port: Browser.runtime.Port, ticketId: string) {
  port.onDisconnect.addListener(() => feed.unwatch(port));
  feed.watch(port, ticketId);
}
