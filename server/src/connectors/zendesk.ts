import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { REPLAY_WINDOW_MS, type Change, type ConnectorTool, type TicketUpdate } from './types.js';
import { exportConfig, PRIORITY, STATUS, statusName, zendeskExport } from './zendesk-export.js';

export { STATUS };

// Zendesk Support: webhooks subscribed to ticket events (Admin Center > Apps and integrations >
// Webhooks > "Zendesk events"), payloads as in developer.zendesk.com/api-reference/webhooks/
// event-types/ticket-events/; fixtures in src/connectors/fixtures/zendesk/.

const config = z.strictObject({
  /** `acme` for acme.zendesk.com: ticket links point there, as the extension's pages do. */
  subdomain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'the subdomain, e.g. acme for acme.zendesk.com'),
  // With an API token: the backfill and what webhooks missed, from its export (zendesk-export.ts).
  ...exportConfig,
});
export type ZendeskConfig = z.infer<typeof config>;

const id = z.union([z.string().min(1).max(64), z.number().int()]).transform(String);
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const status = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(Object.keys(STATUS) as [string, ...string[]]));
const priority = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(Object.keys(PRIORITY) as [string, ...string[]]))
  .nullish();

const detail = z.looseObject({
  id,
  subject: z.string().nullish(),
  status,
  priority,
  created_at: instant,
  updated_at: instant.nullish(),
  requester_id: id.nullish(),
  assignee_id: id.nullish(),
  organization_id: id.nullish(),
  tags: z.array(z.string()).nullish(),
});

const event = z.looseObject({
  id: z.string().min(1).max(128),
  type: z.string().startsWith('zen:event-type:'),
  subject: z.string().optional(),
  time: instant,
  account_id: z.number().optional(),
  detail: z.unknown(),
  event: z.unknown().optional(),
});

const comment = z.looseObject({
  comment: z.looseObject({
    id,
    is_public: z.boolean(),
    author: z.looseObject({ id: id.nullish(), is_staff: z.boolean(), name: z.string().nullish() }),
  }),
});
const statusEvent = z.looseObject({ current: status, previous: status.nullish() });
const priorityEvent = z.looseObject({ current: priority, previous: priority });

/** base64(HMAC-SHA256(secret, timestamp + body)), Zendesk's documented scheme. */
export function zendeskSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const zendesk: ConnectorTool<ZendeskConfig> = {
  id: 'zendesk',
  name: 'Zendesk',
  source: 'zendesk',
  config,
  poll: zendeskExport,
  webhooksToo: true,

  verify({ headers, body }, secret, now) {
    const sig = headers.get('x-zendesk-webhook-signature');
    const ts = headers.get('x-zendesk-webhook-signature-timestamp');
    if (!sig || !ts) return { ok: false, reason: 'unsigned: no Zendesk signature headers' };
    const at = Date.parse(ts);
    if (Number.isNaN(at)) return { ok: false, reason: 'the signature timestamp is not a time' };
    if (!equal(zendeskSignature(secret, ts, body), sig))
      return { ok: false, reason: 'bad signature (check the signing secret)' };
    if (Math.abs(now - at) > REPLAY_WINDOW_MS)
      return { ok: false, reason: `stale or replayed: signed at ${ts}` };
    return { ok: true };
  },

  parse({ body }, cfg) {
    const e = event.parse(JSON.parse(body));
    const deliveryId = e.id;
    if (!e.type.startsWith('zen:event-type:ticket.'))
      return { deliveryId, updates: [], kind: e.type };
    const d = detail.parse(e.detail);
    const at = Date.parse(e.time);
    const createdAt = Date.parse(d.created_at);
    const current = d.status;
    const changes: Change[] = [];
    const kind = e.type.slice('zen:event-type:'.length);
    if (kind === 'ticket.created')
      changes.push({
        type: 'created',
        id: `zd:${e.id}`,
        at: createdAt,
        status: statusName(current),
        category: STATUS[current]!,
        priority: PRIORITY[d.priority ?? 'normal']!,
      });
    else if (kind === 'ticket.status_changed') {
      const s = statusEvent.parse(e.event).current;
      changes.push({
        type: 'status',
        id: `zd:${e.id}`,
        at,
        status: statusName(s),
        category: STATUS[s]!,
      });
    } else if (kind === 'ticket.priority_changed') {
      const p = priorityEvent.parse(e.event).current ?? 'normal';
      changes.push({ type: 'priority', id: `zd:${e.id}`, at, priority: PRIORITY[p]! });
    } else if (kind === 'ticket.comment_added') {
      const c = comment.parse(e.event).comment;
      // The comment's id is what the agent's page shows (data-comment-id): seen both ways, one message.
      changes.push({
        type: 'message',
        id: c.id,
        at,
        author: c.author.is_staff ? 'agent' : 'customer',
        public: c.is_public,
      });
    }
    const update: TicketUpdate = {
      externalId: d.id,
      url: `https://${cfg.subdomain}.zendesk.com/agent/tickets/${d.id}`,
      fields: {
        ...(d.subject != null ? { subject: d.subject } : {}),
        status: statusName(current),
        statusCategory: STATUS[current]!,
        priority: PRIORITY[d.priority ?? 'normal']!,
        ...(d.requester_id != null ? { requester: `zendesk:user/${d.requester_id}` } : {}),
        ...(d.organization_id !== undefined
          ? { requesterOrg: d.organization_id === null ? null : `zendesk:org/${d.organization_id}` }
          : {}),
        ...(d.assignee_id !== undefined
          ? { assignee: d.assignee_id === null ? null : `zendesk:user/${d.assignee_id}` }
          : {}),
        ...(d.tags ? { tags: d.tags } : {}),
        createdAt,
      },
      changes,
      toolAt: at,
    };
    return { deliveryId, updates: [update], kind: e.type };
  },

  sample(cfg, now) {
    const time = new Date(now).toISOString();
    const body = JSON.stringify({
      account_id: 1,
      detail: {
        id: '1',
        subject: 'Deskwatch test event',
        status: 'OPEN',
        priority: 'NORMAL',
        created_at: time,
        updated_at: time,
      },
      event: { current: 'OPEN', previous: 'NEW' },
      id: `deskwatch-test-${now}`,
      subject: 'zen:ticket:1',
      time,
      type: 'zen:event-type:ticket.status_changed',
      zendesk_event_version: '2022-11-06',
    });
    void cfg;
    return {
      body,
      sign: (secret, t) => {
        const ts = new Date(t).toISOString();
        return new Headers({
          'content-type': 'application/json',
          'x-zendesk-webhook-signature-timestamp': ts,
          'x-zendesk-webhook-signature': zendeskSignature(secret, ts, body),
        });
      },
    };
  },
};
