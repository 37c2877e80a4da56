import { z } from 'zod';
import type { Priority, StatusCategory } from '@deskwatch/shared';
import type { Change, ConnectorTool, TicketUpdate } from './types.js';
import { digest, priorityFromName, readTime, sameSecret } from './vendor.js';

// Freshdesk and Freshservice: an automation rule (Freshdesk: Admin > Automations; Freshservice:
// Workflow Automator) whose action is "Trigger webhook": POST, JSON, the custom header
// `X-Deskwatch-Secret: <the connector's secret>` and the content the README gives (Freshworks'
// "Simple" content wraps the fields in `freshdesk_webhook`, the form of
// support.freshdesk.com/support/solutions/articles/132589). Fixtures in fixtures/freshdesk/ and
// fixtures/freshservice/. The rule sends the ticket as it is now; Freshworks signs nothing and
// sends no delivery id or time, so the secret header is the credential, the time is when we
// received it (the rule runs at once), and a status that did not change adds nothing (apply.ts).

const config = z.strictObject({
  /** `acme` for acme.freshdesk.com (or acme.freshservice.com): ticket links point there. */
  subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'the subdomain, e.g. acme'),
});
export type FreshworksConfig = z.infer<typeof config>;

/** The header the rule sends the shared secret in. */
export const SECRET_HEADER = 'x-deskwatch-secret';

const STATUS: Record<string, StatusCategory> = {
  open: 'open',
  pending: 'pending_customer',
  'waiting on customer': 'pending_customer',
  'awaiting customer': 'pending_customer',
  'waiting on third party': 'on_hold',
  'on hold': 'on_hold',
  resolved: 'solved',
  closed: 'closed',
};
/** Freshworks' numeric priorities (1 low ... 4 urgent) and statuses (2 open ... 5 closed). */
const PRIORITY_NUMBER: Record<string, Priority> = {
  '1': 'low',
  '2': 'normal',
  '3': 'high',
  '4': 'urgent',
};
const STATUS_NUMBER: Record<string, string> = {
  '2': 'Open',
  '3': 'Pending',
  '4': 'Resolved',
  '5': 'Closed',
};

const text = z.union([z.string(), z.number()]).transform(String);
const ticket = z.looseObject({
  // Freshservice writes `#INC-12` or `#SR-12`; the agent page's id is the number.
  ticket_id: text.pipe(z.string().regex(/^#?(?:[A-Z]+-)?\d+$/, 'a ticket id')),
  ticket_subject: z.string().optional(),
  ticket_status: text,
  ticket_priority: text.optional(),
  ticket_contact_email: z.string().optional(),
  ticket_requester_email: z.string().optional(),
  ticket_agent_email: z.string().optional(),
  ticket_company_name: z.string().optional(),
  ticket_tags: z.union([z.string(), z.array(z.string())]).optional(),
  ticket_created_at: z.string().optional(),
  /** Set by the rule (README): which event it runs on, so a reply or note is a message. */
  event: z.enum(['created', 'updated', 'customer_reply', 'agent_reply', 'note']).default('updated'),
});

function tool(
  id: 'freshdesk' | 'freshservice',
  name: string,
  host: string,
): ConnectorTool<FreshworksConfig> {
  return {
    id,
    name,
    source: id,
    config,

    verify({ headers }, secret) {
      const got = headers.get(SECRET_HEADER);
      if (!got)
        return { ok: false, reason: 'unsigned: no X-Deskwatch-Secret header (add it to the rule)' };
      if (!sameSecret(got, secret))
        return { ok: false, reason: 'bad secret (check the rule header)' };
      return { ok: true };
    },

    parse({ body, receivedAt }, cfg) {
      const json = JSON.parse(body) as Record<string, unknown>;
      const t = ticket.parse(json.freshdesk_webhook ?? json.freshservice_webhook ?? json);
      const at = receivedAt ?? Number.NaN;
      if (Number.isNaN(at)) throw new Error('no time of receipt');
      const deliveryId = `${id}:${digest(body)}@${at}`;
      const num = /\d+$/.exec(t.ticket_id)![0];
      const statusName = STATUS_NUMBER[t.ticket_status] ?? t.ticket_status.trim();
      const category = STATUS[statusName.toLowerCase()];
      if (!category) throw new Error(`ticket_status: unknown status "${statusName}"`);
      const p = t.ticket_priority;
      const priority = p === undefined ? 'normal' : (PRIORITY_NUMBER[p] ?? priorityFromName(p));
      const createdAt =
        (t.ticket_created_at ? readTime(t.ticket_created_at) : null) ??
        (t.event === 'created' ? at : undefined);
      const changes: Change[] = [];
      if (t.event === 'created')
        changes.push({
          type: 'created',
          id: `${id}:${num}:created`,
          at: createdAt ?? at,
          status: statusName,
          category,
          priority,
        });
      else {
        changes.push({
          type: 'status',
          id: `${deliveryId}:status`,
          at,
          status: statusName,
          category,
        });
        changes.push({ type: 'priority', id: `${deliveryId}:priority`, at, priority });
      }
      if (t.event === 'customer_reply' || t.event === 'agent_reply' || t.event === 'note')
        changes.push({
          type: 'message',
          id: `${deliveryId}:message`,
          at,
          author: t.event === 'customer_reply' ? 'customer' : 'agent',
          public: t.event !== 'note',
        });
      const tags =
        typeof t.ticket_tags === 'string'
          ? t.ticket_tags
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : t.ticket_tags;
      const requester = t.ticket_contact_email ?? t.ticket_requester_email;
      const update: TicketUpdate = {
        externalId: num,
        url: `https://${cfg.subdomain}.${host}/a/tickets/${num}`,
        fields: {
          ...(t.ticket_subject !== undefined ? { subject: t.ticket_subject } : {}),
          status: statusName,
          statusCategory: category,
          priority,
          ...(requester ? { requester } : {}),
          ...(t.ticket_company_name !== undefined
            ? { requesterOrg: t.ticket_company_name || null }
            : {}),
          ...(t.ticket_agent_email !== undefined ? { assignee: t.ticket_agent_email || null } : {}),
          ...(tags ? { tags } : {}),
          ...(createdAt !== undefined ? { createdAt } : {}),
        },
        changes,
        toolAt: at,
      };
      return { deliveryId, updates: [update], kind: `ticket.${t.event}` };
    },

    sample() {
      const body = JSON.stringify({
        freshdesk_webhook: {
          ticket_id: 1,
          ticket_subject: 'Deskwatch test event',
          ticket_status: 'Open',
          ticket_priority: 'Medium',
          event: 'created',
        },
      });
      return {
        body,
        sign: (secret) =>
          new Headers({ 'content-type': 'application/json', [SECRET_HEADER]: secret }),
      };
    },
  };
}

export const freshdesk = tool('freshdesk', 'Freshdesk', 'freshdesk.com');
export const freshservice = tool('freshservice', 'Freshservice', 'freshservice.com');
