import { z } from 'zod';
import type { StatusCategory } from '@deskwatch/shared';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';
import { digest, hmac, sameSecret, statusLabel, toolTime } from './vendor.js';

// Help Scout: the Webhooks app (Manage > Apps > Webhooks) with a secret key and the
// conversation events (created, status, assigned, tags, customer/agent replies, notes).
// Bodies are Mailbox API v2 conversation objects as in developer.helpscout.com/webhooks/;
// fixtures in fixtures/help-scout/. Help Scout sends the conversation as it is now (no change
// list, no delivery id): a status that did not change adds nothing (apply.ts), and a delivery is
// known by its event and bytes.

const config = z.strictObject({
  /** Only conversations of these mailboxes (ids); empty: any the webhook sends. */
  mailboxes: z.array(z.number().int().positive()).max(100).default([]),
});
export type HelpScoutConfig = z.infer<typeof config>;

const STATUS: Record<string, StatusCategory> = {
  active: 'open',
  open: 'open',
  pending: 'pending_customer',
  closed: 'solved',
  spam: 'closed',
};

const person = z.looseObject({ type: z.string().optional(), email: z.string().nullish() });
const thread = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  state: z.string().optional(),
  createdAt: toolTime,
  createdBy: person.nullish(),
});
const conversation = z.looseObject({
  id: z.number().int(),
  number: z.number().int(),
  subject: z.string().nullish(),
  status: z.enum(Object.keys(STATUS) as [string, ...string[]]),
  mailboxId: z.number().int().optional(),
  createdAt: toolTime,
  closedAt: toolTime.nullish(),
  userUpdatedAt: toolTime.nullish(),
  primaryCustomer: person.nullish(),
  assignee: person.nullish(),
  tags: z.array(z.looseObject({ tag: z.string() })).default([]),
  _embedded: z.looseObject({ threads: z.array(thread).default([]) }).optional(),
});

/** base64(HMAC-SHA1(secret, body)): Help Scout's X-HelpScout-Signature. */
export const helpScoutSignature = (secret: string, body: string) =>
  hmac('sha1', secret, body, 'base64');

/** Who wrote a thread and whether the customer sees it; null: not a message (a line item). */
function messageOf(t: z.infer<typeof thread>) {
  if (t.state !== undefined && t.state !== 'published') return null;
  if (t.type === 'customer') return { author: 'customer' as const, public: true };
  if (t.type === 'reply' || t.type === 'message') return { author: 'agent' as const, public: true };
  if (t.type === 'note') return { author: 'agent' as const, public: false };
  if (t.type === 'chat' || t.type === 'phone')
    return {
      author: t.createdBy?.type === 'customer' ? ('customer' as const) : ('agent' as const),
      public: true,
    };
  return null;
}

export const helpScout: ConnectorTool<HelpScoutConfig> = {
  id: 'help-scout',
  name: 'Help Scout',
  source: 'help-scout',
  config,

  // Help Scout signs no timestamp: a replay is the same bytes, taken once.
  verify({ headers, body }, secret) {
    const sig = headers.get('x-helpscout-signature');
    if (!sig) return { ok: false, reason: 'unsigned: no X-HelpScout-Signature header' };
    if (!sameSecret(helpScoutSignature(secret, body), sig))
      return { ok: false, reason: 'bad signature (check the secret key)' };
    return { ok: true };
  },

  parse({ headers, body, receivedAt }, cfg) {
    const event = headers.get('x-helpscout-event') ?? '';
    const deliveryId = `hs:${digest(`${event}\n${body}`)}`;
    if (!event.startsWith('convo.') || event === 'convo.deleted')
      return { deliveryId, updates: [], kind: event || 'unknown' };
    const c = conversation.parse(JSON.parse(body));
    if (
      cfg.mailboxes.length > 0 &&
      (c.mailboxId === undefined || !cfg.mailboxes.includes(c.mailboxId))
    )
      return { deliveryId, updates: [], kind: event };
    const category = STATUS[c.status]!;
    const status = statusLabel(c.status);
    const at =
      (c.status === 'closed' ? c.closedAt : null) ?? c.userUpdatedAt ?? receivedAt ?? c.createdAt;
    const created = event === 'convo.created';
    const changes: Change[] = [
      {
        type: 'created',
        id: `hs:${c.id}:created`,
        at: c.createdAt,
        status: created ? status : 'Active',
        category: created ? category : 'open',
        priority: 'normal',
      },
      { type: 'status', id: `hs:${c.id}:status@${at}`, at, status, category },
    ];
    for (const t of c._embedded?.threads ?? []) {
      const m = messageOf(t);
      // The thread's id is what the conversation page carries (data-thread-id).
      if (m) changes.push({ type: 'message', id: String(t.id), at: t.createdAt, ...m });
    }
    const update: TicketUpdate = {
      externalId: String(c.id),
      url: `https://secure.helpscout.net/conversation/${c.id}/${c.number}`,
      fields: {
        ...(c.subject != null ? { subject: c.subject } : {}),
        status,
        statusCategory: category,
        ...(c.primaryCustomer?.email ? { requester: c.primaryCustomer.email } : {}),
        assignee: c.assignee?.email ?? null,
        tags: c.tags.map((t) => t.tag),
        createdAt: c.createdAt,
      },
      changes,
      toolAt: at,
    };
    return { deliveryId, updates: [update], kind: event };
  },

  sample(_cfg, now) {
    const time = new Date(now).toISOString();
    const body = JSON.stringify({
      id: 1,
      number: 1,
      subject: 'Deskwatch test event',
      status: 'active',
      createdAt: time,
      userUpdatedAt: time,
      tags: [],
    });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          'x-helpscout-event': 'convo.status',
          'x-helpscout-signature': helpScoutSignature(secret, body),
        }),
    };
  },
};
