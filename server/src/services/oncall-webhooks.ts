import { request } from 'node:https';
import { Agent } from 'node:https';
import type { Client, InValue } from '@libsql/client';
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  webhookBody,
  type PathLevel,
  type pathWebhookInput,
  type WebhookFormat,
  type WebhookMessage,
} from '@deskwatch/shared';
import { newId, randomToken, seal, unseal } from '../crypto.js';
import type { Db } from '../db/client.js';
import { escalationPaths, oncallWebhooks } from '../db/schema.js';
import type { Caller } from './accounts.js';
import { OnCallError } from './oncall-error.js';
import {
  checkWebhookUrl,
  EndpointRefused,
  guardedLookup,
  type EndpointPolicy,
} from './push-endpoint.js';
import { OUTBOX_COLUMNS, type OutboxRow, type Push, type SendOutcome } from './push.js';
import { webhookSignature } from './webhook-signature.js';

type Stmt = { sql: string; args: InValue[] };

/** A webhook as clients see it: the host only (Slack's and Teams' paths are secrets), no secret. */
export interface WebhookView {
  id: string;
  pathId: string;
  level: number;
  name: string;
  host: string;
  format: WebhookFormat;
  createdAt: number;
}

/** What a receiver's answer means, in the push outbox's categories. */
export function webhookOutcome(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { status: 'sent', detail: 'delivered' };
  if (status === 429) return { status: 'failed', detail: 'rate_limited' };
  if (status >= 500) return { status: 'failed', detail: 'unavailable' };
  return { status: 'failed', detail: 'rejected' };
}

export interface WebhookSenderOptions {
  /** `CONNECTOR_SECRET_KEY` stretched; without it webhooks cannot be saved. */
  key: Buffer | null;
  policy: EndpointPolicy;
  /** Extra trusted CA (PEM), as for push; certificate checks stay on. */
  ca?: string;
  publicUrl: () => string;
  now: () => number;
}

/**
 * Sends one webhook delivery of the outbox: the body in the webhook's format, signed with its
 * secret, over a connection whose address passed the push endpoints' rules.
 */
export function createWebhookSender(client: Client, o: WebhookSenderOptions) {
  const agent = new Agent({
    lookup: guardedLookup(o.policy, { anyPublicHost: true }),
    ...(o.ca ? { ca: o.ca } : {}),
  });
  function post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Deskwatch-Webhook/1',
            ...headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
  return async function send(row: OutboxRow): Promise<SendOutcome> {
    const rs = await client.execute({
      sql: 'SELECT url, format, secret_sealed FROM oncall_webhooks WHERE id = ?',
      args: [row.webhookId],
    });
    const hook = rs.rows[0];
    if (!hook || !o.key) return { status: 'failed', detail: 'rejected' };
    try {
      const url = await checkWebhookUrl(hook[0] as string, o.policy);
      const message = JSON.parse(row.payloadJson) as Omit<WebhookMessage, 'url'> & { url: string };
      const body = webhookBody(hook[1] as WebhookFormat, {
        ...message,
        url: `${o.publicUrl()}${message.url}`,
      });
      const secret = unseal(o.key, hook[2] as string);
      return webhookOutcome(await post(url, webhookSignature(secret, o.now(), body), body));
    } catch (err) {
      const refused =
        err instanceof EndpointRefused || (err as { code?: string }).code === 'EPUSHREFUSED';
      console.error(
        `[webhook] ${refused ? 'refused' : 'unreachable'}: webhook ${row.webhookId}: ${(err as Error).message}`,
      );
      return { status: 'failed', detail: refused ? 'refused_address' : 'unreachable' };
    }
  };
}

/** Outgoing webhooks per path level (issue #19): saved by managers, paged with the level. */
export function createOnCallWebhooks(
  db: Db,
  now: () => number,
  push: Push,
  o: Pick<WebhookSenderOptions, 'key' | 'policy'>,
) {
  async function requireLevel(workspaceId: string, pathId: string, level: number) {
    const path = await db.query.escalationPaths.findFirst({
      where: and(eq(escalationPaths.id, pathId), eq(escalationPaths.workspaceId, workspaceId)),
    });
    if (!path) throw new OnCallError('NOT_FOUND', 'No such path');
    if (level >= (JSON.parse(path.levels) as PathLevel[]).length)
      throw new OnCallError('BAD_REQUEST', 'The path has no such level');
  }

  return {
    /** Saves a new webhook; its signing secret is made here and shown this once. */
    async save(caller: Caller, input: z.output<typeof pathWebhookInput>) {
      if (!o.key)
        throw new OnCallError(
          'BAD_REQUEST',
          'The server has no CONNECTOR_SECRET_KEY, so it cannot keep a webhook secret',
        );
      await requireLevel(caller.workspaceId, input.pathId, input.level);
      let url: URL;
      try {
        url = await checkWebhookUrl(input.url, o.policy);
      } catch (err) {
        if (err instanceof EndpointRefused) throw new OnCallError('BAD_REQUEST', err.message);
        throw err;
      }
      const id = newId();
      const secret = `whsec_${randomToken()}`;
      await db.insert(oncallWebhooks).values({
        id,
        workspaceId: caller.workspaceId,
        pathId: input.pathId,
        level: input.level,
        name: input.name,
        url: url.href,
        format: input.format,
        secretSealed: seal(o.key, secret),
        createdAt: now(),
      });
      return { id, secret };
    },

    async list(workspaceId: string): Promise<WebhookView[]> {
      const rows = await db
        .select()
        .from(oncallWebhooks)
        .where(eq(oncallWebhooks.workspaceId, workspaceId))
        .orderBy(asc(oncallWebhooks.pathId), asc(oncallWebhooks.level), asc(oncallWebhooks.name));
      return rows.map((w) => ({
        id: w.id,
        pathId: w.pathId,
        level: w.level,
        name: w.name,
        host: new URL(w.url).host,
        format: w.format,
        createdAt: w.createdAt,
      }));
    },

    async remove(caller: Caller, webhookId: string) {
      const gone = await db
        .delete(oncallWebhooks)
        .where(
          and(eq(oncallWebhooks.id, webhookId), eq(oncallWebhooks.workspaceId, caller.workspaceId)),
        )
        .returning({ id: oncallWebhooks.id });
      if (gone.length === 0) throw new OnCallError('NOT_FOUND', 'No such webhook');
      return { ok: true };
    },

    /** "Send test": one delivery now through the outbox; its result in the outbox's categories. */
    async sendTest(caller: Caller, webhookId: string) {
      const t = now();
      const message: WebhookMessage = {
        pageId: `test-${newId()}`,
        kind: 'test',
        urgency: 'low',
        title: 'Deskwatch test',
        body: 'This webhook receives Deskwatch pages.',
        level: 0,
        round: 0,
        url: '/oncall',
        at: t,
      };
      const [outcome] = await push.sendWebhooksNow((claim) => ({
        sql: `INSERT INTO push_outbox (id, workspace_id, webhook_id, kind, source_id, payload_json, state, attempts, next_at, claimed_by, claimed_until, created_at)
              SELECT ?, w.workspace_id, w.id, 'test', ?, ?, 'pending', 0, ?, ?, ?, ?
              FROM oncall_webhooks w WHERE w.id = ? AND w.workspace_id = ?
              RETURNING ${OUTBOX_COLUMNS}`,
        args: [
          newId(),
          message.pageId,
          JSON.stringify(message),
          t,
          claim.instanceId,
          claim.until,
          t,
          webhookId,
          caller.workspaceId,
        ],
      }));
      if (!outcome) throw new OnCallError('NOT_FOUND', 'No such webhook');
      return { status: outcome.status, detail: outcome.detail };
    },
  };
}
export type OnCallWebhooks = ReturnType<typeof createOnCallWebhooks>;

/**
 * The statement that queues a level's page for each webhook of that level, once per source
 * (`page:round:level`), only while `guard` holds (the page is still open at that level).
 */
export function webhookOutboxStatement(
  page: {
    id: string;
    workspaceId: string;
    kind: string;
    title: string;
    payload: string;
    urgency: 'high' | 'low';
  },
  pathId: string,
  at: { level: number; round: number },
  t: number,
  guard: { sql: string; args: InValue[] },
): Stmt {
  // The push's body where it has one; an escalation request's reason otherwise.
  const p = JSON.parse(page.payload) as { body?: string; reason?: string };
  const message: WebhookMessage = {
    pageId: page.id,
    kind: page.kind,
    urgency: page.urgency,
    title: page.title,
    body: p.body ?? p.reason ?? '',
    level: at.level,
    round: at.round,
    url: '/oncall',
    at: t,
  };
  return {
    sql: `INSERT OR IGNORE INTO push_outbox (id, workspace_id, webhook_id, kind, source_id, payload_json, state, attempts, next_at, created_at)
          SELECT lower(hex(randomblob(12))), w.workspace_id, w.id, ?, ?, ?, 'pending', 0, ?, ?
          FROM oncall_webhooks w
          WHERE w.workspace_id = ? AND w.path_id = ? AND w.level = ? AND ${guard.sql}`,
    args: [
      page.kind,
      `${page.id}:${at.round}:${at.level}`,
      JSON.stringify(message),
      t,
      t,
      page.workspaceId,
      pathId,
      at.level,
      ...guard.args,
    ],
  };
}
