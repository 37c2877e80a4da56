import {
  escalationPushPayload,
  pagePushFields,
  pagePushPayload,
  type EscalationPushPayload,
} from '@deskwatch/shared';

/** What the service worker shows for a push, decided here so it can be tested without a browser. */
export interface NotificationPlan {
  title: string;
  options: NotificationOptions & {
    actions?: { action: string; title: string; type?: string; placeholder?: string }[];
  };
}

export interface NotificationData {
  kind: 'escalation' | 'page' | 'test';
  escalationId?: string;
  actionToken?: string;
  /** A page (an alert or escalation sent down an escalation path) and its Acknowledge token. */
  pageId?: string;
  ackToken?: string;
  url: string;
}

/** Where a page's notification opens: the on-call screen, with its pages. */
export const ONCALL_SCREEN = '/oncall';

const SEVERITY_LABEL: Record<EscalationPushPayload['severity'], string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  critical: 'Critical',
};

/** Parses a push body; unknown or malformed payloads get a generic notice rather than nothing (browsers penalise silent pushes). */
export function planNotification(body: string | null, maxActions: number): NotificationPlan {
  let json: unknown = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  const esc = escalationPushPayload.safeParse(json);
  if (esc.success) {
    const p = esc.data;
    // Deciding answers the page too, so an escalation keeps its Approve and Deny buttons.
    const page = pagePushFields.safeParse(json);
    const data: NotificationData = {
      kind: 'escalation',
      escalationId: p.escalationId,
      actionToken: p.actionToken,
      ...(page.success ? page.data : {}),
      url: p.url,
    };
    return {
      title: `Escalation: ${p.ticketSubject}`,
      options: {
        body: `${p.requestedBy} (${SEVERITY_LABEL[p.severity]}): ${p.reason}`,
        tag: `escalation-${p.escalationId}`,
        requireInteraction: true,
        icon: '/icon-192.png',
        badge: '/icon-192.png',
        data,
        ...(maxActions >= 2
          ? {
              actions: [
                { action: 'approve', title: 'Approve' },
                { action: 'deny', title: 'Deny' },
              ],
            }
          : {}),
      },
    };
  }
  const page = pagePushPayload.safeParse(json);
  if (page.success) {
    const p = page.data;
    const data: NotificationData = {
      kind: 'page',
      pageId: p.pageId,
      ackToken: p.ackToken,
      url: ONCALL_SCREEN,
    };
    return {
      title: p.title,
      options: {
        body: p.body,
        tag: `page-${p.pageId}`,
        requireInteraction: true,
        icon: '/icon-192.png',
        badge: '/icon-192.png',
        data,
        ...(maxActions >= 1 ? { actions: [{ action: 'acknowledge', title: 'Acknowledge' }] } : {}),
      },
    };
  }
  const title = (json as { title?: unknown })?.title;
  const text = (json as { body?: unknown })?.body;
  const kind = (json as { kind?: unknown })?.kind;
  return {
    title: typeof title === 'string' ? title : 'Deskwatch',
    options: {
      body: typeof text === 'string' ? text : 'Something needs your attention.',
      icon: '/icon-192.png',
      // A red flag opens the list of flags, a digest the glance, a shift its schedule's screen
      // (only an on-call path of this app); anything else the inbox.
      data: {
        kind: 'test',
        url:
          kind === 'red_flag'
            ? '/metrics/flags'
            : kind === 'digest'
              ? '/metrics'
              : kind === 'shift'
                ? shiftUrl((json as { url?: unknown }).url)
                : '/',
      } satisfies NotificationData,
    },
  };
}

/** A shift notification's screen: an on-call path of this app, else the on-call tab. */
function shiftUrl(url: unknown): string {
  return typeof url === 'string' && /^\/oncall\/schedules\/[\w-]{1,64}$/.test(url)
    ? url
    : ONCALL_SCREEN;
}

export type ClickOutcome =
  | {
      do: 'decide';
      token: string;
      decision: 'approve' | 'deny';
      comment: string;
      escalationId: string;
    }
  | { do: 'acknowledge'; token: string; pageId: string }
  | { do: 'open'; url: string };

/**
 * What a click on a notification does. Approve acts at once with the single-use token. Deny
 * needs a reason: with an inline reply (where the platform has one) it acts, otherwise the
 * approval screen opens ready to deny. A plain tap opens the approval screen.
 */
export function planClick(
  data: NotificationData | undefined,
  action: string,
  reply: string | null | undefined,
): ClickOutcome {
  if (data?.kind === 'page') {
    if (action === 'acknowledge' && data.ackToken && data.pageId)
      return { do: 'acknowledge', token: data.ackToken, pageId: data.pageId };
    return { do: 'open', url: ONCALL_SCREEN };
  }
  if (!data || data.kind !== 'escalation' || !data.escalationId)
    return { do: 'open', url: data?.url ?? '/' };
  const screen = `/escalations/${data.escalationId}`;
  if (action === 'approve' && data.actionToken) {
    return {
      do: 'decide',
      token: data.actionToken,
      decision: 'approve',
      comment: '',
      escalationId: data.escalationId,
    };
  }
  if (action === 'deny') {
    const reason = reply?.trim();
    if (reason && data.actionToken)
      return {
        do: 'decide',
        token: data.actionToken,
        decision: 'deny',
        comment: reason,
        escalationId: data.escalationId,
      };
    return { do: 'open', url: `${screen}?decide=deny` };
  }
  return { do: 'open', url: screen };
}
