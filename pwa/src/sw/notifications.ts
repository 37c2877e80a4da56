import { escalationPushPayload, type EscalationPushPayload } from '@deskwatch/shared';

/** What the service worker shows for a push, decided here so it can be tested without a browser. */
export interface NotificationPlan {
  title: string;
  options: NotificationOptions & {
    actions?: { action: string; title: string; type?: string; placeholder?: string }[];
  };
}

export interface NotificationData {
  kind: 'escalation' | 'test';
  escalationId?: string;
  actionToken?: string;
  url: string;
}

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
    const data: NotificationData = {
      kind: 'escalation',
      escalationId: p.escalationId,
      actionToken: p.actionToken,
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
  const title = (json as { title?: unknown })?.title;
  const text = (json as { body?: unknown })?.body;
  return {
    title: typeof title === 'string' ? title : 'Deskwatch',
    options: {
      body: typeof text === 'string' ? text : 'Something needs your attention.',
      icon: '/icon-192.png',
      data: { kind: 'test', url: '/' } satisfies NotificationData,
    },
  };
}

export type ClickOutcome =
  | {
      do: 'decide';
      token: string;
      decision: 'approve' | 'deny';
      comment: string;
      escalationId: string;
    }
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
