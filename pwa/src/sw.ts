/// <reference lib="webworker" />
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import {
  conflictText,
  flushOutbox,
  idbOutbox,
  newlyAnswered,
  OUTBOX_CHANGED,
  SYNC_TAG,
} from './outbox';
import {
  ONCALL_SCREEN,
  planClick,
  planNotification,
  type NotificationData,
} from './sw/notifications';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

// The app shell loads offline; server routes never come from the cache.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/trpc/, /^\/demo/, /^\/health/, /^\/sso\//],
  }),
);

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** Keeps the worker alive for `work`; an event dispatched by a test harness is not trusted and cannot be extended. */
function keepAlive(event: ExtendableEvent, work: Promise<unknown>) {
  if (event.isTrusted) event.waitUntil(work);
}

self.addEventListener('push', (event) => {
  const maxActions = (Notification as unknown as { maxActions?: number }).maxActions ?? 0;
  const plan = planNotification(event.data?.text() ?? null, maxActions);
  keepAlive(event, self.registration.showNotification(plan.title, plan.options));
});

async function openWindow(url: string) {
  const target = new URL(url, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows.find((w) => new URL(w.url).origin === self.location.origin) as
    WindowClient | undefined;
  if (existing) {
    await existing.navigate(target).catch(() => undefined);
    return existing.focus();
  }
  return self.clients.openWindow(target);
}

async function onClick(notification: Notification, action: string, reply: string | null) {
  const outcome = planClick(notification.data as NotificationData | undefined, action, reply);
  notification.close();
  if (outcome.do === 'open') return openWindow(outcome.url);
  if (outcome.do === 'acknowledge') return acknowledge(outcome.token, outcome.pageId);
  const res = await fetch('/trpc/escalations.decideWithToken', {
    method: 'POST',
    // The single-use token is the authority here, not the session cookie.
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: outcome.token,
      decision: outcome.decision,
      comment: outcome.comment,
    }),
  });
  if (res.ok) {
    const done = outcome.decision === 'approve' ? 'Approved' : 'Denied';
    await self.registration.showNotification(`${done}`, {
      body: 'Your decision was recorded.',
      tag: `decided-${outcome.escalationId}`,
      icon: '/icon-192.png',
      data: { kind: 'test', url: `/escalations/${outcome.escalationId}` },
    });
    // Open app windows refresh their inbox.
    for (const c of await self.clients.matchAll({ type: 'window' }))
      c.postMessage({ type: 'escalation-decided', escalationId: outcome.escalationId });
    return;
  }
  // Already decided, expired or offline: the screen explains and lets the manager act.
  return openWindow(`/escalations/${outcome.escalationId}`);
}

/** The Acknowledge button: the page's single-use token stands for the person it was sent to. */
async function acknowledge(token: string, pageId: string) {
  const res = await fetch('/trpc/oncall.acknowledgeWithToken', {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) return openWindow(ONCALL_SCREEN); // answered already, expired or offline
  await self.registration.showNotification('Acknowledged', {
    body: 'Nobody else will be paged for this.',
    tag: `acknowledged-${pageId}`,
    icon: '/icon-192.png',
    data: { kind: 'test', url: ONCALL_SCREEN } satisfies NotificationData,
  });
  for (const c of await self.clients.matchAll({ type: 'window' }))
    c.postMessage({ type: 'page-acknowledged', pageId });
}

self.addEventListener('notificationclick', (event) => {
  keepAlive(
    event,
    onClick(
      event.notification,
      event.action,
      (event as NotificationEvent & { reply?: string | null }).reply ?? null,
    ),
  );
});

/** Background Sync (Chromium): decisions queued offline go out even when no app window is open. */
async function sendQueued() {
  const before = await idbOutbox.all();
  const n = await flushOutbox();
  const windows = await self.clients.matchAll({ type: 'window' });
  if (n > 0) for (const c of windows) c.postMessage({ type: OUTBOX_CHANGED });
  // With no app on screen, a decision someone else took first is told by a notification.
  if (!windows.some((w) => (w as WindowClient).visibilityState === 'visible'))
    for (const d of newlyAnswered(before, await idbOutbox.all()))
      await self.registration
        .showNotification(d.status === 'conflict' ? 'Decided first by someone else' : 'Not sent', {
          body: `${d.ticketSubject}: ${d.status === 'conflict' ? conflictText(d) : d.message}`,
          tag: `outbox-${d.escalationId}`,
          icon: '/icon-192.png',
          data: { kind: 'test', url: `/escalations/${d.escalationId}` } satisfies NotificationData,
        })
        .catch(() => undefined); // notifications not allowed: the app tells on next open
  // Still offline: failing the event makes the browser try again later.
  if ((await idbOutbox.all()).some((d) => d.status === 'queued')) throw new Error('still queued');
}

self.addEventListener('sync', (event) => {
  const e = event as ExtendableEvent & { tag: string };
  if (e.tag === SYNC_TAG) keepAlive(e, sendQueued());
});
