import { z } from 'zod';
import type { StatusCategory } from '@deskwatch/shared';
import { REPLAY_WINDOW_MS, type Change, type ConnectorTool, type TicketUpdate } from './types.js';
import { hmac, priorityFromName, sameSecret, toolTime } from './vendor.js';

// Jira Service Management (Cloud): a Jira webhook (Settings > System > WebHooks) with a secret,
// the events "Issue: created, updated" and "Comment: created", JQL limited to the service
// projects. Payloads as in developer.atlassian.com/cloud/jira/platform/webhooks/; fixtures in
// fixtures/jira-service-management/.

const config = z.strictObject({
  /** The site, e.g. https://acme.atlassian.net: issue links point there, as the extension's pages do. */
  site: z
    .url()
    .regex(/^https:\/\/[^/]+$/, 'the site address only, e.g. https://acme.atlassian.net'),
});
export type JiraConfig = z.infer<typeof config>;

/**
 * How old a signed delivery may be: Jira puts its time in the signed body and keeps it on
 * retries (which it spreads over minutes), so older than this counts as a replay.
 */
export const JIRA_MAX_AGE_MS = 60 * 60_000;

/** Jira's status categories (`new`, `indeterminate`, `done`), with JSM's waiting statuses. */
function categoryOf(name: string, key: string): StatusCategory {
  if (key === 'new') return 'new';
  if (key === 'done') return /closed|cancel|declined/i.test(name) ? 'closed' : 'solved';
  if (/waiting for (customer|reporter)|pending/i.test(name)) return 'pending_customer';
  if (/on hold|waiting for (approval|vendor|third party)/i.test(name)) return 'on_hold';
  return 'open';
}

const person = z.looseObject({
  accountId: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  accountType: z.string().optional(),
});
const issue = z.looseObject({
  id: z.string(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]+-\d+$/),
  fields: z.looseObject({
    summary: z.string(),
    status: z.looseObject({
      name: z.string(),
      statusCategory: z.looseObject({ key: z.string() }),
    }),
    priority: z.looseObject({ name: z.string() }).nullish(),
    created: toolTime,
    updated: toolTime.optional(),
    reporter: person.nullish(),
    assignee: person.nullish(),
    labels: z.array(z.string()).default([]),
  }),
});
const payload = z.looseObject({
  timestamp: z.number().int(),
  webhookEvent: z.string(),
  issue: issue.optional(),
  changelog: z
    .looseObject({
      id: z.string(),
      items: z.array(z.looseObject({ field: z.string(), toString: z.string().nullish() })),
    })
    .optional(),
  comment: z
    .looseObject({
      id: z.string(),
      author: person,
      created: toolTime,
      jsdPublic: z.boolean().optional(),
    })
    .optional(),
});

/** `sha256=` + hex HMAC-SHA256 of the body: Jira's X-Hub-Signature (the WebSub scheme). */
export const jiraSignature = (secret: string, body: string) =>
  'sha256=' + hmac('sha256', secret, body);

const who = (p: z.infer<typeof person> | null | undefined) =>
  p ? (p.emailAddress ?? (p.accountId ? `jira:user/${p.accountId}` : undefined)) : undefined;

export const jira: ConnectorTool<JiraConfig> = {
  id: 'jira-service-management',
  name: 'Jira Service Management',
  source: 'jira-service-management',
  config,

  verify({ headers, body }, secret, now) {
    const sig = headers.get('x-hub-signature');
    if (!sig)
      return { ok: false, reason: 'unsigned: no X-Hub-Signature (set a secret on the webhook)' };
    if (!sameSecret(jiraSignature(secret, body), sig))
      return { ok: false, reason: 'bad signature (check the webhook secret)' };
    if (!headers.get('x-atlassian-webhook-identifier'))
      return { ok: false, reason: 'no X-Atlassian-Webhook-Identifier' };
    // The time is inside the signed body: a replay cannot change it.
    let ts: unknown;
    try {
      ts = (JSON.parse(body) as { timestamp?: unknown }).timestamp;
    } catch {
      return { ok: true }; // signed but unreadable: quarantined by parse
    }
    if (typeof ts === 'number' && (ts > now + REPLAY_WINDOW_MS || ts < now - JIRA_MAX_AGE_MS))
      return { ok: false, reason: `stale or replayed: sent at ${new Date(ts).toISOString()}` };
    return { ok: true };
  },

  parse({ headers, body }, cfg) {
    const deliveryId = headers.get('x-atlassian-webhook-identifier')!;
    const p = payload.parse(JSON.parse(body));
    const kind = p.webhookEvent;
    if (!p.issue) return { deliveryId, updates: [], kind };
    const f = p.issue.fields;
    const key = p.issue.key;
    const status = f.status.name;
    const category = categoryOf(status, f.status.statusCategory.key);
    const priority = priorityFromName(f.priority?.name);
    const at = f.updated ?? p.timestamp;
    const changes: Change[] = [];
    if (kind === 'jira:issue_created')
      changes.push({
        type: 'created',
        id: `jira:${p.issue.id}:created`,
        at: f.created,
        status,
        category,
        priority,
      });
    else if (kind === 'jira:issue_updated' && p.changelog) {
      // The issue is as it is after the change: the item's new value is the issue's.
      for (const item of p.changelog.items) {
        if (item.field === 'status')
          changes.push({
            type: 'status',
            id: `jira:${p.changelog.id}:status`,
            at,
            status,
            category,
          });
        else if (item.field === 'priority')
          changes.push({ type: 'priority', id: `jira:${p.changelog.id}:priority`, at, priority });
      }
    } else if (kind === 'comment_created' && p.comment) {
      const c = p.comment;
      changes.push({
        type: 'message',
        // The comment's id is what the issue view carries (data-comment-id).
        id: c.id,
        at: c.created,
        author:
          c.author.accountType === 'customer'
            ? 'customer'
            : c.author.accountType === 'app'
              ? 'bot'
              : 'agent',
        public: c.jsdPublic ?? true,
      });
    }
    const update: TicketUpdate = {
      externalId: key,
      url: `${cfg.site}/browse/${key}`,
      fields: {
        subject: f.summary,
        status,
        statusCategory: category,
        priority,
        ...(who(f.reporter) !== undefined ? { requester: who(f.reporter)! } : {}),
        assignee: who(f.assignee) ?? null,
        tags: f.labels,
        createdAt: f.created,
      },
      changes,
      toolAt: changes[0]?.at ?? at,
    };
    return { deliveryId, updates: [update], kind };
  },

  sample(cfg, now) {
    const time = new Date(now).toISOString();
    const body = JSON.stringify({
      timestamp: now,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      issue: {
        id: '1',
        key: 'TEST-1',
        self: `${cfg.site}/rest/api/2/issue/1`,
        fields: {
          summary: 'Deskwatch test event',
          status: { name: 'Open', statusCategory: { key: 'new' } },
          priority: { name: 'Medium' },
          created: time,
          updated: time,
          labels: [],
        },
      },
    });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          'x-atlassian-webhook-identifier': `deskwatch-test-${now}`,
          'x-hub-signature': jiraSignature(secret, body),
        }),
    };
  },
};
