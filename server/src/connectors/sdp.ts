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

// ManageEngine ServiceDesk Plus, API v3 (www.manageengine.com/products/service-desk/sdpod-v3-api/):
// GET /api/v3/requests?input_data={"list_info":{...}} (row_count, start_index, sort_field,
// search_criteria; the answer's list_info.has_more_rows says when to stop), then for each request
// its notes (/requests/<id>/notes) and its history of field changes (/requests/<id>/history).
// Times are epoch milliseconds as strings (`{ "value": "1711530000000", "display_value": ... }`).

const config = z.strictObject({
  /** e.g. https://sdp.example.org (on-premises) or https://sdpondemand.manageengine.com. */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .transform((u) => u.replace(/\/+$/, '')),
  /** `authtoken`: an on-premises technician key; `oauth`: a Zoho OAuth token (cloud). */
  auth: z.enum(['authtoken', 'oauth']).default('authtoken'),
  backfillDays: z.number().int().min(0).max(3650).default(30),
  pollSeconds: z.number().int().min(10).max(86_400).default(60),
  statuses: z.record(z.string().max(100), statusCategory).default({}),
  priorities: z.record(z.string().max(100), priorityEnum).default({}),
});
export type SdpConfig = z.infer<typeof config>;

/** ServiceDesk Plus's default statuses and priorities. */
const STATUS: Record<string, StatusCategory> = {
  open: 'open',
  assigned: 'open',
  'in progress': 'open',
  'on hold': 'on_hold',
  resolved: 'solved',
  closed: 'closed',
  canceled: 'closed',
  cancelled: 'closed',
};
const CLOSED = ['Resolved', 'Closed', 'Canceled', 'Cancelled'];
const PRIORITY: Record<string, Priority> = {
  low: 'low',
  medium: 'normal',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
};

const ms = z.looseObject({ value: z.string().regex(/^\d{1,15}$/) });
const named = z.looseObject({ name: z.string().max(500) });
const request = z.looseObject({
  id: z.string().regex(/^\d{1,20}$/),
  subject: z.string().max(1000),
  status: named,
  priority: named.nullish(),
  requester: named.extend({ email_id: z.string().max(254).nullish() }),
  technician: named.nullish(),
  created_time: ms,
  last_updated_time: ms,
});
type Request = z.infer<typeof request>;
const listAnswer = z.looseObject({
  requests: z.array(request),
  list_info: z.looseObject({ has_more_rows: z.boolean() }),
});
const notes = z.looseObject({
  notes: z.array(
    z.looseObject({
      id: z.string(),
      show_to_requester: z.boolean(),
      created_time: ms,
      created_by: named.extend({ email_id: z.string().max(254).nullish() }),
    }),
  ),
});
const change = z.looseObject({
  previous: named.nullish(),
  current: named.nullish(),
});
const history = z.looseObject({
  history: z.array(
    z.looseObject({
      id: z.string(),
      time: ms,
      diff: z.looseObject({ status: change.optional(), priority: change.optional() }).nullish(),
    }),
  ),
});

const cursor = z.discriminatedUnion('phase', [
  z.object({
    phase: z.enum(['open', 'closed']),
    start: z.number().int(),
    startedAt: z.number(),
    done: z.number().int(),
  }),
  z.object({
    phase: z.literal('incremental'),
    since: z.number(),
    skip: z.number().int(),
    done: z.number().int(),
  }),
]);
type Cursor = z.infer<typeof cursor>;
const PAGE = 100;

/** A request with its notes and history as a ticket update. */
export function requestUpdate(
  r: Request,
  cfg: SdpConfig,
  n: z.infer<typeof notes>['notes'],
  h: z.infer<typeof history>['history'],
  agents: readonly string[],
): TicketUpdate {
  const statusOf = (name: string) => {
    const k = name.toLowerCase();
    return {
      name,
      category: cfg.statuses[k] ?? STATUS[k] ?? ('open' as const),
    };
  };
  const priorityOf = (name: string | undefined) =>
    name
      ? (cfg.priorities[name.toLowerCase()] ?? PRIORITY[name.toLowerCase()] ?? 'normal')
      : 'normal';
  const statusChanges = h.filter((x) => x.diff?.status?.current);
  const priorityChanges = h.filter((x) => x.diff?.priority?.current);
  const initialStatus = statusOf(statusChanges[0]?.diff?.status?.previous?.name ?? r.status.name);
  const initialPriority = priorityOf(
    priorityChanges[0]?.diff?.priority?.previous?.name ?? r.priority?.name,
  );
  const createdAt = Number(r.created_time.value);
  const isCustomer = customerRule(
    'not-agent',
    { name: r.requester.name, email: r.requester.email_id ?? null },
    agents,
  );
  const changes: Change[] = [
    {
      type: 'created',
      id: `sdp:${r.id}`,
      at: createdAt,
      status: initialStatus.name,
      category: initialStatus.category,
      priority: initialPriority,
    },
  ];
  for (const x of statusChanges) {
    const s = statusOf(x.diff!.status!.current!.name);
    changes.push({
      type: 'status',
      id: `sdp:${x.id}:status`,
      at: Number(x.time.value),
      status: s.name,
      category: s.category,
    });
  }
  for (const x of priorityChanges)
    changes.push({
      type: 'priority',
      id: `sdp:${x.id}:priority`,
      at: Number(x.time.value),
      priority: priorityOf(x.diff!.priority!.current!.name),
    });
  for (const note of n) {
    // Name and e-mail together: either on the agent list makes the author an agent.
    const e = note.created_by.email_id;
    const by = e ? `${note.created_by.name} <${e}>` : note.created_by.name;
    changes.push({
      type: 'message',
      id: `sdp:note:${note.id}`,
      at: Number(note.created_time.value),
      author: isCustomer(by) ? 'customer' : 'agent',
      public: note.show_to_requester,
    });
  }
  const current = statusOf(r.status.name);
  return {
    externalId: r.id,
    url: `${cfg.baseUrl}/ui/requests/${r.id}/details`,
    fields: {
      subject: r.subject,
      status: current.name,
      statusCategory: current.category,
      priority: priorityOf(r.priority?.name),
      requester: r.requester.name,
      assignee: r.technician?.name ?? null,
      createdAt,
    },
    changes,
    toolAt: Number(r.last_updated_time.value),
  };
}

async function withHistory(
  ctx: PollContext<SdpConfig>,
  headers: Record<string, string>,
  list: Request[],
): Promise<PolledTicket[]> {
  const out: PolledTicket[] = [];
  const base = `${ctx.config.baseUrl}/api/v3/requests`;
  for (const r of list) {
    const [n, h] = await Promise.all([
      ctx.get(`${base}/${r.id}/notes`, headers).then((b) => notes.parse(b).notes),
      ctx.get(`${base}/${r.id}/history`, headers).then((b) => history.parse(b).history),
    ]);
    out.push({
      deliveryId: `${r.id}@${r.last_updated_time.value}`,
      update: requestUpdate(r, ctx.config, n, h, ctx.agents),
    });
  }
  return out;
}

const sdpPoll: PollSource<SdpConfig> = {
  start: (_cfg, now) => ({ phase: 'open', start: 1, startedAt: now, done: 0 }),
  intervalMs: (cfg) => cfg.pollSeconds * 1000,

  async page(ctx, raw) {
    const c: Cursor = cursor.parse(raw);
    const headers: Record<string, string> = {
      accept: 'application/vnd.manageengine.sdp.v3+json',
      ...(ctx.config.auth === 'oauth'
        ? { authorization: `Zoho-oauthtoken ${ctx.token}` }
        : { authtoken: ctx.token }),
    };
    const since = (t: number) => ({
      field: 'last_updated_time',
      condition: 'greater or equal',
      value: String(t),
    });
    const listInfo =
      c.phase === 'incremental'
        ? {
            row_count: PAGE,
            start_index: c.skip + 1,
            sort_field: 'last_updated_time',
            sort_order: 'asc',
            search_criteria: [since(c.since)],
          }
        : {
            row_count: PAGE,
            start_index: c.start,
            sort_field: 'id',
            sort_order: 'asc',
            search_criteria: [
              {
                field: 'status.name',
                condition: c.phase === 'open' ? 'is not' : 'is',
                values: CLOSED,
              },
              ...(c.phase === 'closed'
                ? [
                    {
                      ...since(c.startedAt - ctx.config.backfillDays * 86_400_000),
                      logical_operator: 'AND',
                    },
                  ]
                : []),
            ],
          };
    const q = encodeURIComponent(JSON.stringify({ list_info: listInfo }));
    const found = listAnswer.parse(
      await ctx.get(`${ctx.config.baseUrl}/api/v3/requests?input_data=${q}`, headers),
    );
    const tickets = await withHistory(ctx, headers, found.requests);
    const done = c.done + tickets.length;
    const more = found.list_info.has_more_rows;
    if (c.phase === 'incremental') {
      const last = found.requests.at(-1);
      const at = last ? Number(last.last_updated_time.value) : c.since;
      const atLast = found.requests.filter((r) => Number(r.last_updated_time.value) === at).length;
      return {
        tickets,
        more,
        cursor: {
          ...c,
          since: at,
          skip: at === c.since ? c.skip + atLast : atLast,
          done,
        },
      };
    }
    // Start indexes shift when a request closes mid-backfill; the incremental phase reads every
    // change since the backfill started, so what a shift skipped is read there.
    const next: Cursor = more
      ? { ...c, start: c.start + found.requests.length, done }
      : c.phase === 'open'
        ? { ...c, phase: 'closed', start: 1, done }
        : { phase: 'incremental', since: c.startedAt, skip: 0, done };
    return {
      tickets,
      more: more || c.phase === 'open',
      cursor: next,
      progress: {
        phase: next.phase === 'incremental' ? 'done' : next.phase,
        done,
        total: next.phase === 'incremental' ? done : null,
      },
    };
  },
};

export const sdp: ConnectorTool<SdpConfig> = {
  id: 'sdp',
  name: 'ServiceDesk Plus',
  source: 'servicedesk-plus',
  config: config as unknown as z.ZodType<SdpConfig>,
  ...noWebhooks<SdpConfig>('ServiceDesk Plus'),
  poll: sdpPoll,
};
