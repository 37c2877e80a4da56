import { z } from 'zod';
import {
  customerRule,
  priority as priorityEnum,
  statusCategory,
  type Priority,
  type StatusCategory,
} from '@deskwatch/shared';
import { noWebhooks, type PollContext, type PolledTicket, type PollSource } from './poll-source.js';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';

// Redmine (5.x REST API, www.redmine.org/projects/redmine/wiki/Rest_api): no webhooks, so it is
// polled with an API key (X-Redmine-API-Key): GET /issues.json for which issues changed, then
// /issues/<id>.json?include=journals for each one's history (the list cannot include journals).

const config = z.strictObject({
  /** Where Redmine answers, e.g. https://redmine.example.org (issue links point there too). */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .transform((u) => u.replace(/\/+$/, '')),
  /** Closed issues are read back this many days on connect (all open ones are). */
  backfillDays: z.number().int().min(0).max(3650).default(30),
  /** How often Redmine is asked for changes once caught up. */
  pollSeconds: z.number().int().min(10).max(86_400).default(60),
  /** Status names (lower case) onto categories, for custom statuses; others: closed if Redmine says so, else open. */
  statuses: z.record(z.string().max(100), statusCategory).default({}),
  /** Priority names (lower case) onto ours; others: normal. */
  priorities: z.record(z.string().max(100), priorityEnum).default({}),
});
export type RedmineConfig = z.infer<typeof config>;

/** Redmine's default statuses and priorities, as the page adapter maps them. */
const STATUS: Record<string, StatusCategory> = {
  new: 'new',
  'in progress': 'open',
  feedback: 'pending_customer',
  resolved: 'solved',
  closed: 'closed',
  rejected: 'closed',
};
const PRIORITY: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
  immediate: 'urgent',
};

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const named = z.looseObject({ id: z.number().int(), name: z.string().max(500) });
const statuses = z.looseObject({
  issue_statuses: z.array(named.extend({ is_closed: z.boolean().optional() })),
});
const priorities = z.looseObject({ issue_priorities: z.array(named) });
const list = z.looseObject({
  issues: z.array(z.looseObject({ id: z.number().int(), updated_on: instant })),
  total_count: z.number().int(),
});
const issue = z.looseObject({
  id: z.number().int(),
  subject: z.string(),
  status: named,
  priority: named,
  author: named,
  assigned_to: named.nullish(),
  created_on: instant,
  updated_on: instant,
  journals: z
    .array(
      z.looseObject({
        id: z.number().int(),
        user: named.nullish(),
        notes: z.string().nullish(),
        private_notes: z.boolean().optional(),
        created_on: instant,
        details: z
          .array(
            z.looseObject({
              property: z.string(),
              name: z.string(),
              old_value: z.string().nullish(),
              new_value: z.string().nullish(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});
type Issue = z.infer<typeof issue>;

/** Where a Redmine poll stands: backfilling open, then recently closed issues by id; then changes since an instant. */
const cursor = z.discriminatedUnion('phase', [
  z.object({
    phase: z.enum(['open', 'closed']),
    afterId: z.number().int(),
    startedAt: z.number(),
    done: z.number().int(),
    openTotal: z.number().int().nullable(),
    closedTotal: z.number().int().nullable(),
  }),
  z.object({
    phase: z.literal('incremental'),
    /** Redmine's `updated_on` of the newest issue read. */
    since: z.string(),
    /** Issues at exactly `since` already read (several can share a second). */
    skip: z.number().int(),
    done: z.number().int(),
    total: z.number().int(),
  }),
]);
type Cursor = z.infer<typeof cursor>;

const PAGE = 100;
/** Issue histories read at once. */
const PARALLEL = 4;
/** Redmine filters by the second: `2026-03-27T09:00:00Z`. */
const redmineTime = (ms: number) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z');

interface Lookups {
  status: Map<string, { name: string; category: StatusCategory }>;
  priority: Map<string, Priority>;
}

/** The issue as a ticket update: its creation, each status and priority change, each note. */
export function issueUpdate(
  i: Issue,
  cfg: RedmineConfig,
  lookups: Lookups,
  agents: readonly string[],
): TicketUpdate {
  const statusOf = (id: string | null | undefined) => (id ? lookups.status.get(id) : undefined);
  const current = statusOf(String(i.status.id)) ?? {
    name: i.status.name,
    category: 'open' as const,
  };
  const currentPriority = lookups.priority.get(String(i.priority.id)) ?? 'normal';
  const detail = (name: string) =>
    i.journals.flatMap((j) => j.details.filter((d) => d.property === 'attr' && d.name === name));
  const initialStatus = statusOf(detail('status_id')[0]?.old_value) ?? current;
  const firstPriority = detail('priority_id')[0]?.old_value;
  const initialPriority = firstPriority
    ? (lookups.priority.get(firstPriority) ?? 'normal')
    : currentPriority;
  const createdAt = Date.parse(i.created_on);
  const isCustomer = customerRule('not-agent', { name: i.author.name }, agents);
  // Ids as the issue page's journals give them (`change-<journal id>`): seen both ways, one event.
  const changes: Change[] = [
    {
      type: 'created',
      id: `issue-${i.id}`,
      at: createdAt,
      status: initialStatus.name,
      category: initialStatus.category,
      priority: initialPriority,
      asPages: true,
    },
  ];
  for (const j of i.journals) {
    const at = Date.parse(j.created_on);
    for (const d of j.details) {
      if (d.property !== 'attr') continue;
      if (d.name === 'status_id') {
        const s = statusOf(d.new_value);
        if (s)
          changes.push({
            type: 'status',
            id: `change-${j.id}:status`,
            at,
            status: s.name,
            category: s.category,
          });
      } else if (d.name === 'priority_id' && d.new_value) {
        changes.push({
          type: 'priority',
          id: `change-${j.id}:priority`,
          at,
          priority: lookups.priority.get(d.new_value) ?? 'normal',
        });
      }
    }
    if (j.notes?.trim())
      changes.push({
        type: 'message',
        id: `change-${j.id}`,
        at,
        author: isCustomer(j.user?.name ?? null) || !j.user ? 'customer' : 'agent',
        public: !j.private_notes,
      });
  }
  return {
    externalId: String(i.id),
    url: `${cfg.baseUrl}/issues/${i.id}`,
    fields: {
      subject: i.subject,
      status: current.name,
      statusCategory: current.category,
      priority: currentPriority,
      requester: i.author.name,
      assignee: i.assigned_to?.name ?? null,
      createdAt,
    },
    changes,
    toolAt: Date.parse(i.updated_on),
  };
}

async function lookups(ctx: PollContext<RedmineConfig>, headers: Record<string, string>) {
  const base = ctx.config.baseUrl;
  const [s, p] = await Promise.all([
    ctx.get(`${base}/issue_statuses.json`, headers).then((b) => statuses.parse(b)),
    ctx.get(`${base}/enumerations/issue_priorities.json`, headers).then((b) => priorities.parse(b)),
  ]);
  const out: Lookups = { status: new Map(), priority: new Map() };
  for (const x of s.issue_statuses) {
    const name = x.name.toLowerCase();
    const category =
      ctx.config.statuses[name] ?? STATUS[name] ?? (x.is_closed ? 'closed' : ('open' as const));
    out.status.set(String(x.id), { name: x.name, category });
  }
  for (const x of p.issue_priorities) {
    const name = x.name.toLowerCase();
    out.priority.set(String(x.id), ctx.config.priorities[name] ?? PRIORITY[name] ?? 'normal');
  }
  return out;
}

/** Reads each listed issue with its journals, a few at a time, in list order. */
async function histories(
  ctx: PollContext<RedmineConfig>,
  headers: Record<string, string>,
  ids: number[],
): Promise<Issue[]> {
  const out: Issue[] = new Array<Issue>(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const k = next++;
      const body = await ctx.get(
        `${ctx.config.baseUrl}/issues/${ids[k]}.json?include=journals`,
        headers,
      );
      out[k] = issue.parse((body as { issue?: unknown }).issue);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  return out;
}

const redminePoll: PollSource<RedmineConfig> = {
  start: (_cfg, now) => ({
    phase: 'open',
    afterId: 0,
    startedAt: now,
    done: 0,
    openTotal: null,
    closedTotal: null,
  }),
  intervalMs: (cfg) => cfg.pollSeconds * 1000,

  async page(ctx, raw) {
    const c: Cursor = cursor.parse(raw);
    const headers = { 'x-redmine-api-key': ctx.token };
    const base = ctx.config.baseUrl;
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (c.phase === 'incremental') {
      q.set('status_id', '*');
      q.set('updated_on', `>=${c.since}`);
      q.set('sort', 'updated_on,id');
      q.set('offset', String(c.skip));
    } else {
      q.set('status_id', c.phase === 'open' ? 'open' : 'closed');
      q.set('issue_id', `>=${c.afterId + 1}`);
      q.set('sort', 'id');
      if (c.phase === 'closed')
        q.set('closed_on', `>=${redmineTime(c.startedAt - ctx.config.backfillDays * 86_400_000)}`);
    }
    const found = list.parse(await ctx.get(`${base}/issues.json?${q}`, headers));
    const ids = found.issues.map((i) => i.id);
    const read = ids.length ? await histories(ctx, headers, ids) : [];
    const look = read.length ? await lookups(ctx, headers) : null;
    const tickets: PolledTicket[] = read.map((i) => ({
      deliveryId: `issue-${i.id}@${i.updated_on}`,
      update: issueUpdate(i, ctx.config, look!, ctx.agents),
    }));
    const done = c.done + tickets.length;
    const more = found.issues.length === PAGE;
    if (c.phase === 'incremental') {
      const last = found.issues.at(-1);
      const since = last ? last.updated_on : c.since;
      const atSince = found.issues.filter((i) => i.updated_on === since).length;
      return {
        tickets,
        more,
        cursor: {
          ...c,
          since,
          skip: since === c.since ? c.skip + atSince : atSince,
          done,
        } satisfies Cursor,
      };
    }
    const totals = {
      openTotal: c.phase === 'open' ? found.total_count : c.openTotal,
      closedTotal: c.phase === 'closed' ? found.total_count : c.closedTotal,
    };
    // Known in part while the open issues are read: the closed ones' count comes with their phase.
    const total = (totals.openTotal ?? 0) + (totals.closedTotal ?? 0);
    const afterId = ids.at(-1) ?? c.afterId;
    const next: Cursor = more
      ? { ...c, ...totals, afterId, done }
      : c.phase === 'open'
        ? { ...c, ...totals, phase: 'closed', afterId: 0, done }
        : // Changes made while the backfill ran are read again from its start.
          { phase: 'incremental', since: redmineTime(c.startedAt), skip: 0, done, total };
    return {
      tickets,
      // The open phase's end goes straight on to the closed one.
      more: more || c.phase === 'open',
      cursor: next,
      progress: {
        phase: next.phase === 'incremental' ? 'done' : next.phase,
        done,
        total: next.phase === 'incremental' ? done : total,
      },
    };
  },
};

export const redmine: ConnectorTool<RedmineConfig> = {
  id: 'redmine',
  name: 'Redmine',
  source: 'redmine',
  config: config as unknown as z.ZodType<RedmineConfig>,
  ...noWebhooks<RedmineConfig>('Redmine'),
  poll: redminePoll,
};
