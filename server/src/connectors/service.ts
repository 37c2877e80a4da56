import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TicketSnapshot } from '@deskwatch/shared';
import { newId, seal, unseal } from '../crypto.js';
import type { Audit } from '../services/audit.js';
import type { Db } from '../db/client.js';
import {
  connectorDeliveries,
  connectorQuarantine,
  connectors,
  connectorTickets,
} from '../db/schema.js';
import { ObservationError, type SourceRef, type Tickets } from '../services/tickets.js';
import { applyUpdate } from './apply.js';
import { DELIVERY_HEADERS, TOOLS } from './index.js';
import { intakeOf, type Intake } from './intake.js';
import type { PolledTicket } from './poll-source.js';
import type { AnyTool, ParsedDelivery, RequestParts, TicketUpdate } from './types.js';

type Row = typeof connectors.$inferSelect;

/** A connector as admins see it: settings and health, never its secrets. */
export interface ConnectorView {
  id: string;
  tool: string;
  toolName: string;
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
  /** Deskwatch reads the tool's API only (`poller.ts`), no webhooks: `intake === 'poll'`. */
  polled: boolean;
  /** What the tool offers: webhooks, reading its API, or both (webhooks plus an API backfill). */
  intake: Intake;
  /** Where the tool sends its webhooks (relative to the server's public URL). */
  webhookPath: string;
  /** The same, in full: what the admin pastes into the tool. */
  webhookUrl: string;
  hasWebhookSecret: boolean;
  hasApiToken: boolean;
  secretRotatedAt: number | null;
  createdAt: number;
  /** Silent or failing this long tells admins; null: the server's default. */
  silentAfterMs: number | null;
  health: {
    received: number;
    applied: number;
    duplicates: number;
    refused: number;
    quarantined: number;
    failures: number;
    lastEventAt: number | null;
    /** How far behind the tool the last event was taken in (ms), when known. */
    lagMs: number | null;
    lastError: string | null;
    lastErrorAt: number | null;
    backfill: { phase: string; done: number; total: number | null } | null;
  };
}

/** What "send a test event" found: each step a real delivery goes through, up to applying. */
export interface TestOutcome {
  ok: boolean;
  /** Why it would be refused or quarantined; null when it would apply. */
  reason: string | null;
  kind: string | null;
  updates: { externalId: string; changes: number }[];
}

export interface QuarantinedView {
  id: string;
  deliveryId: string | null;
  reason: string;
  payload: string;
  receivedAt: number;
}

/** A connector's answer to the tool: HTTP status and a small JSON body. */
export interface HookAnswer {
  status: 200 | 202 | 401 | 404 | 422 | 503;
  body: Record<string, unknown>;
}

export class ConnectorError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'PRECONDITION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** Each connector is a source of the ticket log of its own. */
export const connectorSource = (id: string): SourceRef => ({
  key: `connector:${id}`,
  userId: null,
  tokenId: null,
});

/** Tickets of a page taken in at once when they cannot share one transaction (a server). */
const INGEST_PARALLEL = 4;
/** A connector's stored picture of a ticket, and its upsert. */
const PICTURE = 'SELECT snapshot FROM connector_tickets WHERE connector_id = ? AND external_id = ?';
const UPSERT_PICTURE = `INSERT INTO connector_tickets (connector_id, external_id, snapshot, updated_at) VALUES (?,?,?,?)
  ON CONFLICT (connector_id, external_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at`;
const INSERT_DELIVERY = `INSERT INTO connector_deliveries (connector_id, delivery_id, received_at, outcome) VALUES (?,?,?,'applied') ON CONFLICT DO NOTHING`;
/** A page's counts: received, applied, duplicates; the last event's times when any applied. */
const COUNT_PAGE = `UPDATE connectors SET received = received + ?, applied = applied + ?, duplicates = duplicates + ?,
  last_event_at = COALESCE(?, last_event_at), last_event_tool_at = COALESCE(?, last_event_tool_at),
  alerted_at = CASE WHEN ? > 0 THEN NULL ELSE alerted_at END WHERE id = ?`;

/** The most of a malformed payload kept for inspection. */
const QUARANTINE_MAX = 64 * 1024;

export function createConnectors(
  db: Db,
  now: () => number,
  tickets: Tickets,
  /** From `CONNECTOR_SECRET_KEY` (`sealingKey`); null: connectors cannot hold secrets. */
  key: Buffer | null,
  /** The server's public URL, for the webhook address shown to admins. */
  publicUrl: () => string = () => '',
  /** Where admin changes to connectors are recorded (never their secrets). */
  audit?: Audit,
) {
  /** Records an admin's change to a connector (`connector.create`, `.update`, `.rotate`). */
  const record = async (
    actorId: string | null | undefined,
    action: string,
    r: Row,
    before?: unknown,
    after?: unknown,
  ) => {
    if (!audit || actorId === undefined) return;
    await audit.record(db, {
      workspaceId: r.workspaceId,
      actorId,
      action,
      target: `connector:${r.id}`,
      before,
      after,
    });
  };
  /** What the audit log keeps of a connector: its settings, never a secret. */
  const settingsOf = (r: Row) => ({
    tool: r.tool,
    name: r.name,
    config: JSON.parse(r.config) as unknown,
    enabled: r.enabled,
    silentAfterMs: r.silentAfterMs,
  });
  const sealed = (plain: string) => {
    if (!key)
      throw new ConnectorError(
        'PRECONDITION_FAILED',
        'Set CONNECTOR_SECRET_KEY in the server configuration before connecting a tool: secrets are encrypted with it.',
      );
    return seal(key, plain);
  };
  const toolOf = (id: string): AnyTool => {
    const tool = TOOLS[id];
    if (!tool) throw new ConnectorError('BAD_REQUEST', `No connector for ${id}`);
    return tool as AnyTool;
  };
  const parseConfig = (tool: AnyTool, config: unknown) => {
    const r = tool.config.safeParse(config);
    if (!r.success)
      throw new ConnectorError(
        'BAD_REQUEST',
        `${tool.name} settings: ${r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
      );
    return r.data;
  };

  const toView = (r: Row): ConnectorView => ({
    id: r.id,
    tool: r.tool,
    toolName: TOOLS[r.tool]?.name ?? r.tool,
    name: r.name,
    config: JSON.parse(r.config) as Record<string, unknown>,
    enabled: r.enabled,
    polled: intakeOf(TOOLS[r.tool]) === 'poll',
    intake: intakeOf(TOOLS[r.tool]),
    webhookPath: `/hooks/${r.id}`,
    webhookUrl: `${publicUrl().replace(/\/+$/, '')}/hooks/${r.id}`,
    hasWebhookSecret: r.webhookSecret !== null,
    hasApiToken: r.apiToken !== null,
    secretRotatedAt: r.secretRotatedAt,
    createdAt: r.createdAt,
    silentAfterMs: r.silentAfterMs,
    health: {
      received: r.received,
      applied: r.applied,
      duplicates: r.duplicates,
      refused: r.refused,
      quarantined: r.quarantined,
      failures: r.failures,
      lastEventAt: r.lastEventAt,
      lagMs:
        r.lastEventAt !== null && r.lastEventToolAt !== null
          ? Math.max(0, r.lastEventAt - r.lastEventToolAt)
          : null,
      lastError: r.lastError,
      lastErrorAt: r.lastErrorAt,
      backfill: r.backfill ? (JSON.parse(r.backfill) as ConnectorView['health']['backfill']) : null,
    },
  });

  const find = async (workspaceId: string, id: string) => {
    const r = await db.query.connectors.findFirst({
      where: and(eq(connectors.id, id), eq(connectors.workspaceId, workspaceId)),
    });
    if (!r) throw new ConnectorError('NOT_FOUND', 'No such connector in your workspace');
    return r;
  };

  type Counted = {
    [K in keyof Row]?: Row[K] | ReturnType<typeof sql>;
  };
  const count = (id: string, set: Counted) =>
    db.update(connectors).set(set).where(eq(connectors.id, id));
  const bump = (
    col: 'received' | 'applied' | 'duplicates' | 'refused' | 'quarantined' | 'failures',
  ) => sql`${connectors[col]} + 1`;

  /** One ticket's updates at a time in this process, so each builds on the last one's picture. */
  const queues = new Map<string, Promise<unknown>>();
  function serially<T>(k: string, fn: () => Promise<T>): Promise<T> {
    const prev = queues.get(k) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    queues.set(k, tail);
    void tail.then(() => {
      if (queues.get(k) === tail) queues.delete(k);
    });
    return run;
  }

  async function quarantine(c: Row, deliveryId: string | null, reason: string, payload: string) {
    const t = now();
    await db.batch([
      db.insert(connectorQuarantine).values({
        id: newId(),
        connectorId: c.id,
        workspaceId: c.workspaceId,
        deliveryId,
        reason,
        payload: payload.slice(0, QUARANTINE_MAX),
        receivedAt: t,
      }),
      ...(deliveryId
        ? [
            db
              .insert(connectorDeliveries)
              .values({ connectorId: c.id, deliveryId, receivedAt: t, outcome: 'quarantined' })
              .onConflictDoNothing(),
          ]
        : []),
      count(c.id, { quarantined: bump('quarantined'), lastError: reason, lastErrorAt: t }),
    ]);
  }

  /**
   * Applies one ticket's update: the connector's picture of the ticket moves on and is observed
   * as this connector's view. Refused whole (with the reason) when it cannot apply.
   */
  function applyOne(c: Row, tool: AnyTool, u: TicketUpdate) {
    return serially(`${c.id}\u0000${u.externalId}`, async () => {
      const stored = await db.query.connectorTickets.findFirst({
        where: and(
          eq(connectorTickets.connectorId, c.id),
          eq(connectorTickets.externalId, u.externalId),
        ),
      });
      const prev = stored ? (JSON.parse(stored.snapshot) as TicketSnapshot) : null;
      const next = applyUpdate(prev, u, sourceOf(c, tool));
      if ('error' in next) return next.error;
      try {
        await tickets.observe(c.workspaceId, next, connectorSource(c.id));
      } catch (err) {
        if (err instanceof ObservationError) return `ticket ${u.externalId}: ${err.message}`;
        throw err;
      }
      const t = now();
      await db
        .insert(connectorTickets)
        .values({
          connectorId: c.id,
          externalId: u.externalId,
          snapshot: JSON.stringify(next),
          updatedAt: t,
        })
        .onConflictDoUpdate({
          target: [connectorTickets.connectorId, connectorTickets.externalId],
          set: { snapshot: JSON.stringify(next), updatedAt: t },
        });
      return null;
    });
  }

  /** Why the delivery's updates cannot all apply to the stored pictures, or null: they can. */
  async function check(c: Row, tool: AnyTool, parsed: ParsedDelivery) {
    for (const u of parsed.updates) {
      const stored = await db.query.connectorTickets.findFirst({
        where: and(
          eq(connectorTickets.connectorId, c.id),
          eq(connectorTickets.externalId, u.externalId),
        ),
      });
      const next = applyUpdate(
        stored ? (JSON.parse(stored.snapshot) as TicketSnapshot) : null,
        u,
        sourceOf(c, tool),
      );
      if ('error' in next) return next.error;
    }
    return null;
  }

  /**
   * Takes in one parsed delivery: a delivery already taken is a duplicate; otherwise every
   * update is checked before any applies, and one that cannot apply quarantines the delivery.
   */
  async function ingest(c: Row, parsed: ParsedDelivery, raw: string): Promise<HookAnswer> {
    const done = await db.query.connectorDeliveries.findFirst({
      where: and(
        eq(connectorDeliveries.connectorId, c.id),
        eq(connectorDeliveries.deliveryId, parsed.deliveryId),
      ),
    });
    if (done) {
      await count(c.id, { duplicates: bump('duplicates') });
      return { status: 200, body: { ok: true, duplicate: true } };
    }
    const tool = toolOf(c.tool);
    // Every update must make a valid picture before any is applied: never half a delivery.
    const refusal = await check(c, tool, parsed);
    if (refusal) {
      await quarantine(c, parsed.deliveryId, refusal, raw);
      return { status: 422, body: { ok: false, quarantined: true, reason: refusal } };
    }
    for (const u of parsed.updates) {
      const err = await applyOne(c, tool, u);
      if (err) {
        await quarantine(c, parsed.deliveryId, err, raw);
        return { status: 422, body: { ok: false, quarantined: true, reason: err } };
      }
    }
    const t = now();
    const toolAt = Math.max(...parsed.updates.map((u) => u.toolAt), Number.NEGATIVE_INFINITY);
    await db.batch([
      db
        .insert(connectorDeliveries)
        .values({
          connectorId: c.id,
          deliveryId: parsed.deliveryId,
          receivedAt: t,
          outcome: 'applied',
        })
        .onConflictDoNothing(),
      count(c.id, {
        applied: bump('applied'),
        lastEventAt: t,
        ...(Number.isFinite(toolAt) ? { lastEventToolAt: toolAt } : {}),
        alertedAt: null,
      }),
    ]);
    return { status: 200, body: { ok: true, tickets: parsed.updates.map((u) => u.externalId) } };
  }

  return {
    /** Sets up a tool for the workspace; secrets are sealed before they are stored. */
    async create(
      workspaceId: string,
      input: {
        tool: string;
        name: string;
        config: unknown;
        webhookSecret?: string | undefined;
        apiToken?: string | undefined;
        silentAfterMs?: number | null | undefined;
      },
      /** The admin making the change, for the audit log; undefined: not recorded (tests). */
      actorId?: string | null,
    ): Promise<ConnectorView> {
      const tool = toolOf(input.tool);
      const config = parseConfig(tool, input.config);
      const row: Row = {
        id: newId(),
        workspaceId,
        tool: tool.id,
        name: input.name,
        config: JSON.stringify(config),
        webhookSecret: input.webhookSecret ? sealed(input.webhookSecret) : null,
        apiToken: input.apiToken ? sealed(input.apiToken) : null,
        enabled: true,
        cursor: null,
        backfill: null,
        pollNotBefore: null,
        received: 0,
        applied: 0,
        duplicates: 0,
        refused: 0,
        quarantined: 0,
        failures: 0,
        lastEventAt: null,
        lastEventToolAt: null,
        lastError: null,
        lastErrorAt: null,
        alertedAt: null,
        createdAt: now(),
        secretRotatedAt: null,
        silentAfterMs: input.silentAfterMs ?? null,
      };
      await db.insert(connectors).values(row);
      await record(actorId, 'connector.create', row, undefined, settingsOf(row));
      return toView(row);
    },

    async list(workspaceId: string): Promise<ConnectorView[]> {
      const rows = await db.query.connectors.findMany({
        where: eq(connectors.workspaceId, workspaceId),
        orderBy: connectors.createdAt,
      });
      return rows.map(toView);
    },

    async get(workspaceId: string, id: string): Promise<ConnectorView> {
      return toView(await find(workspaceId, id));
    },

    /** Name, settings and on/off; secrets go through `rotate`. */
    async update(
      workspaceId: string,
      id: string,
      input: {
        name?: string | undefined;
        config?: unknown;
        enabled?: boolean | undefined;
        silentAfterMs?: number | null | undefined;
      },
      actorId?: string | null,
    ): Promise<ConnectorView> {
      const c = await find(workspaceId, id);
      const config =
        input.config === undefined ? undefined : parseConfig(toolOf(c.tool), input.config);
      await db
        .update(connectors)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(config !== undefined ? { config: JSON.stringify(config) } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(input.silentAfterMs !== undefined ? { silentAfterMs: input.silentAfterMs } : {}),
        })
        .where(eq(connectors.id, id));
      const after = await find(workspaceId, id);
      await record(actorId, 'connector.update', after, settingsOf(c), settingsOf(after));
      return toView(after);
    },

    /** Replaces the webhook secret and/or the API token (write-only: they are never read back). */
    async rotate(
      workspaceId: string,
      id: string,
      input: { webhookSecret?: string | undefined; apiToken?: string | undefined },
      actorId?: string | null,
    ): Promise<ConnectorView> {
      const c = await find(workspaceId, id);
      await db
        .update(connectors)
        .set({
          ...(input.webhookSecret ? { webhookSecret: sealed(input.webhookSecret) } : {}),
          ...(input.apiToken ? { apiToken: sealed(input.apiToken) } : {}),
          secretRotatedAt: now(),
        })
        .where(eq(connectors.id, id));
      // Which secret changed, never its value.
      await record(actorId, 'connector.rotate', c, undefined, {
        webhookSecret: input.webhookSecret ? 'replaced' : 'kept',
        apiToken: input.apiToken ? 'replaced' : 'kept',
      });
      return toView(await find(workspaceId, id));
    },

    /** Malformed payloads kept for inspection, newest first. */
    async quarantined(workspaceId: string, id: string): Promise<QuarantinedView[]> {
      await find(workspaceId, id);
      const rows = await db
        .select()
        .from(connectorQuarantine)
        .where(
          and(
            eq(connectorQuarantine.connectorId, id),
            eq(connectorQuarantine.workspaceId, workspaceId),
          ),
        )
        .orderBy(desc(connectorQuarantine.receivedAt))
        .limit(100);
      return rows.map((r) => ({
        id: r.id,
        deliveryId: r.deliveryId,
        reason: r.reason,
        payload: r.payload,
        receivedAt: r.receivedAt,
      }));
    },

    /**
     * "Send a test event": a sample delivery as the tool sends it, signed with the stored secret
     * and verified, read and checked against the stored tickets as a real one is, stopping short
     * of applying it. Proves the secret and the mapping; the health counters are left alone.
     */
    async test(workspaceId: string, id: string): Promise<TestOutcome> {
      const c = await find(workspaceId, id);
      const tool = toolOf(c.tool);
      const failed = (reason: string): TestOutcome => ({
        ok: false,
        reason,
        kind: null,
        updates: [],
      });
      if (!c.webhookSecret) return failed('No webhook secret is set for this connector');
      if (!key) return failed('CONNECTOR_SECRET_KEY is not set on the server');
      let secret: string;
      try {
        secret = unseal(key, c.webhookSecret);
      } catch {
        return failed('The connector secret cannot be read with this server key: rotate it');
      }
      const t = now();
      const config: unknown = JSON.parse(c.config);
      const sample = tool.sample(config, t);
      const req = { headers: sample.sign(secret, t), body: sample.body, receivedAt: t };
      const verdict = tool.verify(req, secret, t, config);
      if (!verdict.ok) return failed(`Refused: ${verdict.reason}`);
      let parsed: ParsedDelivery;
      try {
        parsed = await tool.parse(req, config);
      } catch (err) {
        return failed(`Malformed ${tool.name} payload: ${describe(err)}`);
      }
      const refusal = await check(c, tool, parsed);
      const updates = parsed.updates.map((u) => ({
        externalId: u.externalId,
        changes: u.changes.length,
      }));
      return { ok: !refusal, reason: refusal, kind: parsed.kind, updates };
    },

    /**
     * A webhook delivery for connector `id`, as received: verified with the tool's signing
     * scheme, refused and counted when it is not; taken once by its delivery id; quarantined,
     * with nothing applied, when it cannot be read.
     */
    async webhook(id: string, req: RequestParts): Promise<HookAnswer> {
      const c = await db.query.connectors.findFirst({ where: eq(connectors.id, id) });
      if (!c || !c.enabled) return { status: 404, body: { ok: false, error: 'No such connector' } };
      const tool = TOOLS[c.tool] as AnyTool | undefined;
      const t = now();
      const refuse = async (reason: string): Promise<HookAnswer> => {
        await count(c.id, {
          received: bump('received'),
          refused: bump('refused'),
          lastError: `Refused a request: ${reason}`,
          lastErrorAt: t,
        });
        return { status: 401, body: { ok: false, error: reason } };
      };
      if (!tool) return refuse('unknown tool');
      if (!c.webhookSecret) return refuse('no webhook secret is set for this connector');
      if (!key)
        return { status: 503, body: { ok: false, error: 'CONNECTOR_SECRET_KEY is not set' } };
      let secret: string;
      try {
        secret = unseal(key, c.webhookSecret);
      } catch {
        return {
          status: 503,
          body: { ok: false, error: 'The connector secret cannot be read with this server key' },
        };
      }
      const config: unknown = JSON.parse(c.config);
      const verdict = tool.verify(req, secret, t, config);
      if (!verdict.ok) return refuse(verdict.reason);
      await count(c.id, { received: bump('received') });
      let parsed: ParsedDelivery;
      try {
        parsed = await tool.parse({ ...req, receivedAt: t }, config);
      } catch (err) {
        const reason = `Malformed ${tool.name} payload: ${describe(err)}`;
        const deliveryId = deliveryIdOf(req);
        if (deliveryId) {
          const seen = await db.query.connectorDeliveries.findFirst({
            where: and(
              eq(connectorDeliveries.connectorId, c.id),
              eq(connectorDeliveries.deliveryId, deliveryId),
            ),
          });
          if (seen) {
            await count(c.id, { duplicates: bump('duplicates') });
            return { status: 200, body: { ok: true, duplicate: true } };
          }
        }
        await quarantine(c, deliveryId, reason, req.body);
        return { status: 422, body: { ok: false, quarantined: true, reason } };
      }
      return ingest(c, parsed, req.body);
    },

    /**
     * For the poller: a page read from the tool's API, each ticket its own delivery. On a local
     * file the page is taken in as one transaction (`observeMany`): every ticket's events, its
     * connector picture, its delivery id and the counters commit together or not at all, so the
     * poller's cursor, stored after this resolves, never runs ahead of what was applied, and a
     * page taken in twice changes nothing. A ticket that cannot apply is quarantined alone; one
     * that changed meanwhile (a webhook), or met twice in the page, is taken in alone after.
     * On a server, each ticket is one delivery as webhooks are. Resolves with the tickets taken.
     */
    async ingestPage(id: string, page: PolledTicket[]): Promise<number> {
      if (page.length === 0) return 0;
      const c = await db.query.connectors.findFirst({ where: eq(connectors.id, id) });
      if (!c) throw new ConnectorError('NOT_FOUND', 'No such connector');
      const tool = toolOf(c.tool);
      const alone = async (p: PolledTicket, counted = false) => {
        if (!counted) await count(c.id, { received: bump('received') });
        const parsed = { deliveryId: p.deliveryId, updates: [p.update], kind: 'poll' };
        await ingest(c, parsed, JSON.stringify(parsed.updates));
      };
      const seen = new Set<string>();
      const first = page.filter(
        (p) => !seen.has(p.update.externalId) && seen.add(p.update.externalId),
      );
      const again = page.filter((p) => !first.includes(p));
      const [done, stored] = await Promise.all([
        db
          .select({ d: connectorDeliveries.deliveryId })
          .from(connectorDeliveries)
          .where(
            and(
              eq(connectorDeliveries.connectorId, c.id),
              inArray(
                connectorDeliveries.deliveryId,
                first.map((p) => p.deliveryId),
              ),
            ),
          ),
        db
          .select({ x: connectorTickets.externalId, s: connectorTickets.snapshot })
          .from(connectorTickets)
          .where(
            and(
              eq(connectorTickets.connectorId, c.id),
              inArray(connectorTickets.externalId, [...seen]),
            ),
          ),
      ]);
      const delivered = new Set(done.map((r) => r.d));
      const pictures = new Map(stored.map((r) => [r.x, r.s]));
      const src = connectorSource(c.id);
      const refused: [PolledTicket, string][] = [];
      const items: (Parameters<Tickets['observeMany']>[1][number] & { p: PolledTicket })[] = [];
      let duplicates = 0;
      const t = now();
      for (const p of first) {
        if (delivered.has(p.deliveryId)) {
          duplicates++;
          continue;
        }
        const was = pictures.get(p.update.externalId) ?? null;
        const next = applyUpdate(
          was ? (JSON.parse(was) as TicketSnapshot) : null,
          p.update,
          sourceOf(c, tool),
        );
        if ('error' in next) {
          refused.push([p, next.error]);
          continue;
        }
        const snapshot = JSON.stringify(next);
        items.push({
          p,
          snap: next,
          source: src,
          // The picture it was built on is still the stored one (or there is still none).
          guard: (x) => (x.all(PICTURE, [c.id, p.update.externalId])[0]?.[0] ?? null) === was,
          writes: [
            { sql: UPSERT_PICTURE, args: [c.id, p.update.externalId, snapshot, t] },
            { sql: INSERT_DELIVERY, args: [c.id, p.deliveryId, t] },
          ],
        });
      }
      const outcomes = await tickets.observeMany(c.workspaceId, items, (out) => {
        const applied = items.filter((_, i) => out[i] === null);
        const toolAt = Math.max(...applied.map((it) => it.p.update.toolAt));
        return [
          {
            sql: COUNT_PAGE,
            args: [
              first.length,
              applied.length,
              duplicates,
              applied.length ? t : null,
              Number.isFinite(toolAt) ? toolAt : null,
              applied.length,
              c.id,
            ],
          },
        ];
      });
      if (!outcomes) {
        // A server: no shared transaction to batch in; a few tickets at once, each one delivery.
        let k = 0;
        const worker = async () => {
          while (k < page.length) await alone(page[k++]!);
        };
        await Promise.all(Array.from({ length: INGEST_PARALLEL }, worker));
        return page.length;
      }
      for (const [p, reason] of refused)
        await quarantine(c, p.deliveryId, reason, JSON.stringify([p.update]));
      for (const [i, o] of outcomes.entries()) {
        const p = items[i]!.p;
        if (o === 'stale') await alone(p, true);
        else if (o)
          await quarantine(
            c,
            p.deliveryId,
            `ticket ${p.update.externalId}: ${o.message}`,
            JSON.stringify([p.update]),
          );
      }
      for (const p of again) await alone(p);
      return page.length;
    },

    /** For the poller and tests: updates read from the tool's API, taken in as one delivery. */
    async ingestPolled(id: string, parsed: ParsedDelivery) {
      const c = await db.query.connectors.findFirst({ where: eq(connectors.id, id) });
      if (!c) throw new ConnectorError('NOT_FOUND', 'No such connector');
      await count(c.id, { received: bump('received') });
      return ingest(c, parsed, JSON.stringify(parsed.updates));
    },
  };
}
export type Connectors = ReturnType<typeof createConnectors>;

/** The adapter id a connector's tickets carry (the generic webhook's settings choose it). */
function sourceOf(c: Row, tool: AnyTool): string {
  return tool.sourceOf ? tool.sourceOf(JSON.parse(c.config)) : tool.source;
}

/** The tool's delivery id from the headers, when the body cannot be read. */
function deliveryIdOf(req: RequestParts): string | null {
  return (
    req.headers.get('x-github-delivery') ??
    req.headers.get('x-zendesk-webhook-invocation-id') ??
    DELIVERY_HEADERS.map((h) => req.headers.get(h)).find((v) => v) ??
    null
  );
}

function describe(err: unknown): string {
  if (err instanceof SyntaxError) return `not JSON (${err.message})`;
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (issues)
    return issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
  return (err as Error).message;
}
