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

// ServiceNow's Table API (docs.servicenow.com, "Table API": GET /api/now/table/{tableName} with
// sysparm_query, sysparm_fields, sysparm_limit, sysparm_offset; X-Total-Count): incidents changed
// since a `sys_updated_on` cursor, their comments and work notes from sys_journal_field and their
// state and priority changes from sys_audit, both read for a whole page of incidents at once.
// Times are `YYYY-MM-DD HH:mm:ss` in UTC: the integration user's time zone must be UTC (README).

const config = z.strictObject({
  /** The instance, e.g. https://acme.service-now.com. */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .transform((u) => u.replace(/\/+$/, '')),
  table: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,79}$/)
    .default('incident'),
  backfillDays: z.number().int().min(0).max(3650).default(30),
  pollSeconds: z.number().int().min(10).max(86_400).default(60),
  /** `state` values onto categories, for custom states (defaults: the incident table's). */
  states: z.record(z.string().max(20), statusCategory).default({}),
  priorities: z.record(z.string().max(20), priorityEnum).default({}),
});
export type ServiceNowConfig = z.infer<typeof config>;

/** The incident table's states (1 New ... 8 Canceled) and priorities (1 Critical ... 5 Planning). */
const STATE: Record<string, { name: string; category: StatusCategory }> = {
  '1': { name: 'New', category: 'new' },
  '2': { name: 'In Progress', category: 'open' },
  '3': { name: 'On Hold', category: 'on_hold' },
  '6': { name: 'Resolved', category: 'solved' },
  '7': { name: 'Closed', category: 'closed' },
  '8': { name: 'Canceled', category: 'closed' },
};
const PRIORITY: Record<string, Priority> = {
  '1': 'urgent',
  '2': 'high',
  '3': 'normal',
  '4': 'low',
  '5': 'low',
};

/** `2026-03-27 09:00:00` (UTC) as epoch ms. */
const snTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'a ServiceNow time (YYYY-MM-DD HH:mm:ss)');
export const fromSn = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
export const toSn = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'state',
  'priority',
  'active',
  'sys_created_on',
  'sys_updated_on',
  'caller_id.name',
  'caller_id.user_name',
  'assigned_to.name',
].join(',');
const record = z.looseObject({
  sys_id: z.string().regex(/^[0-9a-f]{32}$/),
  number: z.string().max(40),
  short_description: z.string().max(1000),
  state: z.string().max(20),
  priority: z.string().max(20),
  sys_created_on: snTime,
  sys_updated_on: snTime,
  'caller_id.name': z.string().max(200).default(''),
  'caller_id.user_name': z.string().max(200).default(''),
  'assigned_to.name': z.string().max(200).default(''),
});
type Record_ = z.infer<typeof record>;
const journal = z.looseObject({
  sys_id: z.string(),
  element_id: z.string(),
  element: z.enum(['comments', 'work_notes']),
  sys_created_on: snTime,
  sys_created_by: z.string().max(200),
});
const audit = z.looseObject({
  sys_id: z.string(),
  documentkey: z.string(),
  fieldname: z.string(),
  oldvalue: z.string().default(''),
  newvalue: z.string(),
  sys_created_on: snTime,
});
const results = <T extends z.ZodType>(item: T) => z.looseObject({ result: z.array(item) });

const cursor = z.discriminatedUnion('phase', [
  z.object({
    phase: z.enum(['open', 'closed']),
    offset: z.number().int(),
    startedAt: z.number(),
    done: z.number().int(),
  }),
  z.object({
    phase: z.literal('incremental'),
    since: z.string(),
    skip: z.number().int(),
    done: z.number().int(),
  }),
]);
type Cursor = z.infer<typeof cursor>;
const PAGE = 100;

/** An incident with its journal and audit rows as a ticket update. */
export function incidentUpdate(
  r: Record_,
  cfg: ServiceNowConfig,
  journals: z.infer<typeof journal>[],
  audits: z.infer<typeof audit>[],
  agents: readonly string[],
): TicketUpdate {
  const stateOf = (v: string) => {
    const known = STATE[v];
    const custom = cfg.states[v];
    if (custom) return { name: known?.name ?? `State ${v}`, category: custom };
    return known ?? { name: `State ${v}`, category: 'open' as const };
  };
  const priorityOf = (v: string) => cfg.priorities[v] ?? PRIORITY[v] ?? 'normal';
  const states = audits.filter((a) => a.fieldname === 'state');
  const priorities = audits.filter((a) => a.fieldname === 'priority');
  // The first audit row of a field on insert has no old value: its new one is the initial.
  const initialState = stateOf(states[0]?.oldvalue || states[0]?.newvalue || r.state);
  const initialPriority = priorityOf(
    priorities[0]?.oldvalue || priorities[0]?.newvalue || r.priority,
  );
  const createdAt = fromSn(r.sys_created_on);
  const isCustomer = customerRule(
    'not-agent',
    { name: r['caller_id.user_name'] || r['caller_id.name'] },
    agents,
  );
  const changes: Change[] = [
    {
      type: 'created',
      id: `sn:${r.sys_id}`,
      at: createdAt,
      status: initialState.name,
      category: initialState.category,
      priority: initialPriority,
    },
  ];
  for (const a of states) {
    if (!a.oldvalue) continue;
    const s = stateOf(a.newvalue);
    const at = fromSn(a.sys_created_on);
    changes.push({
      type: 'status',
      id: `sn:${a.sys_id}`,
      at,
      status: s.name,
      category: s.category,
    });
  }
  for (const a of priorities)
    if (a.oldvalue)
      changes.push({
        type: 'priority',
        id: `sn:${a.sys_id}`,
        at: fromSn(a.sys_created_on),
        priority: priorityOf(a.newvalue),
      });
  for (const j of journals)
    changes.push({
      type: 'message',
      id: `sn:${j.sys_id}`,
      at: fromSn(j.sys_created_on),
      // Work notes are internal and only agents write them.
      author: j.element === 'comments' && isCustomer(j.sys_created_by) ? 'customer' : 'agent',
      public: j.element === 'comments',
    });
  const current = stateOf(r.state);
  return {
    // As the incident page's URL names it (the extension's ServiceNow adapter): one ticket.
    externalId: r.sys_id,
    url: `${cfg.baseUrl}/${cfg.table}.do?sys_id=${r.sys_id}`,
    fields: {
      subject: r.short_description,
      status: current.name,
      statusCategory: current.category,
      priority: priorityOf(r.priority),
      requester: r['caller_id.name'],
      assignee: r['assigned_to.name'] || null,
      createdAt,
    },
    changes,
    toolAt: fromSn(r.sys_updated_on),
  };
}

async function withHistory(
  ctx: PollContext<ServiceNowConfig>,
  headers: Record<string, string>,
  rows: Record_[],
): Promise<PolledTicket[]> {
  if (rows.length === 0) return [];
  const base = `${ctx.config.baseUrl}/api/now/table`;
  const ids = rows.map((r) => r.sys_id).join(',');
  const q = (query: string, fields: string) =>
    new URLSearchParams({ sysparm_query: query, sysparm_fields: fields, sysparm_limit: '10000' });
  const [js, as] = await Promise.all([
    ctx
      .get(
        `${base}/sys_journal_field?${q(`element_idIN${ids}^elementINcomments,work_notes^ORDERBYsys_created_on`, 'sys_id,element_id,element,sys_created_on,sys_created_by')}`,
        headers,
      )
      .then((b) => results(journal).parse(b).result),
    ctx
      .get(
        `${base}/sys_audit?${q(`documentkeyIN${ids}^fieldnameINstate,priority^ORDERBYsys_created_on`, 'sys_id,documentkey,fieldname,oldvalue,newvalue,sys_created_on')}`,
        headers,
      )
      .then((b) => results(audit).parse(b).result),
  ]);
  return rows.map((r) => ({
    deliveryId: `${r.sys_id}@${r.sys_updated_on}`,
    update: incidentUpdate(
      r,
      ctx.config,
      js.filter((j) => j.element_id === r.sys_id),
      as.filter((a) => a.documentkey === r.sys_id),
      ctx.agents,
    ),
  }));
}

const servicenowPoll: PollSource<ServiceNowConfig> = {
  start: (_cfg, now) => ({ phase: 'open', offset: 0, startedAt: now, done: 0 }),
  intervalMs: (cfg) => cfg.pollSeconds * 1000,

  async page(ctx, raw) {
    const c: Cursor = cursor.parse(raw);
    // Basic auth of an integration user ("user:password"), or an OAuth bearer token.
    const headers = ctx.token.includes(':')
      ? { authorization: `Basic ${Buffer.from(ctx.token).toString('base64')}` }
      : { authorization: `Bearer ${ctx.token}` };
    const query =
      c.phase === 'incremental'
        ? `sys_updated_on>=${c.since}^ORDERBYsys_updated_on^ORDERBYsys_id`
        : c.phase === 'open'
          ? 'active=true^ORDERBYsys_created_on^ORDERBYsys_id'
          : `active=false^sys_updated_on>=${toSn(c.startedAt - ctx.config.backfillDays * 86_400_000)}^ORDERBYsys_created_on^ORDERBYsys_id`;
    const offset = c.phase === 'incremental' ? c.skip : c.offset;
    const params = new URLSearchParams({
      sysparm_query: query,
      sysparm_fields: FIELDS,
      sysparm_limit: String(PAGE),
      sysparm_offset: String(offset),
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    });
    const body = await ctx.get(
      `${ctx.config.baseUrl}/api/now/table/${ctx.config.table}?${params}`,
      headers,
    );
    const rows = results(record).parse(body).result;
    const tickets = await withHistory(ctx, headers, rows);
    const done = c.done + tickets.length;
    const more = rows.length === PAGE;
    if (c.phase === 'incremental') {
      const last = rows.at(-1)?.sys_updated_on ?? c.since;
      const atLast = rows.filter((r) => r.sys_updated_on === last).length;
      return {
        tickets,
        more,
        cursor: { ...c, since: last, skip: last === c.since ? c.skip + atLast : atLast, done },
      };
    }
    // Offsets shift when an incident closes mid-backfill; the incremental phase reads every
    // change since the backfill started, so what a shift skipped is read there.
    const next: Cursor = more
      ? { ...c, offset: c.offset + rows.length, done }
      : c.phase === 'open'
        ? { ...c, phase: 'closed', offset: 0, done }
        : { phase: 'incremental', since: toSn(c.startedAt), skip: 0, done };
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

export const servicenow: ConnectorTool<ServiceNowConfig> = {
  id: 'servicenow',
  name: 'ServiceNow',
  source: 'servicenow',
  config: config as unknown as z.ZodType<ServiceNowConfig>,
  ...noWebhooks<ServiceNowConfig>('ServiceNow'),
  poll: servicenowPoll,
};
