import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useState } from 'react';
import {
  browserFacts,
  pushSupport,
  subscribeFailure,
  SUBSCRIBE_TIMEOUT_MS,
  within,
} from '../push/support';
import { useTRPC } from '../trpc';

/** What the notifications section says: where this device stands and what to do. */
type PushState = {
  state:
    | 'checking'
    | 'ready'
    | 'working'
    | 'on'
    | 'ios-install'
    | 'unsupported'
    | 'denied'
    | 'no-push'
    | 'unreachable'
    | 'error';
  text: string;
};

/** Whether this device is subscribed already (a subscription the browser still holds). */
async function currentSubscription(): Promise<PushSubscription | null> {
  if (!('serviceWorker' in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration();
  return (await reg?.pushManager?.getSubscription()) ?? null;
}

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
  const [push, setPush] = useState<PushState>({ state: 'checking', text: '' });
  useEffect(() => {
    const support = pushSupport(browserFacts());
    if (support.state !== 'ready') return setPush(support);
    let live = true;
    currentSubscription().then(
      (sub) =>
        live &&
        setPush(
          sub
            ? { state: 'on', text: 'Notifications are on for this device.' }
            : { state: 'ready', text: 'Notifications are off for this device.' },
        ),
      () => live && setPush({ state: 'ready', text: 'Notifications are off for this device.' }),
    );
    return () => {
      live = false;
    };
  }, []);

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
    const support = pushSupport(browserFacts());
    if (support.state !== 'ready' && support.state !== 'denied') return setPush(support);
    setPush({ state: 'working', text: 'Asking the browser…' });
    try {
      // A denied permission may have been changed in the browser's settings since: ask again.
      if ((await Notification.requestPermission()) !== 'granted')
        return setPush(pushSupport({ ...browserFacts(), permission: 'denied' }) as PushState);
      setPush({ state: 'working', text: 'Reaching the browser’s push service…' });
      const reg = await within(navigator.serviceWorker.ready, SUBSCRIBE_TIMEOUT_MS);
      // Without a reachable push service some browsers wait half a minute or more: bounded here.
      const sub = await within(
        reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToUint8Array(vapid.data!),
        }),
        SUBSCRIBE_TIMEOUT_MS,
      );
      const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      setPush({ state: 'working', text: 'Registering this device…' });
      await subscribe.mutateAsync({ endpoint: json.endpoint, keys: json.keys });
      setPush({ state: 'on', text: 'Notifications are on for this device. Send a test to check.' });
    } catch (e) {
      setPush(
        e instanceof TRPCClientError
          ? { state: 'error', text: `The server refused this device: ${e.message}` }
          : subscribeFailure(e, 'Notification' in window ? Notification.permission : null),
      );
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
      {push.text && (
        <p
          className={`push-state ${['denied', 'no-push', 'unreachable', 'error', 'unsupported', 'ios-install'].includes(push.state) ? 'warning' : 'muted'}`}
          role={push.state === 'working' ? 'status' : 'note'}
          data-testid="push-state"
          data-state={push.state}
        >
          {push.text}
        </p>
      )}
      <button
        className="primary"
        onClick={() => void enable()}
        disabled={
          !vapid.data ||
          push.state === 'working' ||
          push.state === 'unsupported' ||
          push.state === 'ios-install'
        }
      >
        Enable notifications
      </button>{' '}
      <button onClick={() => test.mutate()} disabled={!devices.data?.length}>
        Send a test
      </button>
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
            <a href="/settings/sso">Single sign-on</a>
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
            <a href="/settings/connectors">Connectors</a>
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
