import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { originPattern } from '../../lib/api';
import { ask, type ConnectionStatus } from '../../lib/messages';
import { enableOnSite } from '../../lib/site-access';
import './style.css';

/**
 * Sites where the overlay runs, one origin at a time; first the paired server's Demo Desk, which
 * pairing turns on (and disconnecting turns off), so it has no "Turn off" of its own.
 */
function Sites({ demoDesk }: { demoDesk: string | null }) {
  const [list, setList] = useState<string[]>([]);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void ask({ type: 'sites' }).then(setList);
  }, []);
  return (
    <section>
      <h2>Ticketing sites</h2>
      <p className="hint">
        Deskwatch runs only on sites you turn on (or use the toolbar button on a ticket page).
      </p>
      <ul data-testid="sites">
        {demoDesk && (
          <li data-testid="demo-desk-site">
            <a href={demoDesk} target="_blank" rel="noreferrer">
              {demoDesk}
            </a>{' '}
            <span className="hint">Demo Desk, on while paired with this server</span>
          </li>
        )}
        {list.map((s) => (
          <li key={s}>
            {s}{' '}
            <button
              className="secondary"
              onClick={() => void ask({ type: 'disableSite', origin: s }).then(setList)}
            >
              Turn off
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          enableOnSite(url).then(
            (l) => (setList(l), setUrl('')),
            (err: Error) =>
              setError(
                err instanceof TypeError ? 'Enter the address of a ticket page' : err.message,
              ),
          );
        }}
      >
        <label>
          Site address{' '}
          <input
            name="site"
            type="url"
            required
            placeholder="https://support.example.com"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button>Enable on this site</button>
      </form>
    </section>
  );
}

function Options() {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  const [serverUrl, setServerUrl] = useState('http://127.0.0.1:8787');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ask({ type: 'status' }).then(
      (s) => {
        setStatus(s);
        if (s.serverUrl) setServerUrl(s.serverUrl);
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  async function pair(ev: React.FormEvent) {
    ev.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const url = new URL(serverUrl);
      // Host access is asked for this one origin, in the click that pairs (a user gesture).
      const origins = [originPattern(url.href)];
      if (
        !(await browser.permissions.contains({ origins })) &&
        !(await browser.permissions.request({ origins }))
      ) {
        throw new Error(`Deskwatch needs access to ${url.host} to show the overlay there`);
      }
      setStatus(await ask({ type: 'pair', serverUrl: url.href, code }));
      setCode('');
    } catch (e) {
      setError(
        e instanceof TypeError
          ? 'Enter the server URL, like http://127.0.0.1:8787'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <h1>Deskwatch</h1>
      <p data-testid="connection" data-connected={String(status?.connected ?? false)}>
        {status === null
          ? 'Checking…'
          : status.connected
            ? `Connected to ${status.serverUrl} as ${status.user.name} (${status.user.role})`
            : `Not connected${status.error ? `: ${status.error}` : ''}`}
      </p>
      <form onSubmit={pair}>
        <label>
          Server URL{' '}
          <input
            name="serverUrl"
            type="url"
            required
            value={serverUrl}
            onChange={(e) => setServerUrl(e.target.value)}
          />
        </label>
        <label>
          Pairing code{' '}
          <input
            name="code"
            required
            placeholder="ABCD-2345"
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <p className="hint">
          Get a code in the Deskwatch app: sign in, then "Connect extension". It works once, for 10
          minutes.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button disabled={busy}>{status?.connected ? 'Pair again' : 'Pair'}</button>
      </form>
      {status?.connected && (
        <button className="secondary" onClick={() => ask({ type: 'disconnect' }).then(setStatus)}>
          Disconnect
        </button>
      )}
      <Sites demoDesk={status?.connected ? new URL('/demo', status.serverUrl).href : null} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Options />
  </StrictMode>,
);
