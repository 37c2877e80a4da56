import { Agent } from 'node:https';
import { parse as legacyParse } from 'node:url';
import type { Client, InStatement, InValue } from '@libsql/client';
import { and, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { newId, randomToken, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import { pushSubscriptions, settings } from '../db/schema.js';
import { ACTION_TOKEN_TTL_MS } from './escalations.js';
import {
  checkEndpoint,
  checkEndpointUrl,
  EndpointRefused,
  guardedLookup,
  systemResolve,
  type AllowedHost,
  type EndpointPolicy,
  type Resolve,
} from './push-endpoint.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * What became of a push, as a client may see it. Network detail (`ECONNREFUSED`, host names,
 * TLS messages) goes to the server log only: shown to users it would map the server's network.
 */
export type PushOutcome =
  | 'delivered'
  | 'expired' // 404/410: the browser dropped the subscription
  | 'rate_limited' // 429
  | 'rejected' // another 4xx: the push service refused the request
  | 'unavailable' // 5xx
  | 'unreachable' // no connection, TLS failure, timeout
  | 'refused_address'; // not a push service, or a private address

export interface PushResult {
  subscriptionId: string;
  endpoint: string;
  status: 'sent' | 'retired' | 'failed';
  detail: PushOutcome;
}

export class PushError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'CONFLICT' | 'TOO_MANY_REQUESTS',
    message: string,
  ) {
    super(message);
  }
}

/** Keys are made once per installation and kept in the database, so every instance signs alike. */
export async function loadOrCreateVapidKeys(db: Db): Promise<VapidKeys> {
  const row = await db.query.settings.findFirst({ where: eq(settings.key, 'vapid') });
  if (row) return JSON.parse(row.value) as VapidKeys;
  const keys = webpush.generateVAPIDKeys();
  await db
    .insert(settings)
    .values({ key: 'vapid', value: JSON.stringify(keys) })
    .onConflictDoNothing();
  // Another instance may have won the race: use what is stored.
  const stored = await db.query.settings.findFirst({ where: eq(settings.key, 'vapid') });
  return JSON.parse(stored!.value) as VapidKeys;
}

export interface PushOptions {
  vapid: VapidKeys;
  subject: string;
  /** Hosts an operator allows besides the browsers' push services (`PUSH_ALLOWED_HOSTS`). */
  allowedHosts?: AllowedHost[];
  /** Name resolution, for subscribe checks and for connections; tests stub it. */
  resolve?: Resolve;
  /** Extra trusted CA (PEM) for a push service behind a private CA; certificate checks stay on. */
  ca?: string;
  /** Waits before each retry of a failure that may pass (5xx, 429, network); tests pass zeros. */
  retryDelaysMs?: number[];
  instanceId?: string;
  /** Sends an outbox row that is a webhook delivery (issue #19); without it such rows fail. */
  sendWebhook?: (row: OutboxRow) => Promise<SendOutcome>;
}

/** Push services ask senders to back off on overload: five tries over about a quarter of an hour. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000];
/**
 * How long a claim on an outbox row holds. Its holder records the outcome well within it (a
 * send times out after 10 s); past it the holder is taken for dead and the row is sent again.
 */
export const OUTBOX_CLAIM_TTL_MS = 2 * 60_000;
/** Test sends a user may start per minute. */
export const TEST_SENDS_PER_MINUTE = 3;
const BATCH = 50;
/** Finished outbox rows are kept a week, for support questions, then deleted. */
const KEEP_DONE_MS = 7 * 24 * 60 * 60_000;

export interface OutboxRow {
  id: string;
  /** Null for a webhook delivery. */
  subscriptionId: string | null;
  userId: string | null;
  /** A path level's webhook, or null for a push. */
  webhookId: string | null;
  kind:
    'sla_alert' | 'escalation' | 'test' | 'connector' | 'red_flag' | 'digest' | 'shift' | 'device';
  sourceId: string;
  payloadJson: string;
  attempts: number;
}

interface Device {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  retired_at: number | null;
}

export interface SendOutcome {
  status: 'sent' | 'retired' | 'failed';
  detail: PushOutcome;
  /** For a failure that may pass: how long to wait at least (a 429's Retry-After). */
  retryAfterMs?: number;
}

export const OUTBOX_COLUMNS =
  'id, subscription_id, user_id, webhook_id, kind, source_id, payload_json, attempts';
const outboxRow = (r: Record<string, unknown>): OutboxRow => ({
  id: r.id as string,
  subscriptionId: r.subscription_id as string | null,
  userId: r.user_id as string | null,
  webhookId: r.webhook_id as string | null,
  kind: r.kind as OutboxRow['kind'],
  sourceId: r.source_id as string,
  payloadJson: r.payload_json as string,
  attempts: Number(r.attempts),
});

/** How a failed send reads to a client, and whether trying again may help. */
function classify(err: unknown): SendOutcome {
  if (err instanceof EndpointRefused || (err as { code?: string }).code === 'EPUSHREFUSED')
    return { status: 'failed', detail: 'refused_address' };
  const code = (err as { statusCode?: number }).statusCode;
  if (code === 404 || code === 410) return { status: 'retired', detail: 'expired' };
  if (code === 429) {
    const after = Number((err as { headers?: Record<string, string> }).headers?.['retry-after']);
    return {
      status: 'failed',
      detail: 'rate_limited',
      ...(after > 0 ? { retryAfterMs: Math.min(after, 3600) * 1000 } : {}),
    };
  }
  if (code && code >= 500) return { status: 'failed', detail: 'unavailable' };
  if (code) return { status: 'failed', detail: 'rejected' };
  return { status: 'failed', detail: 'unreachable' };
}
export const mayPass = (o: SendOutcome) =>
  o.status === 'failed' && ['rate_limited', 'unavailable', 'unreachable'].includes(o.detail);

export function createPush(db: Db, client: Client, now: () => number, opts: PushOptions) {
  const pending = new Set<Promise<unknown>>();
  const instanceId = opts.instanceId ?? newId();
  const delays = opts.retryDelaysMs ?? RETRY_DELAYS_MS;
  const policy: EndpointPolicy = {
    allowed: opts.allowedHosts ?? [],
    resolve: opts.resolve ?? systemResolve,
  };
  // Every connection goes through the guarded lookup: the address checked is the one connected to.
  const agent = new Agent({
    lookup: guardedLookup(policy),
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  /** Outcomes sent but not yet recorded (the database refused the write): recorded before any new send. */
  const unrecorded = new Map<string, InStatement[]>();

  async function post(
    sub: { id: string; endpoint: string; p256dh: string; auth: string },
    payload: string,
  ): Promise<SendOutcome> {
    try {
      const { url } = checkEndpointUrl(sub.endpoint, policy.allowed);
      // web-push reads the host with the legacy parser: it must read the same host as the check.
      if (legacyParse(url.href).host !== url.host) throw new EndpointRefused('ambiguous endpoint');
      await webpush.sendNotification(
        { endpoint: url.href, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        {
          vapidDetails: {
            subject: opts.subject,
            publicKey: opts.vapid.publicKey,
            privateKey: opts.vapid.privateKey,
          },
          TTL: 3600,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
          timeout: 10_000,
          agent,
        },
      );
      return { status: 'sent', detail: 'delivered' };
    } catch (err) {
      const outcome = classify(err);
      // The detail is for the operator; the endpoint's path is the device's secret, so only its host.
      const e = err as { statusCode?: number; message?: string; body?: string };
      const host = URL.canParse(sub.endpoint) ? new URL(sub.endpoint).host : '?';
      console.error(
        `[push] ${outcome.detail}: device ${sub.id} at ${host}: ${e.statusCode ? `HTTP ${e.statusCode} ${String(e.body ?? '').slice(0, 200)}` : e.message}`,
      );
      return outcome;
    }
  }

  /** Statements that record an outcome: the row's state, and the device's last result. */
  function recordStatements(row: OutboxRow, outcome: SendOutcome, t: number): InStatement[] {
    const attempts = row.attempts + 1;
    const maxAttempts = row.kind === 'test' ? 1 : delays.length + 1;
    const error = outcome.status === 'sent' ? null : outcome.detail;
    const release = 'claimed_by = NULL, claimed_until = NULL';
    const mine = 'WHERE id = ? AND claimed_by = ?';
    // The device's status: its last success, or its last failure and the failure's category.
    // (`last_error` is the current trouble, cleared by a success; `last_failure` stays.)
    const device: InStatement | null = !row.subscriptionId
      ? null
      : outcome.status === 'sent'
        ? {
            sql: 'UPDATE push_subscriptions SET last_error = NULL, last_success_at = ? WHERE id = ?',
            args: [t, row.subscriptionId],
          }
        : {
            sql: `UPDATE push_subscriptions SET last_error = ?, last_failure = ?, last_failure_at = ?${outcome.status === 'retired' ? ', retired_at = ?' : ''} WHERE id = ?`,
            args: [
              error,
              error,
              t,
              ...(outcome.status === 'retired' ? [t] : []),
              row.subscriptionId,
            ],
          };
    if (mayPass(outcome) && attempts < maxAttempts) {
      const wait = Math.max(delays[row.attempts] ?? 0, outcome.retryAfterMs ?? 0);
      return [
        {
          sql: `UPDATE push_outbox SET state = 'pending', attempts = ?, next_at = ?, last_error = ?, ${release} ${mine}`,
          args: [attempts, t + wait, error, row.id, instanceId],
        },
        ...(device ? [device] : []),
      ];
    }
    const state = outcome.status === 'sent' ? 'sent' : outcome.status;
    return [
      {
        sql: `UPDATE push_outbox SET state = '${state}', attempts = ?, done_at = ?, last_error = ?, ${release} ${mine}`,
        args: [attempts, t, error, row.id, instanceId],
      },
      ...(device ? [device] : []),
    ];
  }

  /** Writes what is owed; false if the database still refuses (then nothing new is sent). */
  async function flushUnrecorded(): Promise<boolean> {
    for (const [id, stmts] of unrecorded) {
      try {
        await client.batch(stmts, 'write');
        unrecorded.delete(id);
      } catch (err) {
        console.error('[push] recording a sent push failed; kept to retry', err);
        return false;
      }
    }
    return true;
  }

  /** An escalation's notification carries a fresh single-use action token for its manager. */
  async function payloadOf(row: OutboxRow, t: number): Promise<string> {
    const payload = JSON.parse(row.payloadJson) as { escalationId?: string; pageId?: string };
    if (row.kind !== 'escalation' && !payload.pageId) return row.payloadJson;
    const extra: Record<string, string> = {};
    if (row.kind === 'escalation') {
      const token = randomToken();
      // A page's notification has the page's own source id; the escalation is named in the payload.
      await client.execute({
        sql: 'INSERT INTO action_tokens (token_hash, escalation_id, user_id, expires_at) VALUES (?, ?, ?, ?)',
        args: [
          sha256(token),
          payload.escalationId ?? row.sourceId,
          row.userId,
          t + ACTION_TOKEN_TTL_MS,
        ],
      });
      extra.actionToken = token;
    }
    if (payload.pageId) {
      // A page's Acknowledge button acts with a token of its own, for this person only.
      const token = randomToken();
      await client.execute({
        sql: 'INSERT INTO page_tokens (token_hash, page_id, user_id, expires_at) VALUES (?, ?, ?, ?)',
        args: [sha256(token), payload.pageId, row.userId, t + ACTION_TOKEN_TTL_MS],
      });
      extra.ackToken = token;
    }
    return JSON.stringify({ ...payload, ...extra });
  }

  /**
   * Sends one claimed row and records the outcome. The send and its record are apart: once the
   * push service has the push, a failing record is kept in memory and written later, never
   * answered by sending again.
   */
  async function deliver(row: OutboxRow): Promise<PushResult | null> {
    if (row.webhookId) {
      await deliverWebhook(row);
      return null;
    }
    let sub: Device | undefined;
    let payload: string | undefined;
    try {
      sub = (
        await client.execute({
          sql: 'SELECT id, endpoint, p256dh, auth, retired_at FROM push_subscriptions WHERE id = ?',
          args: [row.subscriptionId],
        })
      ).rows[0] as unknown as Device | undefined;
      if (sub && sub.retired_at === null) payload = await payloadOf(row, now());
    } catch (err) {
      // Nothing was sent: the claim lapses and the row is tried again then.
      console.error('[push] could not prepare a push; it waits for its claim to lapse', err);
      return null;
    }
    const outcome: SendOutcome =
      sub && payload !== undefined
        ? await post(sub, payload)
        : { status: 'retired', detail: 'expired' };
    const stmts = recordStatements(row, outcome, now());
    try {
      await client.batch(stmts, 'write');
    } catch (err) {
      console.error('[push] recording a push outcome failed; kept to retry', err);
      unrecorded.set(row.id, stmts);
    }
    return sub
      ? {
          subscriptionId: sub.id,
          endpoint: sub.endpoint,
          status: outcome.status,
          detail: outcome.detail,
        }
      : null;
  }

  /** A webhook delivery: the same claim, record and never-twice rules as a push. */
  async function deliverWebhook(row: OutboxRow): Promise<SendOutcome> {
    const outcome: SendOutcome = opts.sendWebhook
      ? await opts.sendWebhook(row)
      : { status: 'failed', detail: 'refused_address' };
    const stmts = recordStatements(row, outcome, now());
    try {
      await client.batch(stmts, 'write');
    } catch (err) {
      console.error('[push] recording a webhook outcome failed; kept to retry', err);
      unrecorded.set(row.id, stmts);
    }
    return outcome;
  }

  async function claim(t: number): Promise<OutboxRow[]> {
    const rs = await client.execute({
      sql: `UPDATE push_outbox SET claimed_by = ?, claimed_until = ?
            WHERE id IN (SELECT id FROM push_outbox
                         WHERE state = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                         ORDER BY next_at LIMIT ?)
            RETURNING ${OUTBOX_COLUMNS}`,
      args: [instanceId, t + OUTBOX_CLAIM_TTL_MS, t, t, BATCH],
    });
    return rs.rows.map((r) => outboxRow(r as unknown as Record<string, unknown>));
  }

  /** One pass over the outbox: claims what is due at `t`, sends it, records it; returns how many rows it took. */
  async function deliverDue(t = now()): Promise<number> {
    if (!(await flushUnrecorded())) return 0;
    let count = 0;
    for (;;) {
      const rows = await claim(t);
      await Promise.all(rows.map((r) => deliver(r)));
      count += rows.length;
      // A failure retried without a wait (tests) is due again at once: claim again.
      if (rows.length === 0) break;
    }
    return count;
  }

  let passing: Promise<void> | null = null;
  let again = false;
  let kickedAt = 0;
  /** Runs work after the response without losing it: tests and shutdown wait on `drain`. */
  function background(p: Promise<unknown>) {
    const tracked = p
      .catch((err) => console.error('[push]', err))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  }
  /**
   * Starts a delivery pass after the response, for what is due at `t` (the instant the rows
   * were queued at), or asks a running pass for one more round.
   */
  function kick(t = now()) {
    kickedAt = Math.max(kickedAt, t);
    if (passing) {
      again = true;
      return;
    }
    passing = (async () => {
      do {
        again = false;
        await deliverDue(Math.max(kickedAt, now()));
      } while (again);
    })().finally(() => (passing = null));
    background(passing);
  }

  /**
   * A statement that queues `payload` for every live device of the workspace's managers and
   * admins. Put it in the same batch as the row it announces; with `ifAlert`, it queues only if
   * that alert row exists (its insert may have found the alert raised already).
   */
  function enqueueForManagers(n: {
    workspaceId: string;
    kind: 'sla_alert' | 'escalation' | 'connector' | 'red_flag' | 'digest' | 'device';
    sourceId: string;
    payload: object;
    t: number;
    ifAlert?: string;
    /** Admins alone (a connector's health is theirs to mend); managers and admins by default. */
    adminsOnly?: boolean;
    /** This manager alone (their own weekly digest). */
    userId?: string;
  }): { sql: string; args: InValue[] } {
    return {
      sql: `INSERT OR IGNORE INTO push_outbox (id, workspace_id, subscription_id, user_id, kind, source_id, payload_json, state, attempts, next_at, created_at)
            SELECT lower(hex(randomblob(12))), s.workspace_id, s.id, s.user_id, ?, ?, ?, 'pending', 0, ?, ?
            FROM push_subscriptions s JOIN users u ON u.id = s.user_id AND u.workspace_id = s.workspace_id
            WHERE s.workspace_id = ? AND s.retired_at IS NULL AND u.role IN (${n.adminsOnly ? "'admin'" : "'manager', 'admin'"})
              ${n.ifAlert ? 'AND EXISTS (SELECT 1 FROM alerts WHERE id = ?)' : ''}
              ${n.userId ? 'AND s.user_id = ?' : ''}`,
      args: [
        n.kind,
        n.sourceId,
        JSON.stringify(n.payload),
        n.t,
        n.t,
        n.workspaceId,
        ...(n.ifAlert ? [n.ifAlert] : []),
        ...(n.userId ? [n.userId] : []),
      ],
    };
  }

  return {
    publicKey: opts.vapid.publicKey,
    instanceId,
    enqueueForManagers,
    deliverDue,
    kick,

    /** Writes `stmts` (which queue notifications) in one batch, then starts delivering them. */
    async writeAndKick(stmts: InStatement[], t: number): Promise<void> {
      await client.batch(stmts, 'write');
      kick(t);
    },

    /** Writes `stmts` and the notification to managers in one batch, then starts delivering it. */
    async writeAndNotifyManagers(
      stmts: InStatement[],
      n: Parameters<typeof enqueueForManagers>[0],
    ): Promise<void> {
      await client.batch([...stmts, enqueueForManagers(n)], 'write');
      kick(n.t);
    },

    /**
     * A device belongs to the user who subscribed it. The same user subscribing again updates
     * the keys; anyone else gets CONFLICT and nothing is written.
     */
    async subscribe(
      caller: { userId: string; workspaceId: string },
      sub: { endpoint: string; keys: { p256dh: string; auth: string } },
    ) {
      let url: URL;
      try {
        url = await checkEndpoint(sub.endpoint, policy);
      } catch (err) {
        if (err instanceof EndpointRefused) throw new PushError('BAD_REQUEST', err.message);
        throw err;
      }
      const rs = await client.execute({
        sql: `INSERT INTO push_subscriptions (id, workspace_id, user_id, endpoint, p256dh, auth, created_at)
              VALUES (?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth,
                retired_at = NULL, last_error = NULL
              WHERE push_subscriptions.user_id = excluded.user_id`,
        args: [
          newId(),
          caller.workspaceId,
          caller.userId,
          url.href,
          sub.keys.p256dh,
          sub.keys.auth,
          now(),
        ],
      });
      if (rs.rowsAffected === 0)
        throw new PushError(
          'CONFLICT',
          'This browser already receives Deskwatch notifications for another account. Sign out of that account in this browser, then turn notifications on again.',
        );
    },

    async unsubscribe(caller: { userId: string }, endpoint: string) {
      await db.delete(pushSubscriptions).where(
        and(
          // Stored as the URL parser spells it (see subscribe).
          eq(pushSubscriptions.endpoint, new URL(endpoint).href),
          eq(pushSubscriptions.userId, caller.userId),
        ),
      );
    },

    async listMine(caller: { userId: string }) {
      return db.query.pushSubscriptions.findMany({
        where: eq(pushSubscriptions.userId, caller.userId),
        columns: { id: true, endpoint: true, createdAt: true, retiredAt: true, lastError: true },
      });
    },

    /**
     * Sends a test to each of the caller's live devices now and returns each one's result. The
     * rows go through the outbox like any push (queued already claimed, so no other pass takes
     * them), and a user may start a few a minute: the outbox rows are the count.
     */
    async sendTest(caller: { userId: string }, deviceId?: string): Promise<PushResult[]> {
      const t = now();
      // One device (its "send test"), or every live device of the person.
      const only = deviceId ?? null;
      const live = await client.execute({
        sql: 'SELECT count(*) FROM push_subscriptions WHERE user_id = ? AND retired_at IS NULL AND (? IS NULL OR id = ?)',
        args: [caller.userId, only, only],
      });
      if (Number(live.rows[0]![0]) === 0) return [];
      if (!(await flushUnrecorded())) throw new Error('The database is busy; try again');
      const sourceId = newId();
      const payload = {
        kind: 'test',
        title: 'Deskwatch test',
        body: 'Notifications work on this device.',
      };
      const rs = await client.execute({
        sql: `INSERT INTO push_outbox (id, workspace_id, subscription_id, user_id, kind, source_id, payload_json, state, attempts, next_at, claimed_by, claimed_until, created_at)
              SELECT lower(hex(randomblob(12))), s.workspace_id, s.id, s.user_id, 'test', ?, ?, 'pending', 0, ?, ?, ?, ?
              FROM push_subscriptions s
              WHERE s.user_id = ? AND s.retired_at IS NULL AND (? IS NULL OR s.id = ?)
                AND (SELECT count(DISTINCT source_id) FROM push_outbox
                     WHERE user_id = ? AND kind = 'test' AND created_at > ?) < ?
              RETURNING ${OUTBOX_COLUMNS}`,
        args: [
          sourceId,
          JSON.stringify(payload),
          t,
          instanceId,
          t + OUTBOX_CLAIM_TTL_MS,
          t,
          caller.userId,
          only,
          only,
          caller.userId,
          t - 60_000,
          TEST_SENDS_PER_MINUTE,
        ],
      });
      if (rs.rows.length === 0)
        throw new PushError(
          'TOO_MANY_REQUESTS',
          `At most ${TEST_SENDS_PER_MINUTE} tests a minute: try again shortly`,
        );
      const results = await Promise.all(
        rs.rows.map((r) => deliver(outboxRow(r as unknown as Record<string, unknown>))),
      );
      return results.filter((r): r is PushResult => r !== null);
    },

    /**
     * Runs `insert` (which queues rows already claimed by this instance, returning
     * `OUTBOX_COLUMNS`) and sends those webhook deliveries now: a webhook's "send test".
     */
    async sendWebhooksNow(
      insert: (claim: { instanceId: string; until: number }) => InStatement,
    ): Promise<SendOutcome[]> {
      if (!(await flushUnrecorded())) throw new Error('The database is busy; try again');
      const rs = await client.execute(insert({ instanceId, until: now() + OUTBOX_CLAIM_TTL_MS }));
      return Promise.all(
        rs.rows.map((r) => deliverWebhook(outboxRow(r as unknown as Record<string, unknown>))),
      );
    },

    /** Deletes finished outbox rows older than a week. */
    async housekeeping() {
      await client.execute({
        sql: "DELETE FROM push_outbox WHERE state != 'pending' AND done_at < ?",
        args: [now() - KEEP_DONE_MS],
      });
    },

    /** Waits for delivery passes started after a response (tests and shutdown). */
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
export type Push = ReturnType<typeof createPush>;
