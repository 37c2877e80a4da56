import { KbSettings } from './screens/KbSettings';
import { KbInsights } from './screens/KbInsights';
import { Article } from './screens/Article';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { navigate, useLocation } from './router';
import { Connect } from './screens/Connect';
import { Escalation } from './screens/Escalation';
import { Inbox } from './screens/Inbox';
import { Settings } from './screens/Settings';
import { SlaSettings } from './screens/SlaSettings';
import { AdapterSettings } from './screens/AdapterSettings';
import { AgentSettings } from './screens/AgentSettings';
import { TicketSources } from './screens/TicketSources';
import { SignIn } from './screens/SignIn';
import { useTRPC } from './trpc';

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', on);
    };
  }, []);
  return online;
}

const NAV = [
  { path: '/', label: 'Inbox' },
  { path: '/connect', label: 'Connect extension' },
  { path: '/settings', label: 'Settings' },
];

export function App() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const { path, search } = useLocation();
  const online = useOnline();

  useEffect(() => {
    // The service worker tells open windows when a notification button decided something.
    const on = () => void qc.invalidateQueries({ queryKey: trpc.escalations.pathKey() });
    navigator.serviceWorker?.addEventListener('message', on);
    return () => navigator.serviceWorker?.removeEventListener('message', on);
  }, [qc, trpc]);

  const offlineBanner = (!online ||
    me.fetchStatus === 'paused' ||
    (me.failureCount > 0 && me.data !== undefined)) && (
    <div className="offline" role="status" data-testid="offline">
      Offline: showing what this device last saw
      {me.dataUpdatedAt ? ` (${new Date(me.dataUpdatedAt).toLocaleTimeString()})` : ''}.
    </div>
  );

  if (me.data === undefined)
    return (
      <>
        {offlineBanner}
        <main className="narrow">
          {me.isError ? (
            <p className="error">Cannot reach the server: {me.error.message}</p>
          ) : (
            <p>Loading…</p>
          )}
        </main>
      </>
    );
  if (me.data === null) return <SignIn />;

  const escalation = path.match(/^\/escalations\/([\w-]+)$/);
  const article = path.match(/^\/kb\/([\w%-]+)$/);
  const sources = path.match(/^\/tickets\/([\w-]+)\/sources$/);
  let screen;
  if (escalation)
    screen = (
      <Escalation
        id={escalation[1]!}
        startDenying={new URLSearchParams(search).get('decide') === 'deny'}
      />
    );
  else if (article) screen = <Article id={decodeURIComponent(article[1]!)} />;
  else if (path === '/connect') screen = <Connect />;
  else if (path === '/settings') screen = <Settings name={me.data.name} role={me.data.role} />;
  else if (path === '/settings/sla' && me.data.role === 'admin') screen = <SlaSettings />;
  else if (path === '/settings/adapters' && me.data.role === 'admin') screen = <AdapterSettings />;
  else if (path === '/settings/agents' && me.data.role === 'admin') screen = <AgentSettings />;
  else if (sources && me.data.role !== 'agent') screen = <TicketSources ticketId={sources[1]!} />;
  else if (path === '/metrics/kb' && me.data.role !== 'agent') screen = <KbInsights />;
  else if (path === '/settings/kb' && me.data.role !== 'agent')
    screen = <KbSettings admin={me.data.role === 'admin'} />;
  else screen = <Inbox role={me.data.role} />;

  return (
    <>
      {offlineBanner}
      {screen}
      <nav className="tabs">
        {[
          ...NAV.slice(0, 1),
          ...(me.data.role === 'agent' ? [] : [{ path: '/metrics/kb', label: 'KB insights' }]),
          ...NAV.slice(1),
        ].map((n) => (
          <a
            key={n.path}
            href={n.path}
            aria-current={path === n.path ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(n.path);
            }}
          >
            {n.label}
          </a>
        ))}
      </nav>
    </>
  );
}
