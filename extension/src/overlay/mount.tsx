import { createRoot } from 'react-dom/client';
import type { TicketSnapshotInput } from '@deskwatch/shared';
import { adapterFor } from '../adapters';
import { Overlay } from './Overlay';
import { overlayCss } from './styles';

const HOST_TAG = 'deskwatch-overlay';

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
 * ticket page. Everything is torn down through `signal`.
 */
export function startOverlay(signal: AbortSignal) {
  // Never twice on one page, even if the script is injected again.
  if (document.querySelector(HOST_TAG)) return;
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(overlayCss);
  shadow.adoptedStyleSheets = [sheet];
  const mountPoint = document.createElement('div');
  shadow.append(mountPoint);
  const root = createRoot(mountPoint);
  let lastKey = '';

  const render = () => {
    const url = new URL(location.href);
    const adapter = adapterFor(url);
    const snapshot: TicketSnapshotInput | null = adapter ? adapter.read(document, url) : null;
    if (!snapshot) {
      if (host.isConnected) host.remove();
      lastKey = '';
      return;
    }
    const key = JSON.stringify(snapshot);
    if (key === lastKey && host.isConnected) return;
    lastKey = key;
    if (!host.isConnected) document.body.append(host);
    root.render(<Overlay key={`${snapshot.source}:${snapshot.externalId}`} snapshot={snapshot} />);
  };

  render();
  observeDom(document.body, render, signal);
  signal.addEventListener(
    'abort',
    () => {
      root.unmount();
      host.remove();
    },
    { once: true },
  );
}
