/**
 * Whether this browser can take push notifications, and if not, what the manager can do about
 * it: decided from what the browser exposes, so it can be tested without one.
 */
export type PushSupport =
  | { state: 'ready' }
  | { state: 'ios-install'; text: string }
  | { state: 'unsupported'; text: string }
  | { state: 'denied'; text: string };

export interface BrowserFacts {
  serviceWorker: boolean;
  pushManager: boolean;
  notification: boolean;
  permission: NotificationPermission | null;
  userAgent: string;
  maxTouchPoints: number;
  /** Opened from the Home Screen (iOS) or as an installed app. */
  standalone: boolean;
}

const isIos = (f: BrowserFacts) =>
  /iPhone|iPad|iPod/.test(f.userAgent) ||
  // iPadOS asks for the desktop site: a Mac with a touch screen is an iPad.
  (/Macintosh/.test(f.userAgent) && f.maxTouchPoints > 1);

export const BLOCKED_TEXT =
  'Notifications are blocked for this site. Allow them in the browser: the site settings (the icon left of the address), Notifications, Allow; then tap "Enable notifications" again. Private (incognito) windows cannot receive them at all.';

export function pushSupport(f: BrowserFacts): PushSupport {
  if (isIos(f) && !f.standalone && (!f.pushManager || !f.notification))
    return {
      state: 'ios-install',
      text: 'On iPhone and iPad, notifications work once Deskwatch is on the Home Screen: tap Share, then "Add to Home Screen", and open Deskwatch from there.',
    };
  if (!f.serviceWorker || !f.pushManager || !f.notification)
    return {
      state: 'unsupported',
      text: 'This browser cannot receive push notifications. Use Chrome, Edge, Firefox or Safari (16.4 or later), or check the inbox in the app.',
    };
  if (f.permission === 'denied') return { state: 'denied', text: BLOCKED_TEXT };
  return { state: 'ready' };
}

export function browserFacts(): BrowserFacts {
  return {
    serviceWorker: 'serviceWorker' in navigator,
    pushManager: 'PushManager' in window,
    notification: 'Notification' in window,
    permission: 'Notification' in window ? Notification.permission : null,
    userAgent: navigator.userAgent,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    standalone:
      (navigator as Navigator & { standalone?: boolean }).standalone === true ||
      matchMedia('(display-mode: standalone)').matches,
  };
}

/** How long a push service gets to answer a subscription before the manager is told. */
export const SUBSCRIBE_TIMEOUT_MS = 12_000;

export const UNREACHABLE_TEXT =
  'The browser could not reach its push service, so this device cannot get notifications now. This happens on networks that block it and in browsers without one (some Chromium builds, Brave with Google push messaging off). Try another network or browser; the inbox still shows everything.';

export const NO_PUSH_HERE_TEXT =
  'Notifications are allowed, but this browser window cannot receive them: private (incognito) windows and some browsers have no push service. Open Deskwatch in a normal window, or in Chrome, Edge, Firefox or Safari.';

/**
 * What a failed subscription means to the manager, from the browser's error and the permission
 * it holds now (Chromium refuses push in incognito with "permission denied" though it is granted).
 */
export function subscribeFailure(
  err: unknown,
  permission: NotificationPermission | null = null,
): {
  state: 'denied' | 'no-push' | 'unreachable' | 'error';
  text: string;
} {
  const e = err as { name?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.name === 'NotAllowedError' || /permission denied|not allowed/i.test(msg))
    return permission === 'granted'
      ? { state: 'no-push', text: NO_PUSH_HERE_TEXT }
      : { state: 'denied', text: BLOCKED_TEXT };
  if (e?.name === 'AbortError' || /push service|timed out|timeout/i.test(msg))
    return { state: 'unreachable', text: UNREACHABLE_TEXT };
  return { state: 'error', text: `Notifications could not be turned on: ${msg}` };
}

/** `work`, or a rejection naming the timeout once `ms` have passed. */
export function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('The push service timed out')), ms);
    work.then(
      (v) => {
        clearTimeout(t);
        ok(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        fail(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
