import { z } from 'zod';
import {
  connectorApiEmail,
  connectorBackfillDays,
  type Priority,
  type StatusCategory,
} from '@deskwatch/shared';
import {
  PollHttpError,
  type PollContext,
  type PolledTicket,
  type PollSource,
} from './poll-source.js';
import type { Change, TicketUpdate } from './types.js';

// Zendesk's API for the backfill and what webhooks missed (fixtures and their sources:
// src/connectors/fixtures/zendesk-export/README.md):
// - Incremental ticket export, cursor-based: GET /api/v2/incremental/tickets/cursor.json with
//   `start_time` (Unix seconds) the first time, then `cursor=<after_cursor>`; `per_page` up to
//   1000; `exclude_deleted=true`. The answer: { tickets, after_cursor, after_url, end_of_stream }.
//   The after_cursor of an answer with end_of_stream true is where the next poll starts.
//   These endpoints allow 10 requests a minute: a 429 says how long with Retry-After.
// - Each ticket's history: GET /api/v2/tickets/{id}/audits.json?include=users (cursor pages:
//   page[size], meta.has_more, links.next); events Create and Change (field_name status,
//   priority, with value), Comment (id = the comment's id, public, author_id). Sideloaded users
//   say who is staff (role agent or admin); without them, only the requester counts as customer.

/** Zendesk's ticket statuses onto categories (webhook payloads have them upper-case). */
export const STATUS: Record<string, StatusCategory> = {
  new: 'new',
  open: 'open',
  pending: 'pending_customer',
  hold: 'on_hold',
  solved: 'solved',
  closed: 'closed',
};
export const PRIORITY: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
};
export const statusName = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

/** The settings the export reads (beside the webhook's `subdomain`). */
export interface ZendeskExportConfig {
  subdomain: string;
  /** The agent whose API token the connector holds (`{email}/token` in Basic auth). */
  apiEmail?: string | undefined;
  /** `token` (default): an API token with `apiEmail`; `oauth`: an OAuth access token (scope `read`). */
  auth?: 'token' | 'oauth' | undefined;
  /** Closed and solved tickets older than this are left out of the backfill (default 30). */
  backfillDays?: number | undefined;
  pollSeconds?: number | undefined;
  /** Instead of https://<subdomain>.zendesk.com: a proxy, or a local stand-in in tests. */
  apiBaseUrl?: string | undefined;
}
export const exportConfig = {
  apiEmail: connectorApiEmail.optional(),
  auth: z.enum(['token', 'oauth']).optional(),
  backfillDays: connectorBackfillDays.optional(),
  pollSeconds: z.number().int().min(10).max(86_400).optional(),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
};

const id = z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const ticket = z.looseObject({
  id,
  subject: z.string().nullish(),
  status: z.string().max(32),
  priority: z.string().max(32).nullish(),
  requester_id: id.nullish(),
  assignee_id: id.nullish(),
  organization_id: id.nullish(),
  tags: z.array(z.string()).nullish(),
  created_at: instant,
  updated_at: instant,
});
type Ticket = z.infer<typeof ticket>;
const exportAnswer = z.looseObject({
  tickets: z.array(ticket),
  after_cursor: z.string().max(2000).nullable(),
  end_of_stream: z.boolean(),
});
const event = z.looseObject({
  id,
  type: z.string(),
  field_name: z.string().nullish(),
  value: z.unknown().optional(),
  public: z.boolean().optional(),
  author_id: id.nullish(),
});
const auditsAnswer = z.looseObject({
  audits: z.array(
    z.looseObject({ id, created_at: instant, author_id: id.nullish(), events: z.array(event) }),
  ),
  users: z.array(z.looseObject({ id, role: z.string() })).optional(),
  meta: z.looseObject({ has_more: z.boolean() }).optional(),
  links: z.looseObject({ next: z.string().nullish() }).optional(),
});
type Audit = z.infer<typeof auditsAnswer>['audits'][number];

const cursor = z.object({
  /** The export's cursor; null: the first request, from `start_time` 0. */
  after: z.string().nullable(),
  /** Until the first end of stream, the backfill; then the incremental phase. */
  backfill: z.boolean(),
  startedAt: z.number(),
  done: z.number().int(),
});
/** Tickets per export page: the endpoint's most, as it allows only 10 requests a minute. */
export const EXPORT_PAGE = 1000;
/** Audit pages read for one ticket at most (100 audits each). */
const MAX_AUDIT_PAGES = 20;

const categoryOf = (s: string) => STATUS[s.toLowerCase()];
const priorityOf = (p: unknown) =>
  PRIORITY[typeof p === 'string' ? p.toLowerCase() : 'normal'] ?? 'normal';

/**
 * A ticket from the export with its audits as a ticket update: its creation with the status and
 * priority it was created with, every status and priority change and every comment, at the
 * audit's time. A comment's id is the one the agent's page and the webhook carry.
 */
export function exportedUpdate(
  t: Ticket,
  audits: Audit[],
  staff: ReadonlySet<string>,
  baseUrl: string,
): TicketUpdate {
  const createdAt = Date.parse(t.created_at);
  const current = t.status.toLowerCase();
  const changes: Change[] = [];
  let initial = { status: current, priority: priorityOf(t.priority) };
  const first = audits.find((a) => a.events.some((e) => e.type === 'Create'));
  if (first) {
    const set = (f: string) => first.events.find((e) => e.type === 'Create' && e.field_name === f);
    const s = set('status')?.value;
    initial = {
      status: typeof s === 'string' && categoryOf(s) ? s.toLowerCase() : 'new',
      priority: priorityOf(set('priority')?.value),
    };
  }
  changes.push({
    type: 'created',
    id: `zd:ticket:${t.id}`,
    at: createdAt,
    status: statusName(initial.status),
    category: categoryOf(initial.status)!,
    priority: initial.priority,
  });
  for (const a of audits) {
    const at = Date.parse(a.created_at);
    for (const e of a.events) {
      if (e.type === 'Change' && e.field_name === 'status' && typeof e.value === 'string') {
        const category = categoryOf(e.value);
        if (category)
          changes.push({
            type: 'status',
            id: `zd:${e.id}`,
            at,
            status: statusName(e.value),
            category,
          });
      } else if (e.type === 'Change' && e.field_name === 'priority') {
        changes.push({ type: 'priority', id: `zd:${e.id}`, at, priority: priorityOf(e.value) });
      } else if (e.type === 'Comment') {
        const author = e.author_id ?? a.author_id ?? null;
        const agent =
          author !== null && (staff.size ? staff.has(author) : author !== t.requester_id);
        changes.push({
          type: 'message',
          id: e.id,
          at,
          author: agent ? 'agent' : 'customer',
          public: e.public ?? true,
        });
      }
    }
  }
  return {
    externalId: t.id,
    url: `${baseUrl}/agent/tickets/${t.id}`,
    fields: {
      ...(t.subject != null ? { subject: t.subject } : {}),
      status: statusName(current),
      statusCategory: categoryOf(current) ?? 'open',
      priority: priorityOf(t.priority),
      ...(t.requester_id != null ? { requester: `zendesk:user/${t.requester_id}` } : {}),
      requesterOrg: t.organization_id == null ? null : `zendesk:org/${t.organization_id}`,
      assignee: t.assignee_id == null ? null : `zendesk:user/${t.assignee_id}`,
      ...(t.tags ? { tags: t.tags } : {}),
      createdAt,
    },
    changes,
    toolAt: Date.parse(t.updated_at),
  };
}

function headersOf(ctx: PollContext<ZendeskExportConfig>): Record<string, string> {
  if (ctx.config.auth === 'oauth') return { authorization: `Bearer ${ctx.token}` };
  if (!ctx.config.apiEmail)
    throw new PollHttpError('set apiEmail: the agent whose API token this is');
  const basic = Buffer.from(`${ctx.config.apiEmail}/token:${ctx.token}`).toString('base64');
  return { authorization: `Basic ${basic}` };
}

/** Every audit of a ticket, following the cursor pages; and who of their authors is staff. */
async function auditsOf(ctx: PollContext<ZendeskExportConfig>, base: string, ticketId: string) {
  const headers = headersOf(ctx);
  const audits: Audit[] = [];
  const staff = new Set<string>();
  let url: string | null =
    `${base}/api/v2/tickets/${ticketId}/audits.json?include=users&page[size]=100`;
  for (let i = 0; url && i < MAX_AUDIT_PAGES; i++) {
    const a = auditsAnswer.parse(await ctx.get(url, headers));
    audits.push(...a.audits);
    for (const u of a.users ?? []) if (u.role !== 'end-user') staff.add(u.id);
    const next = a.meta?.has_more ? (a.links?.next ?? null) : null;
    // Only ever follow links to the same host as the API itself.
    url = next && new URL(next).origin === new URL(base).origin ? next : null;
  }
  return { audits, staff };
}

/**
 * Zendesk read through its incremental export: from the start of the account's tickets, keeping
 * those open and those closed or solved within `backfillDays`, each with its audits; then every
 * change after the export's cursor. A page's tickets are taken in together (`ingestPage`).
 */
export const zendeskExport: PollSource<ZendeskExportConfig> = {
  start: (_cfg, now) => ({ after: null, backfill: true, startedAt: now, done: 0 }),
  intervalMs: (cfg) => (cfg.pollSeconds ?? 60) * 1000,

  async page(ctx, raw) {
    const c = cursor.parse(raw);
    const base = ctx.config.apiBaseUrl ?? `https://${ctx.config.subdomain}.zendesk.com`;
    const link = `https://${ctx.config.subdomain}.zendesk.com`;
    const q = c.after ? `cursor=${encodeURIComponent(c.after)}` : `start_time=0`;
    const found = exportAnswer.parse(
      await ctx.get(
        `${base}/api/v2/incremental/tickets/cursor.json?${q}&per_page=${EXPORT_PAGE}&exclude_deleted=true`,
        headersOf(ctx),
      ),
    );
    const since = c.startedAt - (ctx.config.backfillDays ?? 30) * 86_400_000;
    const wanted = found.tickets.filter(
      (t) =>
        categoryOf(t.status) !== undefined &&
        (!c.backfill ||
          !['solved', 'closed'].includes(t.status.toLowerCase()) ||
          Date.parse(t.updated_at) >= since),
    );
    const tickets: PolledTicket[] = [];
    // A few tickets' audits at once: the API allows far more than the export's 10 a minute.
    for (let k = 0; k < wanted.length; k += 4) {
      const got = await Promise.all(
        wanted.slice(k, k + 4).map(async (t) => {
          const { audits, staff } = await auditsOf(ctx, base, t.id);
          return {
            deliveryId: `zendesk-${t.id}@${t.updated_at}`,
            update: exportedUpdate(t, audits, staff, link),
          };
        }),
      );
      tickets.push(...got);
    }
    const done = c.done + tickets.length;
    const backfill = c.backfill && !found.end_of_stream;
    return {
      tickets,
      more: !found.end_of_stream,
      cursor: { ...c, after: found.after_cursor ?? c.after, backfill, done },
      ...(c.backfill
        ? {
            progress: {
              phase: backfill ? 'tickets' : 'done',
              done,
              total: backfill ? null : done,
            },
          }
        : {}),
    };
  },
};
