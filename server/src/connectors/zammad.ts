import { z } from 'zod';
import type { StatusCategory } from '@deskwatch/shared';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';
import { hmac, priorityFromName, sameSecret, statusLabel, toolTime } from './vendor.js';

// Zammad: a webhook (Settings > Manage > Webhook) with an "HMAC SHA1 Signature Token", called
// by a trigger on ticket create and update ("Action: Webhook"), default payload. Payloads as in
// admin-docs.zammad.org/en/latest/manage/webhook/payload.html; fixtures in fixtures/zammad/.
// Zammad sends the ticket as it is after the change: a status or priority that did not change
// adds nothing (apply.ts).

const config = z.strictObject({
  /** Where agents open Zammad, e.g. https://support.acme.example: ticket links point there. */
  baseUrl: z
    .url()
    .regex(
      /^https?:\/\/[^/]+(\/[^#?]*)?$/,
      'the address agents open, e.g. https://support.acme.example',
    ),
});
export type ZammadConfig = z.infer<typeof config>;

/** Zammad's ticket states (the default set) onto categories. */
const STATES: Record<string, StatusCategory> = {
  new: 'new',
  open: 'open',
  'pending reminder': 'on_hold',
  'pending close': 'pending_customer',
  closed: 'closed',
  merged: 'closed',
  removed: 'closed',
};

const id = z.union([z.number().int(), z.string().min(1).max(64)]).transform(String);
const person = z
  .looseObject({ login: z.string().nullish(), email: z.string().nullish() })
  .nullish();
const ticket = z.looseObject({
  id,
  number: z.union([z.string(), z.number()]).optional(),
  title: z.string(),
  state: z.string().transform((s) => s.toLowerCase()),
  priority: z.string().nullish(),
  created_at: toolTime,
  updated_at: toolTime,
  customer: person,
  owner: person,
  organization: z.union([z.string(), z.looseObject({ name: z.string() })]).nullish(),
  tags: z.array(z.string()).optional(),
});
const article = z.looseObject({
  id,
  sender: z.string(),
  internal: z.boolean(),
  created_at: toolTime,
});
const payload = z.looseObject({ ticket, article: article.nullish() });

/** `sha1=` + hex HMAC-SHA1 of the body: Zammad's X-Hub-Signature. */
export const zammadSignature = (secret: string, body: string) =>
  'sha1=' + hmac('sha1', secret, body);

const login = (p: z.infer<typeof person>) => p?.email ?? p?.login ?? undefined;

export const zammad: ConnectorTool<ZammadConfig> = {
  id: 'zammad',
  name: 'Zammad',
  source: 'zammad',
  config,

  // Zammad signs no timestamp: a replay is stopped by X-Zammad-Delivery, each applied once.
  verify({ headers, body }, secret) {
    const sig = headers.get('x-hub-signature');
    if (!sig)
      return {
        ok: false,
        reason: 'unsigned: no X-Hub-Signature (set the HMAC SHA1 signature token)',
      };
    if (!sameSecret(zammadSignature(secret, body), sig))
      return { ok: false, reason: 'bad signature (check the signature token)' };
    if (!headers.get('x-zammad-delivery')) return { ok: false, reason: 'no X-Zammad-Delivery id' };
    return { ok: true };
  },

  parse({ headers, body }, cfg) {
    const deliveryId = headers.get('x-zammad-delivery')!;
    const p = payload.parse(JSON.parse(body));
    const t = p.ticket;
    const category = STATES[t.state];
    if (!category)
      throw new Error(
        `ticket.state: unknown Zammad state "${t.state}" (map it in a custom state?)`,
      );
    const status = statusLabel(t.state);
    const priority = priorityFromName(t.priority);
    // A delivery of a ticket just made says its first state; a later one, we know only "new".
    const fresh = Math.abs(t.updated_at - t.created_at) < 2_000;
    const changes: Change[] = [
      {
        type: 'created',
        id: `zm:${t.id}:created`,
        at: t.created_at,
        status: fresh ? status : 'New',
        category: fresh ? category : 'new',
        priority,
      },
      {
        type: 'status',
        id: `zm:${t.id}:state@${t.updated_at}`,
        at: t.updated_at,
        status,
        category,
      },
      { type: 'priority', id: `zm:${t.id}:priority@${t.updated_at}`, at: t.updated_at, priority },
    ];
    const a = p.article;
    if (a)
      changes.push({
        type: 'message',
        // The article's id is what the ticket page carries (data-id): seen both ways, one message.
        id: a.id,
        at: a.created_at,
        author: a.sender === 'Customer' ? 'customer' : a.sender === 'System' ? 'bot' : 'agent',
        public: !a.internal,
      });
    const org = typeof t.organization === 'string' ? t.organization : t.organization?.name;
    const update: TicketUpdate = {
      externalId: t.id,
      url: `${cfg.baseUrl.replace(/\/+$/, '')}/#ticket/zoom/${t.id}`,
      fields: {
        subject: t.title,
        status,
        statusCategory: category,
        priority,
        ...(login(t.customer) !== undefined ? { requester: login(t.customer)! } : {}),
        ...(t.organization !== undefined ? { requesterOrg: org ?? null } : {}),
        ...(t.owner !== undefined ? { assignee: login(t.owner) ?? null } : {}),
        ...(t.tags ? { tags: t.tags } : {}),
        createdAt: t.created_at,
      },
      changes,
      toolAt: a?.created_at ?? t.updated_at,
    };
    return {
      deliveryId,
      updates: [update],
      kind: headers.get('x-zammad-trigger') ?? (a ? 'article' : 'ticket'),
    };
  },

  sample(_cfg, now) {
    const time = new Date(now).toISOString();
    const body = JSON.stringify({
      ticket: {
        id: 1,
        number: '31001',
        title: 'Deskwatch test event',
        state: 'open',
        priority: '2 normal',
        created_at: time,
        updated_at: time,
      },
      article: null,
    });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          'x-zammad-trigger': 'Deskwatch test',
          'x-zammad-delivery': `deskwatch-test-${now}`,
          'x-hub-signature': zammadSignature(secret, body),
        }),
    };
  },
};
