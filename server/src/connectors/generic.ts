import jsonata from 'jsonata';
import { z } from 'zod';
import { PRIORITIES, STATUS_CATEGORIES } from '@deskwatch/shared';
import type { Change, ConnectorTool, ParsedDelivery, TicketUpdate } from './types.js';
import { digest, hmac, sameSecret, toolTime } from './vendor.js';

// Generic JSON webhook: any tool that can POST JSON. The admin pastes a sample payload and writes
// one JSONata expression (jsonata.org) that turns a payload into the ticket it is about (or a
// list of them); the preview shows the events a payload would produce. Like the vendors that
// send the ticket as it is now, a status or priority that did not change adds nothing.

/** How the tool proves a request is its own. */
const signature = z.strictObject({
  /** The header that carries it, e.g. `X-Signature`. */
  header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name'),
  /**
   * `hmac-sha256` / `hmac-sha1`: HMAC of the raw body with the secret, hex or base64 (an
   * `sha256=` style prefix is allowed); `token`: the header holds the secret itself.
   */
  scheme: z.enum([
    'hmac-sha256-hex',
    'hmac-sha256-base64',
    'hmac-sha1-hex',
    'hmac-sha1-base64',
    'token',
  ]),
});

const MAX_MAPPING = 10_000;

const config = z.strictObject({
  /**
   * The extension adapter id whose pages show these tickets (`zendesk`, `redmine`, a taught
   * adapter's id), so a ticket seen both ways is one; `generic` when there is none.
   */
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an adapter id')
    .default('generic'),
  signature,
  /** A header carrying the delivery id, if the tool sends one; otherwise the body's digest. */
  deliveryIdHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional(),
  /** The JSONata expression: payload → ticket object(s), see `ticketOut`. */
  mapping: z
    .string()
    .min(1)
    .max(MAX_MAPPING)
    .superRefine((s, ctx) => {
      try {
        jsonata(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not JSONata: ${jsonataMessage(err)}` });
      }
    }),
});
export type GenericConfig = z.infer<typeof config>;

/** What the expression must give for each ticket; nothing (undefined/null): not a ticket event. */
const messageOut = z.strictObject({
  id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(128)),
  at: toolTime,
  author: z.enum(['agent', 'customer', 'bot']),
  public: z.boolean().default(true),
});
const ticketOut = z.strictObject({
  externalId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(128)),
  url: z.url(),
  subject: z.string().optional(),
  status: z.string().min(1).max(64),
  statusCategory: z.enum(STATUS_CATEGORIES),
  priority: z.enum(PRIORITIES).optional(),
  requester: z.string().optional(),
  requesterOrg: z.string().nullable().optional(),
  assignee: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  createdAt: toolTime,
  /** When this happened in the tool; the status and priority are as of then. */
  updatedAt: toolTime,
  /** True when this delivery is the ticket's creation (its first status is then exact). */
  created: z.boolean().optional(),
  messages: z.array(messageOut).optional(),
});
export type GenericTicket = z.infer<typeof ticketOut>;

/** JSONata gives errors as objects with a message and a position. */
export function jsonataMessage(err: unknown): string {
  const e = err as { message?: string; position?: number; token?: string };
  return `${e.message ?? String(err)}${e.position !== undefined ? ` (at ${e.position})` : ''}`;
}

/** Evaluation is boxed: an expression that recurses or runs too long is stopped. */
const MAX_DEPTH = 200;
const MAX_EVAL_MS = 1_000;

/** Runs the mapping on a payload: the tickets it describes, validated, or a thrown reason. */
export async function runMapping(mapping: string, payload: unknown): Promise<GenericTicket[]> {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(mapping);
  } catch (err) {
    throw new Error(`mapping: ${jsonataMessage(err)}`);
  }
  let depth = 0;
  const started = performance.now();
  const guard = () => {
    if (depth > MAX_DEPTH) throw new Error('mapping: too deep (does it recurse?)');
    if (performance.now() - started > MAX_EVAL_MS) throw new Error('mapping: took too long');
  };
  // jsonata 2 calls these around every step (bound by symbol; its types say string).
  expr.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, () => {
    depth++;
    guard();
  });
  expr.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, () => {
    depth--;
    guard();
  });
  let out: unknown;
  try {
    out = await expr.evaluate(payload);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : `mapping: ${jsonataMessage(err)}`);
  }
  if (out === undefined || out === null) return [];
  const list = Array.isArray(out) ? out : [out];
  return list.map((t, i) => {
    const r = ticketOut.safeParse(t);
    if (!r.success)
      throw new Error(
        `mapping result${list.length > 1 ? `[${i}]` : ''}: ${r.error.issues.map((x) => `${x.path.join('.') || 'ticket'}: ${x.message}`).join('; ')}`,
      );
    return r.data;
  });
}

/** One mapped ticket as an update: creation, status and priority as of its time, its messages. */
export function toUpdate(t: GenericTicket): TicketUpdate {
  const key = `gen:${t.externalId}`;
  const priority = t.priority ?? 'normal';
  const changes: Change[] = [
    {
      type: 'created',
      id: `${key}:created`,
      at: t.createdAt,
      status: t.created ? t.status : 'New',
      category: t.created ? t.statusCategory : 'new',
      priority,
    },
    {
      type: 'status',
      id: `${key}:status@${t.updatedAt}`,
      at: t.updatedAt,
      status: t.status,
      category: t.statusCategory,
    },
    { type: 'priority', id: `${key}:priority@${t.updatedAt}`, at: t.updatedAt, priority },
    ...(t.messages ?? []).map((m) => ({ type: 'message' as const, ...m })),
  ];
  return {
    externalId: t.externalId,
    url: t.url,
    fields: {
      ...(t.subject !== undefined ? { subject: t.subject } : {}),
      status: t.status,
      statusCategory: t.statusCategory,
      priority,
      ...(t.requester !== undefined ? { requester: t.requester } : {}),
      ...(t.requesterOrg !== undefined ? { requesterOrg: t.requesterOrg } : {}),
      ...(t.assignee !== undefined ? { assignee: t.assignee } : {}),
      ...(t.tags !== undefined ? { tags: t.tags } : {}),
      createdAt: t.createdAt,
    },
    changes,
    toolAt: t.updatedAt,
  };
}

function expected(scheme: GenericConfig['signature']['scheme'], secret: string, body: string) {
  if (scheme === 'token') return secret;
  const [, alg, enc] = scheme.split('-') as [string, 'sha1' | 'sha256', 'hex' | 'base64'];
  return hmac(alg, secret, body, enc);
}

export const generic: ConnectorTool<GenericConfig, Promise<ParsedDelivery>> = {
  id: 'generic',
  name: 'Generic JSON webhook',
  source: 'generic',
  config,
  sourceOf: (cfg) => cfg.source,

  verify({ headers, body }, secret, _now, cfg) {
    const c = cfg!;
    const got = headers.get(c.signature.header);
    if (!got) return { ok: false, reason: `unsigned: no ${c.signature.header} header` };
    // An `algorithm=` prefix (sha256=..., as GitHub-style tools send) is allowed.
    const value = c.signature.scheme === 'token' ? got : got.replace(/^[a-z0-9]+=/i, '');
    if (!sameSecret(expected(c.signature.scheme, secret, body), value))
      return { ok: false, reason: 'bad signature (check the secret and the signature scheme)' };
    return { ok: true };
  },

  async parse({ headers, body }, cfg): Promise<ParsedDelivery> {
    const payload: unknown = JSON.parse(body);
    const deliveryId =
      (cfg.deliveryIdHeader ? headers.get(cfg.deliveryIdHeader) : null) ?? `gen:${digest(body)}`;
    const tickets = await runMapping(cfg.mapping, payload);
    return {
      deliveryId,
      updates: tickets.map(toUpdate),
      kind: tickets.length ? 'ticket' : 'ignored',
    };
  },

  sample(cfg, now) {
    // The admin's own sample is what the preview runs; "send a test event" proves the secret.
    const body = JSON.stringify({ deskwatch: 'test event', at: new Date(now).toISOString() });
    return {
      body,
      sign: (secret) =>
        new Headers({
          'content-type': 'application/json',
          [cfg.signature.header]:
            cfg.signature.scheme === 'token'
              ? secret
              : expected(cfg.signature.scheme, secret, body),
        }),
    };
  },
};

/** What the preview shows: each ticket the sample maps to and the events it would add. */
export interface GenericPreview {
  ok: boolean;
  error: string | null;
  tickets: { externalId: string; url: string; status: string; events: Change[] }[];
}

/**
 * The live preview of the mapping form: the settings checked as a save would check them, the
 * sample read and mapped, each ticket's events listed. Nothing is stored.
 */
export async function previewGeneric(input: unknown, sample: string): Promise<GenericPreview> {
  const fail = (error: string): GenericPreview => ({ ok: false, error, tickets: [] });
  const cfg = config.safeParse(input);
  if (!cfg.success)
    return fail(
      cfg.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
    );
  let payload: unknown;
  try {
    payload = JSON.parse(sample);
  } catch (err) {
    return fail(`The sample is not JSON: ${(err as Error).message}`);
  }
  try {
    const tickets = (await runMapping(cfg.data.mapping, payload)).map(toUpdate);
    return {
      ok: true,
      error: null,
      tickets: tickets.map((u) => ({
        externalId: u.externalId,
        url: u.url,
        status: u.fields.status ?? '',
        events: u.changes,
      })),
    };
  } catch (err) {
    return fail((err as Error).message);
  }
}
