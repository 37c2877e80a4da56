import { z } from 'zod';
import type { Priority } from '@deskwatch/shared';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';
import { priorityFromName, sameSecret, toolTime } from './vendor.js';

// GitLab issues: a project or group webhook (Settings > Webhooks) with a secret token and the
// triggers "Issues events" and "Comments". Payloads as in docs.gitlab.com/user/project/
// integrations/webhook_events/ ("Issue events", "Comment events"); fixtures in fixtures/gitlab/.

const config = z.strictObject({
  /** Only issues of these projects (`group/project`); empty: any the hook sends. */
  projects: z
    .array(z.string().regex(/^[\w.-]+(?:\/[\w.-]+)+$/, 'group/project'))
    .max(100)
    .default([]),
});
export type GitlabConfig = z.infer<typeof config>;

/** Scoped priority labels (`priority::high`, `priority::1`) onto priorities. */
function priorityOf(labels: string[]): Priority {
  const scoped = labels.find((l) => /^priority::/i.test(l));
  if (!scoped) return 'normal';
  const v = scoped.slice('priority::'.length).trim();
  const byNumber: Record<string, Priority> = {
    '0': 'urgent',
    '1': 'urgent',
    '2': 'high',
    '3': 'normal',
    '4': 'low',
  };
  return byNumber[v] ?? priorityFromName(v);
}

const user = z.looseObject({ username: z.string() });
const label = z.looseObject({ title: z.string() });
const project = z.looseObject({ path_with_namespace: z.string() });
const issueAttrs = z.looseObject({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  state: z.enum(['opened', 'closed']),
  created_at: toolTime,
  updated_at: toolTime,
  closed_at: toolTime.nullish(),
  url: z.url(),
  author_id: z.number().int().optional(),
  action: z.string().optional(),
});
const issueHook = z.looseObject({
  object_kind: z.literal('issue'),
  user,
  project,
  object_attributes: issueAttrs,
  labels: z.array(label).default([]),
  assignees: z.array(user).default([]),
  changes: z.looseObject({ labels: z.unknown().optional() }).default({}),
});
const noteHook = z.looseObject({
  object_kind: z.literal('note'),
  user,
  project,
  object_attributes: z.looseObject({
    id: z.number().int(),
    noteable_type: z.string(),
    created_at: toolTime,
    author_id: z.number().int(),
    url: z.url(),
    internal: z.boolean().optional(),
    confidential: z.boolean().nullish(),
    system: z.boolean().optional(),
  }),
  issue: z
    .looseObject({
      iid: z.number().int(),
      title: z.string(),
      state: z.enum(['opened', 'closed']),
      created_at: toolTime,
      url: z.url().optional(),
      author_id: z.number().int(),
      labels: z.array(label).default([]),
    })
    .optional(),
});

const OPEN = { status: 'Open', category: 'open' } as const;
const CLOSED = { status: 'Closed', category: 'solved' } as const;

export const gitlab: ConnectorTool<GitlabConfig> = {
  id: 'gitlab',
  name: 'GitLab issues',
  source: 'gitlab',
  config,

  // GitLab sends the secret token itself (no signature, no timestamp): a replay is stopped by
  // the event's UUID, each applied once.
  verify({ headers }, secret) {
    const token = headers.get('x-gitlab-token');
    if (!token) return { ok: false, reason: 'unsigned: no X-Gitlab-Token header' };
    if (!sameSecret(token, secret))
      return { ok: false, reason: 'bad token (check the secret token)' };
    if (!headers.get('x-gitlab-event-uuid'))
      return { ok: false, reason: 'no X-Gitlab-Event-UUID (GitLab 15 or later sends it)' };
    return { ok: true };
  },

  parse({ headers, body }, cfg) {
    const deliveryId = headers.get('x-gitlab-event-uuid')!;
    const event = headers.get('x-gitlab-event') ?? '';
    const json = JSON.parse(body) as { object_kind?: unknown };
    const id = `gl:${deliveryId}`;
    const wanted = (path: string) => cfg.projects.length === 0 || cfg.projects.includes(path);
    if (json.object_kind === 'issue') {
      const p = issueHook.parse(json);
      const a = p.object_attributes;
      const kind = `issue.${a.action ?? 'unknown'}`;
      const path = p.project.path_with_namespace;
      if (!wanted(path)) return { deliveryId, updates: [], kind };
      const labels = p.labels.map((l) => l.title);
      const priority = priorityOf(labels);
      const now = a.state === 'opened' ? OPEN : CLOSED;
      const changes: Change[] = [];
      if (a.action === 'open')
        changes.push({ type: 'created', id, at: a.created_at, ...OPEN, priority });
      else if (a.action === 'close')
        changes.push({ type: 'status', id, at: a.closed_at ?? a.updated_at, ...CLOSED });
      else if (a.action === 'reopen')
        changes.push({ type: 'status', id, at: a.updated_at, ...OPEN });
      else if (a.action === 'update' && p.changes.labels !== undefined)
        changes.push({ type: 'priority', id, at: a.updated_at, priority });
      const update: TicketUpdate = {
        externalId: `${path}/-/issues/${a.iid}`,
        url: a.url,
        fields: {
          subject: a.title,
          status: now.status,
          statusCategory: now.category,
          priority,
          assignee: p.assignees[0]?.username ?? null,
          tags: labels,
          createdAt: a.created_at,
        },
        changes,
        toolAt: changes[0]?.at ?? a.updated_at,
      };
      return { deliveryId, updates: [update], kind };
    }
    if (json.object_kind === 'note') {
      const p = noteHook.parse(json);
      const n = p.object_attributes;
      const kind = `note.${n.noteable_type}`;
      const path = p.project.path_with_namespace;
      if (n.noteable_type !== 'Issue' || !p.issue || n.system || !wanted(path))
        return { deliveryId, updates: [], kind };
      const i = p.issue;
      const internal = n.internal === true || n.confidential === true;
      const update: TicketUpdate = {
        externalId: `${path}/-/issues/${i.iid}`,
        // The note's URL is the issue's with `#note_<id>`.
        url: i.url ?? n.url.replace(/#.*$/, ''),
        fields: { subject: i.title, createdAt: i.created_at },
        changes: [
          {
            type: 'message',
            // The note's id is what the issue page carries (data-note-id): seen both ways, one message.
            id: String(n.id),
            at: n.created_at,
            // GitLab says nothing of roles: the issue's author is the customer, others the team.
            author: n.author_id === i.author_id ? 'customer' : 'agent',
            public: !internal,
          },
        ],
        toolAt: n.created_at,
      };
      return { deliveryId, updates: [update], kind };
    }
    return { deliveryId, updates: [], kind: event || 'unknown' };
  },

  sample(_cfg, now) {
    const body = JSON.stringify({
      object_kind: 'issue',
      event_type: 'issue',
      user: { username: 'deskwatch' },
      project: { path_with_namespace: 'deskwatch/test' },
      object_attributes: {
        id: 1,
        iid: 1,
        title: 'Deskwatch test event',
        state: 'opened',
        action: 'update',
        created_at: new Date(now).toISOString(),
        updated_at: new Date(now).toISOString(),
        url: 'https://gitlab.example/deskwatch/test/-/issues/1',
      },
      labels: [],
      changes: {},
    });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          'x-gitlab-event': 'Issue Hook',
          'x-gitlab-event-uuid': `deskwatch-test-${now}`,
          'x-gitlab-token': secret,
        }),
    };
  },
};
