import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Priority } from '@deskwatch/shared';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';

// GitHub issues: a repository or organisation webhook (Settings > Webhooks) with content type
// application/json and the events "Issues" and "Issue comments". Payloads as in
// docs.github.com/en/webhooks/webhook-events-and-payloads; fixtures in fixtures/github/.

const config = z.strictObject({
  /** Only issues of these repositories (`owner/name`) are taken; empty: any the hook sends. */
  repositories: z
    .array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'))
    .max(100)
    .default([]),
});
export type GithubConfig = z.infer<typeof config>;

/** Priority labels, as the extension's GitHub adapter reads them. */
const PRIORITY_LABELS: Record<string, Priority> = {
  'priority: critical': 'urgent',
  'priority: high': 'high',
  'priority: medium': 'normal',
  'priority: low': 'low',
  P0: 'urgent',
  P1: 'high',
  P2: 'normal',
  P3: 'low',
};
/** Who answers for the project; anyone else is the customer (the issue's reporter and others). */
const TEAM = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const user = z.looseObject({ login: z.string(), type: z.string().optional() });
const issue = z.looseObject({
  number: z.number().int(),
  html_url: z.url(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  user,
  labels: z.array(z.looseObject({ name: z.string() })).default([]),
  assignee: user.nullish(),
  created_at: instant,
  updated_at: instant,
  closed_at: instant.nullish(),
  pull_request: z.unknown().optional(),
});
const payload = z.looseObject({
  action: z.string(),
  issue: issue.optional(),
  comment: z
    .looseObject({
      id: z.number().int(),
      user,
      created_at: instant,
      author_association: z.string().optional(),
    })
    .optional(),
  repository: z.looseObject({ full_name: z.string() }),
});

/** `sha256=` + hex HMAC-SHA256 of the body, GitHub's X-Hub-Signature-256. */
export function githubSignature(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export const github: ConnectorTool<GithubConfig> = {
  id: 'github',
  name: 'GitHub issues',
  source: 'github',
  config,

  // GitHub signs no timestamp: a replay is stopped by the delivery id (each applies once).
  verify({ headers, body }, secret) {
    const sig = headers.get('x-hub-signature-256');
    if (!sig) return { ok: false, reason: 'unsigned: no X-Hub-Signature-256 header' };
    const want = Buffer.from(githubSignature(secret, body));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got))
      return { ok: false, reason: 'bad signature (check the webhook secret)' };
    if (!headers.get('x-github-delivery')) return { ok: false, reason: 'no X-GitHub-Delivery id' };
    return { ok: true };
  },

  parse({ headers, body }, cfg) {
    const deliveryId = headers.get('x-github-delivery')!;
    const event = headers.get('x-github-event') ?? '';
    const json: unknown = JSON.parse(body);
    // Other events (a ping when the hook is made, pushes...) are taken and left alone.
    if (event !== 'issues' && event !== 'issue_comment')
      return { deliveryId, updates: [], kind: event || 'unknown' };
    const p = payload.parse(json);
    const kind = `${event}.${p.action}`;
    const repo = p.repository.full_name;
    if (
      !p.issue ||
      p.issue.pull_request !== undefined ||
      (cfg.repositories.length > 0 && !cfg.repositories.includes(repo))
    )
      return { deliveryId, updates: [], kind };
    const i = p.issue;
    const priority =
      i.labels.map((l) => PRIORITY_LABELS[l.name]).find((x) => x !== undefined) ?? 'normal';
    const open = i.state === 'open';
    const at = Date.parse(i.updated_at);
    const changes: Change[] = [];
    const id = `gh:${deliveryId}`;
    if (event === 'issues' && p.action === 'opened')
      changes.push({
        type: 'created',
        id,
        at: Date.parse(i.created_at),
        status: 'Open',
        category: 'open',
        priority,
      });
    else if (event === 'issues' && p.action === 'closed')
      changes.push({
        type: 'status',
        id,
        at: Date.parse(i.closed_at ?? i.updated_at),
        status: 'Closed',
        category: 'solved',
      });
    else if (event === 'issues' && p.action === 'reopened')
      changes.push({ type: 'status', id, at, status: 'Open', category: 'open' });
    else if (event === 'issues' && (p.action === 'labeled' || p.action === 'unlabeled'))
      changes.push({ type: 'priority', id, at, priority });
    else if (event === 'issue_comment' && p.action === 'created' && p.comment) {
      const c = p.comment;
      changes.push({
        type: 'message',
        // The id the issue page carries for a comment (data-comment-id): seen both ways, one message.
        id: String(c.id),
        at: Date.parse(c.created_at),
        author:
          c.user.type === 'Bot'
            ? 'bot'
            : TEAM.has(c.author_association ?? '')
              ? 'agent'
              : 'customer',
        public: true,
      });
    }
    const update: TicketUpdate = {
      externalId: `${repo}/issues/${i.number}`,
      url: i.html_url,
      fields: {
        subject: i.title,
        status: open ? 'Open' : 'Closed',
        statusCategory: open ? 'open' : 'solved',
        priority,
        requester: i.user.login,
        assignee: i.assignee?.login ?? null,
        tags: i.labels.map((l) => l.name),
        createdAt: Date.parse(i.created_at),
      },
      changes,
      toolAt: changes[0]?.at ?? at,
    };
    return { deliveryId, updates: [update], kind };
  },

  sample(_cfg, now) {
    const time = new Date(now).toISOString();
    const body = JSON.stringify({
      zen: 'Deskwatch test event',
      hook_id: 1,
      repository: { full_name: 'deskwatch/test' },
      sender: { login: 'deskwatch' },
      time,
    });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': `deskwatch-test-${now}`,
          'x-hub-signature-256': githubSignature(secret, body),
        }),
    };
  },
};
