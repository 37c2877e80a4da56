import { createRoot } from 'react-dom/client';
import { adapterFor, listAdapterFor } from '../adapters';
import { dataAdapter } from '../adapters/engine';
import { agentNamesFor } from '@deskwatch/shared';
import { withOverrides, type Adapter, type ReadContext } from '../adapters/types';
import { ask, type PageConfig } from '../lib/messages';
import { listBadges } from './badges';
import { AdapterTrouble, Overlay } from './Overlay';
import { createSettle } from './settle';
import { overlayCss } from './styles';

const HOST_TAG = 'deskwatch-overlay';
/** How long required fields may stay missing before the page counts as one the adapter cannot read. */
export const HEALTH_GRACE_MS = 4000;

/** Calls `onChange` on DOM changes under `root` (batched per frame) until `signal` aborts: the one observer features use. */
export function observeDom(root: Node, onChange: () => void, signal: AbortSignal) {
  let queued = false;
  const mo = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      if (!signal.aborted) onChange();
    });
  });
  mo.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  signal.addEventListener('abort', () => mo.disconnect(), { once: true });
}

/**
 * Shows the overlay for the ticket on this page, and keeps it in step with the page: re-read on
 * DOM changes (reported only when the snapshot changes), removed when the page stops being a
 * ticket page. When an adapter's required fields stay missing, it says the adapter needs
 * attention and reports which fields to the server, once per page and field set. Everything is
 * torn down through `signal`.
 */
export async function startOverlay(signal: AbortSignal) {
  // Never twice on one page, even if the script is injected again.
  if (document.querySelector(HOST_TAG)) return;
  const config = await ask({ type: 'pageConfig' }).catch((): PageConfig => ({
    serverUrl: null,
    disabled: [],
    taught: [],
    values: {},
    agents: [],
  }));
  const disabled = new Set(config.disabled);
  const taught = config.taught.flatMap((spec) => {
    try {
      return [dataAdapter(spec)];
    } catch {
      return [];
    }
  });
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(overlayCss);
  shadow.adoptedStyleSheets = [sheet];
  const mountPoint = document.createElement('div');
  shadow.append(mountPoint);
  const root = createRoot(mountPoint);
  let lastKey = '';
  let missingSince: { key: string; at: number } | null = null;
  const reported = new Set<string>();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  const settle = createSettle({
    now: () => Date.now(),
    schedule: (ms) => {
      clearTimeout(settleTimer);
      settleTimer = setTimeout(render, ms);
    },
  });

  const show = (key: string, node: React.ReactNode) => {
    if (key === lastKey && host.isConnected) return;
    lastKey = key;
    if (!host.isConnected) document.body.append(host);
    root.render(node);
  };
  const hide = () => {
    if (host.isConnected) host.remove();
    lastKey = '';
  };

  const trouble = (adapter: Adapter, missing: string[], url: URL, attention?: string) => {
    const key = `${adapter.id}:${url.pathname}:${attention ?? missing.join(',')}`;
    if (!missingSince || missingSince.key !== key) {
      missingSince = { key, at: Date.now() };
      clearTimeout(graceTimer);
      graceTimer = setTimeout(render, HEALTH_GRACE_MS);
      return hide();
    }
    if (Date.now() - missingSince.at < HEALTH_GRACE_MS) return;
    show(
      `trouble:${key}`,
      <AdapterTrouble adapter={adapter.name} fields={missing} attention={attention} />,
    );
    // Times off are this page's (the tool's zone or language), not a broken selector: nothing is
    // reported, as nothing is stored for the ticket.
    if (attention === undefined && !reported.has(key)) {
      reported.add(key);
      void ask({
        type: 'adapterHealth',
        tool: adapter.id,
        version: adapter.version,
        fields: missing,
        url: url.href,
      }).catch(() => undefined);
    }
  };

  // Each adapter's value maps with the workspace's laid over them, built once per page view,
  // not on every DOM change.
  const maps = new Map<Adapter, ReturnType<typeof withOverrides>>();
  const valuesOf = (a: Adapter) => {
    let m = maps.get(a);
    if (!m) maps.set(a, (m = withOverrides(a.values, config.values[a.id])));
    return m;
  };
  // Each adapter's read context: the names and e-mails its tool's agents go by, and how the
  // workspace's tool writes dates, where it set that (zone, language, format).
  const contexts = new Map<Adapter, ReadContext>();
  const contextOf = (a: Adapter) => {
    let c = contexts.get(a);
    if (!c) {
      const v = config.values[a.id];
      contexts.set(
        a,
        (c = {
          agents: agentNamesFor(config.agents, a.id),
          ...(v?.timeZone ? { timeZone: v.timeZone } : {}),
          ...(v?.locale ? { locale: v.locale } : {}),
          ...(v?.dateFormat ? { dateFormat: v.dateFormat } : {}),
        }),
      );
    }
    return c;
  };

  // Ticket lists: one badge controller while the page is a list of a known tool.
  let badges: { adapter: Adapter; stop: AbortController; scan(): void } | null = null;
  const listPage = (url: URL) => {
    const list = listAdapterFor(url, taught);
    if (badges && badges.adapter !== list) {
      badges.stop.abort();
      badges = null;
    }
    if (!list || disabled.has(list.id)) return;
    if (!badges) {
      const stop = new AbortController();
      signal.addEventListener('abort', () => stop.abort(), { once: true });
      const source = list.id;
      const c = listBadges(
        list,
        (externalIds) => ask({ type: 'badges', source, externalIds }),
        stop.signal,
      );
      badges = { adapter: list, stop, scan: c.scan };
    }
    badges.scan();
  };

  function render() {
    if (signal.aborted) return;
    const url = new URL(location.href);
    const adapter = adapterFor(url, taught);
    listPage(url);
    const result =
      adapter && !disabled.has(adapter.id)
        ? adapter.read(document, url, valuesOf(adapter), contextOf(adapter))
        : null;
    if (!adapter || !result) {
      missingSince = null;
      settle.reset();
      return hide();
    }
    if ('missing' in result) return trouble(adapter, result.missing, url);
    if ('attention' in result) return trouble(adapter, [], url, result.attention);
    missingSince = null;
    const { snapshot } = result;
    const snapshotJson = JSON.stringify(snapshot);
    const reading = !settle.update(
      `${url.pathname}${url.hash}:${snapshot.source}:${snapshot.externalId}`,
      snapshotJson,
      result.waiting === true,
    );
    const kb = {
      message: result.latestCustomerMessage ?? '',
      serverUrl: config.serverUrl,
      replyBox: () => adapter.replyBox?.(document) ?? null,
    };
    // Re-render when the snapshot or the latest customer message changes, not on every mutation.
    show(
      JSON.stringify([snapshotJson, kb.message, reading]),
      <Overlay
        key={`${snapshot.source}:${snapshot.externalId}`}
        snapshot={snapshot}
        kb={kb}
        reading={reading}
      />,
    );
  }

  render();
  observeDom(document.body, render, signal);
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(graceTimer);
      clearTimeout(settleTimer);
      root.unmount();
      host.remove();
    },
    { once: true },
  );
}
