import { z } from 'zod';
import type { Priority, StatusCategory } from '@deskwatch/shared';
import { REPLAY_WINDOW_MS, type Change, type ConnectorTool, type TicketUpdate } from './types.js';
import { hmac, sameSecret, statusLabel, toolTime } from './vendor.js';

// Chatwoot: an account webhook (Settings > Integrations > Webhooks) with the events
// conversation created / status changed / updated and message created. Bodies as in
// chatwoot.com/hc/user-guide/articles/1677693021-how-to-use-webhooks and
// developers.chatwoot.com/api-reference/webhooks; fixtures in fixtures/chatwoot/. Chatwoot signs
// each delivery with the webhook's secret over `timestamp.body` (X-Chatwoot-Signature,
// X-Chatwoot-Timestamp), so stale deliveries are refused as replays.

const config = z.strictObject({
  /** Where agents open Chatwoot, e.g. https://app.chatwoot.com: conversation links point there. */
  baseUrl: z.url().regex(/^https?:\/\/[^/]+$/, 'the address only, e.g. https://app.chatwoot.com'),
});
export type ChatwootConfig = z.infer<typeof config>;

const STATUS: Record<string, StatusCategory> = {
  // "pending": the bot still has it, no person has taken it yet.
  pending: 'new',
  open: 'open',
  snoozed: 'on_hold',
  resolved: 'solved',
};
const PRIORITY: Record<string, Priority> = {
  urgent: 'urgent',
  high: 'high',
  medium: 'normal',
  low: 'low',
};

const status = z.enum(Object.keys(STATUS) as [string, ...string[]]);
const person = z
  .looseObject({ email: z.string().nullish(), type: z.string().optional() })
  .nullish();
const conversation = z.looseObject({
  id: z.number().int(),
  display_id: z.number().int().optional(),
  account_id: z.number().int().optional(),
  status,
  priority: z.string().nullish(),
  created_at: toolTime.optional(),
  updated_at: toolTime.optional(),
  timestamp: toolTime.optional(),
  labels: z.array(z.string()).optional(),
  meta: z.looseObject({ sender: person, assignee: person }).optional(),
});
const conversationEvent = conversation.extend({
  event: z.string(),
  account: z.looseObject({ id: z.number().int() }).optional(),
});
const messageEvent = z.looseObject({
  event: z.literal('message_created'),
  id: z.union([z.number().int(), z.string()]).transform(String),
  created_at: toolTime,
  message_type: z.string(),
  private: z.boolean().default(false),
  sender: person,
  conversation,
  account: z.looseObject({ id: z.number().int() }),
});

/** `sha256=` + hex HMAC-SHA256 of `timestamp.body`: Chatwoot's X-Chatwoot-Signature. */
export const chatwootSignature = (secret: string, timestamp: string, body: string) =>
  'sha256=' + hmac('sha256', secret, `${timestamp}.${body}`);

export const chatwoot: ConnectorTool<ChatwootConfig> = {
  id: 'chatwoot',
  name: 'Chatwoot',
  source: 'chatwoot',
  config,

  verify({ headers, body }, secret, now) {
    const sig = headers.get('x-chatwoot-signature');
    const ts = headers.get('x-chatwoot-timestamp');
    if (!sig || !ts) return { ok: false, reason: 'unsigned: no Chatwoot signature headers' };
    if (!/^\d{9,12}$/.test(ts))
      return { ok: false, reason: 'the signature timestamp is not a time' };
    if (!sameSecret(chatwootSignature(secret, ts, body), sig))
      return { ok: false, reason: 'bad signature (check the webhook secret)' };
    if (Math.abs(now - Number(ts) * 1000) > REPLAY_WINDOW_MS)
      return {
        ok: false,
        reason: `stale or replayed: signed at ${new Date(Number(ts) * 1000).toISOString()}`,
      };
    if (!headers.get('x-chatwoot-delivery'))
      return { ok: false, reason: 'no X-Chatwoot-Delivery id' };
    return { ok: true };
  },

  parse({ headers, body }, cfg) {
    const deliveryId = headers.get('x-chatwoot-delivery')!;
    const json = JSON.parse(body) as { event?: unknown };
    const kind = typeof json.event === 'string' ? json.event : 'unknown';
    let conv: z.infer<typeof conversation>;
    let accountId: number | undefined;
    const changes: Change[] = [];
    let at: number;
    if (kind === 'message_created') {
      const m = messageEvent.parse(json);
      conv = m.conversation;
      accountId = m.account.id;
      at = m.created_at;
      if (
        m.message_type === 'incoming' ||
        m.message_type === 'outgoing' ||
        m.message_type === 'template'
      )
        changes.push({
          type: 'message',
          // The message's id is what the conversation page carries (data-message-id).
          id: m.id,
          at: m.created_at,
          author:
            m.message_type === 'incoming'
              ? 'customer'
              : m.message_type === 'template' || m.sender?.type === 'agent_bot'
                ? 'bot'
                : 'agent',
          public: !m.private,
        });
      // A message's conversation may come without its creation time: the first message is it.
      conv = { ...conv, created_at: conv.created_at ?? m.created_at };
    } else if (kind.startsWith('conversation_')) {
      const c = conversationEvent.parse(json);
      conv = c;
      accountId = c.account?.id ?? c.account_id;
      at = c.updated_at ?? c.timestamp ?? c.created_at ?? Number.NaN;
      if (Number.isNaN(at)) throw new Error('conversation: no updated_at or timestamp');
    } else return { deliveryId, updates: [], kind };
    if (accountId === undefined) throw new Error('account: no account id');
    const displayId = conv.display_id ?? conv.id;
    const category = STATUS[conv.status]!;
    const statusName = statusLabel(conv.status);
    const priority = PRIORITY[conv.priority ?? ''] ?? 'normal';
    const createdAt = conv.created_at;
    if (kind === 'conversation_created' && createdAt !== undefined)
      changes.push({
        type: 'created',
        id: `cw:${accountId}:${displayId}:created`,
        at: createdAt,
        status: statusName,
        category,
        priority,
      });
    else if (kind.startsWith('conversation_')) {
      changes.push({
        type: 'status',
        id: `cw:${deliveryId}:status`,
        at,
        status: statusName,
        category,
      });
      changes.push({ type: 'priority', id: `cw:${deliveryId}:priority`, at, priority });
    }
    const update: TicketUpdate = {
      externalId: String(displayId),
      url: `${cfg.baseUrl}/app/accounts/${accountId}/conversations/${displayId}`,
      fields: {
        status: statusName,
        statusCategory: category,
        priority,
        ...(conv.meta?.sender?.email ? { requester: conv.meta.sender.email } : {}),
        ...(conv.meta ? { assignee: conv.meta.assignee?.email ?? null } : {}),
        ...(conv.labels ? { tags: conv.labels } : {}),
        ...(createdAt !== undefined ? { createdAt } : {}),
      },
      changes,
      toolAt: at,
    };
    return { deliveryId, updates: [update], kind };
  },

  sample(_cfg, now) {
    const s = Math.floor(now / 1000);
    const body = JSON.stringify({
      event: 'conversation_status_changed',
      id: 1,
      display_id: 1,
      account: { id: 1, name: 'Deskwatch test' },
      status: 'open',
      created_at: s,
      updated_at: s,
    });
    return {
      body,
      sign: (secret, t) => {
        const ts = String(Math.floor(t / 1000));
        return new Headers({
          'content-type': 'application/json',
          'x-chatwoot-delivery': `deskwatch-test-${now}`,
          'x-chatwoot-timestamp': ts,
          'x-chatwoot-signature': chatwootSignature(secret, ts, body),
        });
      },
    };
  },
};
