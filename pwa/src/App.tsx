import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { Link, Route, Switch, useLocation, useSearch } from 'wouter';
import { allowed, ROUTES, type Role } from './routes';
import { Inbox } from './screens/Inbox';
import { Welcome } from './screens/admin/Welcome';
import { useTRPC } from './trpc';
import { Unavailable, useOnline } from './Unavailable';
import { useSendQueued } from './useOutbox';

export function App() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [path] = useLocation();
  const search = useSearch();
  const online = useOnline();
  useSendQueued();

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
          {me.isError && online ? (
            <p className="error">Cannot reach the server: {me.error.message}</p>
          ) : (
            <Unavailable query={me} what="Deskwatch" />
          )}
        </main>
      </>
    );
  if (me.data === null) return <Welcome />;

  const role = me.data.role as Role;
  const ctx = {
    query: new URLSearchParams(search),
    me: { name: me.data.name, role, email: me.data.email },
  };
  const tabs = [
    { path: '/', label: role === 'agent' ? 'My escalations' : 'Inbox', order: 0 },
    ...ROUTES.filter((r) => r.tab && allowed(r, role)).map((r) => ({ path: r.path, ...r.tab! })),
  ].sort((a, b) => a.order - b.order);

  return (
    <>
      {offlineBanner}
      <Suspense fallback={<p className="narrow">Loading…</p>}>
        <Switch>
          {ROUTES.filter((r) => allowed(r, role)).map((r) => (
            <Route key={r.path} path={r.path}>
              {(params) => r.render({ ...ctx, params: params as Record<string, string> })}
            </Route>
          ))}
          <Route>
            <Inbox role={role} />
          </Route>
        </Switch>
      </Suspense>
      <nav className="tabs">
        {tabs.map((n) => (
          <Link key={n.path} href={n.path} aria-current={path === n.path ? 'page' : undefined}>
            {n.label}
          </Link>
        ))}
      </nav>
    </>
  );
}
