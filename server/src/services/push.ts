import type { Agent } from 'node:https';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import webpush from 'web-push';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { pushSubscriptions, settings, users } from '../db/schema.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushResult {
  subscriptionId: string;
  endpoint: string;
  status: 'sent' | 'retired' | 'failed';
  detail: string;
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
  /** An https.Agent for endpoints behind a private CA; certificate checks stay on. */
  agent?: Agent;
  /** Waits before each retry of a failure that may pass (5xx, 429, network); tests pass zeros. */
  retryDelaysMs?: number[];
}

/** Push services ask senders to back off on overload; three tries over about five seconds. */
export const RETRY_DELAYS_MS = [1000, 4000];

export function createPush(db: Db, now: () => number, opts: PushOptions) {
  const pending = new Set<Promise<unknown>>();

  async function sendOne(
    sub: typeof pushSubscriptions.$inferSelect,
    payload: object,
  ): Promise<PushResult> {
    const base = { subscriptionId: sub.id, endpoint: sub.endpoint };
    const delays = opts.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      const result = await tryOnce(sub, payload, base);
      if (result.status !== 'failed' || attempt >= delays.length) return result;
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }

  async function tryOnce(
    sub: typeof pushSubscriptions.$inferSelect,
    payload: object,
    base: { subscriptionId: string; endpoint: string },
  ): Promise<PushResult> {
    try {
      const res = await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify(payload),
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
          ...(opts.agent ? { agent: opts.agent } : {}),
        },
      );
      await db
        .update(pushSubscriptions)
        .set({ lastError: null })
        .where(eq(pushSubscriptions.id, sub.id));
      return { ...base, status: 'sent', detail: `HTTP ${res.statusCode}` };
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      // 404 and 410 mean the browser dropped the subscription: it will never work again.
      if (code === 404 || code === 410) {
        await db
          .update(pushSubscriptions)
          .set({ retiredAt: now(), lastError: `HTTP ${code}` })
          .where(eq(pushSubscriptions.id, sub.id));
        return { ...base, status: 'retired', detail: `HTTP ${code}` };
      }
      const detail = code ? `HTTP ${code}` : (err as Error).message;
      await db
        .update(pushSubscriptions)
        .set({ lastError: detail })
        .where(eq(pushSubscriptions.id, sub.id));
      return { ...base, status: 'failed', detail };
    }
  }

  return {
    publicKey: opts.vapid.publicKey,

    async subscribe(
      caller: { userId: string; workspaceId: string },
      sub: { endpoint: string; keys: { p256dh: string; auth: string } },
    ) {
      // One browser has one endpoint: re-subscribing (or another user signing in on it) takes it over.
      await db
        .insert(pushSubscriptions)
        .values({
          id: newId(),
          workspaceId: caller.workspaceId,
          userId: caller.userId,
          endpoint: sub.endpoint,
          p256dh: sub.keys.p256dh,
          auth: sub.keys.auth,
          createdAt: now(),
        })
        .onConflictDoUpdate({
          target: pushSubscriptions.endpoint,
          set: {
            workspaceId: caller.workspaceId,
            userId: caller.userId,
            p256dh: sub.keys.p256dh,
            auth: sub.keys.auth,
            retiredAt: null,
            lastError: null,
          },
        });
    },

    async unsubscribe(caller: { userId: string }, endpoint: string) {
      await db
        .delete(pushSubscriptions)
        .where(
          and(
            eq(pushSubscriptions.endpoint, endpoint),
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

    /** Sends to every live subscription of the workspace's managers and admins; `payloadFor` makes each one's payload. */
    async notifyManagers(
      workspaceId: string,
      payloadFor: (userId: string) => Promise<object>,
    ): Promise<PushResult[]> {
      const managers = await db.query.users.findMany({
        where: and(eq(users.workspaceId, workspaceId), inArray(users.role, ['manager', 'admin'])),
        columns: { id: true },
      });
      if (managers.length === 0) return [];
      const subs = await db.query.pushSubscriptions.findMany({
        where: and(
          eq(pushSubscriptions.workspaceId, workspaceId),
          isNull(pushSubscriptions.retiredAt),
          inArray(
            pushSubscriptions.userId,
            managers.map((m) => m.id),
          ),
        ),
      });
      return Promise.all(subs.map(async (s) => sendOne(s, await payloadFor(s.userId))));
    },

    async sendTest(caller: { userId: string }): Promise<PushResult[]> {
      const subs = await db.query.pushSubscriptions.findMany({
        where: and(
          eq(pushSubscriptions.userId, caller.userId),
          isNull(pushSubscriptions.retiredAt),
        ),
      });
      return Promise.all(
        subs.map((s) =>
          sendOne(s, {
            kind: 'test',
            title: 'Deskwatch test',
            body: 'Notifications work on this device.',
          }),
        ),
      );
    },

    /** Runs work after the response without losing it: tests and shutdown wait on `drain`. */
    background(p: Promise<unknown>) {
      const tracked = p
        .catch((err) => console.error('[push]', err))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
export type Push = ReturnType<typeof createPush>;
