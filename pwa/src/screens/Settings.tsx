import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';

function urlBase64ToUint8Array(base64: string) {
  const padded = (base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

export function Settings({ name, role }: { name: string; role: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const vapid = useQuery(trpc.push.vapidPublicKey.queryOptions());
  const devices = useQuery(trpc.push.devices.queryOptions());
  const subscribe = useMutation(
    trpc.push.subscribe.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.push.devices.queryKey() }),
    }),
  );
  const test = useMutation(trpc.push.sendTest.mutationOptions());
  const unsubscribe = useMutation(trpc.push.unsubscribe.mutationOptions());
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        localStorage.clear();
        qc.clear();
        location.assign('/');
      },
    }),
  );
  const [error, setError] = useState<string | null>(null);

  /**
   * This browser's notifications belong to the account signing out (the server refuses them to
   * anyone else): turn them off, so whoever signs in here next can turn on their own.
   */
  async function signOutHere() {
    try {
      const reg = await navigator.serviceWorker?.getRegistration();
      const sub = await reg?.pushManager.getSubscription();
      if (sub) {
        await unsubscribe.mutateAsync({ endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
    } catch {
      // Signing out matters more than tidying up notifications.
    }
    signOut.mutate();
  }

  async function enable() {
    setError(null);
    try {
      if (!('serviceWorker' in navigator) || !('PushManager' in window))
        throw new Error(
          'This browser cannot receive push notifications. On iPhone, add Deskwatch to the Home Screen first.',
        );
      if ((await Notification.requestPermission()) !== 'granted')
        throw new Error('Notifications are blocked for this site in the browser settings.');
      const reg = await navigator.serviceWorker.ready;
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlBase64ToUint8Array(vapid.data!),
      });
      const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      await subscribe.mutateAsync({ endpoint: json.endpoint, keys: json.keys });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <main>
      <h1>Settings</h1>
      <p>
        Signed in as {name} ({role}).
      </p>
      <h2>Notifications</h2>
      <p className="muted">
        Get a push when an escalation waits for you, and approve it from the notification.
      </p>
      <button className="primary" onClick={enable} disabled={!vapid.data || subscribe.isPending}>
        Enable notifications
      </button>{' '}
      <button onClick={() => test.mutate()} disabled={!devices.data?.length}>
        Send a test
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {test.data && (
        <ul className="plain">
          {test.data.map((r) => (
            <li key={r.subscriptionId}>
              {new URL(r.endpoint).host}: {r.status} ({r.detail})
            </li>
          ))}
        </ul>
      )}
      <ul className="plain">
        {devices.data?.map((d) => (
          <li key={d.id}>
            {new URL(d.endpoint).host}
            {d.retiredAt ? ' (retired)' : ''}
            {d.lastError ? ` · last error ${d.lastError}` : ''}
          </li>
        ))}
      </ul>
      {role !== 'agent' && (
        <p>
          <a href="/settings/kb">Knowledge base</a>
        </p>
      )}
      {role === 'admin' && (
        <>
          <h2>Administration</h2>
          <p>
            <a href="/settings/people">People and invitations</a>
          </p>
          <p>
            <a href="/settings/audit">Audit log</a>
          </p>
          <p>
            <a href="/settings/sla">SLA calendars and policies</a>
          </p>
          <p>
            <a href="/settings/adapters">Ticketing-tool adapters</a>
          </p>
          <p>
            <a href="/settings/agents">Agents and their aliases</a>
          </p>
        </>
      )}
      <h2>Account</h2>
      <button onClick={() => void signOutHere()}>Sign out</button>
    </main>
  );
}
