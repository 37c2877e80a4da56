import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { originPattern } from '../../lib/api';
import { ask } from '../../lib/messages';
import { enableOnSite } from '../../lib/site-access';

/** The tab the popup acts on: the current one, or the one named by `?tab=` (the popup opened as a page). */
async function targetTab() {
  const named = Number(new URLSearchParams(location.search).get('tab'));
  if (named) return browser.tabs.get(named);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/** The toolbar button: turn Deskwatch on for the site of the current tab, or teach it the page. */
function Popup() {
  const [tabUrl, setTabUrl] = useState<string | null>(null);
  const [tabId, setTabId] = useState<number | null>(null);
  const [enabled, setEnabled] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void targetTab().then((tab) => {
      setTabUrl(tab?.url ?? null);
      setTabId(tab?.id ?? null);
    });
    void ask({ type: 'sites' }).then(setEnabled);
  }, []);
  const http = tabUrl !== null && /^https?:/.test(tabUrl);
  const on = http && enabled.includes(originPattern(tabUrl));
  return (
    <main style={{ font: '14px system-ui, sans-serif', padding: 12 }}>
      <strong>Deskwatch</strong>
      {!http && <p>Open a ticket page to turn Deskwatch on for its site.</p>}
      {http && on && <p>On for {new URL(tabUrl).host}. Reload a ticket page to see the overlay.</p>}
      {http && !on && (
        <button
          onClick={() =>
            enableOnSite(tabUrl).then(
              (list) => (setEnabled(list), setMessage('On. Reload the page to see the overlay.')),
              (e: Error) => setMessage(e.message),
            )
          }
        >
          Enable Deskwatch on {new URL(tabUrl).host}
        </button>
      )}
      {http && tabId !== null && (
        <p>
          <button
            onClick={() =>
              ask({ type: 'teach', tabId }).then(
                () => window.close(),
                (e: Error) => setMessage(e.message),
              )
            }
          >
            Teach Deskwatch this page
          </button>
        </p>
      )}
      {message && <p role="status">{message}</p>}
      <p>
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          Options and pairing
        </a>
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Popup />
  </StrictMode>,
);
