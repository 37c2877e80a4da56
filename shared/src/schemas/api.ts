import { z } from 'zod';
import { priority, statusCategory } from '../domain.js';

const isoInstant = z.iso.datetime({ offset: true });

/** An http(s) URL, the only kind stored and shown as a link (errors carry the field's path). */
export const httpUrl = () =>
  // A URL format with the scheme pinned (WHATWG-parsed, as `isSafeHttpUrl` does), not a bare
  // refine, so tools reading the schema (fuzzers, JSON Schema) know the field is a web address.
  z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);
const id = z.string().min(1).max(64);

export const signInInput = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

/** A pairing code as typed by a person: dashes and case are forgiven. */
export const pairingCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[^A-Z0-9]/g, ''))
  .pipe(z.string().length(8, 'A pairing code has 8 letters or digits'));

export const redeemPairingInput = z.strictObject({
  code: pairingCode,
  deviceName: z.string().trim().min(1).max(80).default('Browser extension'),
});

export const observedMessage = z.strictObject({
  /** The tool's own message id when the page shows one; otherwise author+time identify it. */
  externalId: z.string().max(128).optional(),
  author: z.enum(['agent', 'customer', 'bot']),
  public: z.boolean(),
  at: isoInstant,
});

/** What an adapter reads off a ticket page; the only ticket data that leaves the browser. */
export const ticketSnapshot = z.strictObject({
  source: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'source is a lower-case adapter id'),
  externalId: z.string().min(1).max(128),
  url: httpUrl(),
  subject: z.string().max(500),
  status: z.string().max(80),
  statusCategory,
  priority,
  requester: z.string().max(254),
  /** Who the ticket is assigned to, where the page shows it. */
  assignee: z.string().max(254).nullable().default(null),
  /** The requester's organisation, where the tool shows one (policies can match on it). */
  requesterOrg: z.string().max(200).nullable().default(null),
  tags: z.array(z.string().min(1).max(64)).max(50).default([]),
  createdAt: isoInstant,
  messages: z.array(observedMessage).max(500),
  /**
   * Status changes the page shows with their times (a history or audit trail), oldest first,
   * starting with the status at creation. Where present, they replace "changed when seen".
   */
  statusChanges: z
    .array(
      z.strictObject({
        /**
         * The tool's own id of the history item when the page shows one (a journal id): the same
         * change seen again, whatever time another view reads for it, is then one event.
         */
        externalId: z.string().min(1).max(128).optional(),
        at: isoInstant,
        status: z.string().max(80),
        statusCategory,
      }),
    )
    .max(500)
    .default([]),
  /**
   * Whether `statusChanges` go back to the ticket's creation. Absent: they do when there are
   * any. Where they do not, the status before the oldest change (or before this view) is
   * unknown, and the server records from when it knows it.
   */
  statusHistoryComplete: z.boolean().optional(),
  /**
   * Priority changes the page shows with their times, oldest first; with a complete history,
   * starting with the priority at creation. The SLA engine re-selects targets at each.
   */
  priorityChanges: z
    .array(
      z.strictObject({
        /** The tool's own id of the change, as for status changes. */
        externalId: z.string().min(1).max(128).optional(),
        at: isoInstant,
        priority,
      }),
    )
    .max(500)
    .default([]),
});
export type TicketSnapshot = z.output<typeof ticketSnapshot>;
/** What an adapter produces (optional fields may be left out). */
export type TicketSnapshotInput = z.input<typeof ticketSnapshot>;

export const observeInput = z.strictObject({ snapshot: ticketSnapshot });

/** The ticket ids of a list page's rows, for their SLA badges. */
export const badgesInput = z.strictObject({
  source: ticketSnapshot.shape.source,
  externalIds: z.array(ticketSnapshot.shape.externalId).max(200),
});

/** The extension's report that an adapter's required fields stopped matching. */
export const adapterHealthReport = z.strictObject({
  tool: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  version: z.string().min(1).max(20),
  fields: z
    .array(z.string().regex(/^[a-zA-Z][\w-]{0,39}$/))
    .min(1)
    .max(20),
  url: httpUrl(),
});

export const ticketRef = z.strictObject({ ticketId: id });

export const ESCALATION_TYPES = ['tier2', 'manager_approval', 'incident'] as const;
export const SEVERITIES = ['low', 'normal', 'high', 'critical'] as const;
export const ESCALATION_STATES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

export const requestEscalationInput = z.strictObject({
  ticketId: id,
  type: z.enum(ESCALATION_TYPES),
  severity: z.enum(SEVERITIES).default('normal'),
  reason: z.string().trim().min(3, 'Say why this ticket needs escalating').max(2000),
});

export const decideEscalationInput = z
  .strictObject({
    escalationId: id,
    decision: z.enum(['approve', 'deny']),
    comment: z.string().trim().max(2000).default(''),
  })
  .refine((v) => v.decision === 'approve' || v.comment.length > 0, {
    message: 'A denial needs a reason',
    path: ['comment'],
  });

/** The push service worker's one-tap decision, authorised by a single-use token instead of a session. */
export const actionTokenDecisionInput = z
  .strictObject({
    token: z.string().min(20).max(200),
    decision: z.enum(['approve', 'deny']),
    comment: z.string().trim().max(2000).default(''),
  })
  .refine((v) => v.decision === 'approve' || v.comment.length > 0, {
    message: 'A denial needs a reason',
    path: ['comment'],
  });

export const pushSubscriptionInput = z.strictObject({
  endpoint: z.url().startsWith('https://', 'A push endpoint is an https:// URL').max(2048),
  keys: z.strictObject({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) }),
});

/** What a pushed escalation carries to the service worker. */
export const escalationPushPayload = z.object({
  kind: z.literal('escalation'),
  escalationId: id,
  ticketSubject: z.string(),
  reason: z.string(),
  requestedBy: z.string(),
  severity: z.enum(SEVERITIES),
  actionToken: z.string(),
  url: z.string(),
});
export type EscalationPushPayload = z.infer<typeof escalationPushPayload>;

/** What a page's push adds to its alert's or escalation's: the page and a single-use Acknowledge token. */
export const pagePushFields = z.object({ pageId: id, ackToken: z.string().min(20).max(200) });
/** An SLA alert's push sent down an escalation path. */
export const pagePushPayload = pagePushFields.extend({
  title: z.string().max(500),
  body: z.string().max(2000).default(''),
  url: z.string().max(2000).default('/'),
});

/** A name or e-mail an agent goes by in one ticket tool (or, without `tool`, in every tool). */
export const agentAlias = z
  .strictObject({
    tool: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'tool is a lower-case adapter id')
      .optional(),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).optional(),
  })
  .refine((a) => a.name !== undefined || a.email !== undefined, 'an alias has a name or an e-mail');
export type AgentAlias = z.output<typeof agentAlias>;

/** Replaces all of one user's aliases. */
export const setAliasesInput = z.strictObject({
  userId: id,
  aliases: z.array(agentAlias).max(50),
});

/** One of the workspace's agents (every user: agents, managers, admins), with their aliases. */
export const agentEntry = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['agent', 'manager', 'admin']),
  aliases: z.array(
    z.object({
      tool: z.string().nullable(),
      name: z.string().nullable(),
      email: z.string().nullable(),
    }),
  ),
});
export type AgentEntry = z.output<typeof agentEntry>;

/** A ticket's source (a paired extension, a session, `legacy`), named as the server stores it. */
export const ticketSourceRef = z.strictObject({
  ticketId: id,
  sourceKey: z.string().min(1).max(80),
});

/**
 * The names and e-mails that count as agents on one tool's pages: every user's own, and their
 * aliases for that tool or for every tool. Lower-cased: authorship compares without case.
 */
export function agentNamesFor(agents: readonly AgentEntry[], tool: string): string[] {
  const out = new Set<string>();
  const add = (v: string | null) => {
    const t = v?.trim().toLowerCase();
    if (t) out.add(t);
  };
  for (const a of agents) {
    add(a.name);
    add(a.email);
    for (const al of a.aliases)
      if (al.tool === null || al.tool === tool) {
        add(al.name);
        add(al.email);
      }
  }
  return [...out];
}
