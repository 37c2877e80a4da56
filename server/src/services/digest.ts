import type { Client } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { formatDuration, lastDigestDue, type DigestSettings } from '@deskwatch/shared';
import type { Db } from '../db/client.js';
import { digestSettings } from '../db/schema.js';
import type { Metrics } from './metrics.js';
import type { Push } from './push.js';

export const DEFAULT_DIGEST: DigestSettings = {
  enabled: false,
  weekday: 1,
  time: '08:00',
  timeZone: 'UTC',
};

/**
 * The weekly digest (issue #18): each manager chooses an ISO weekday and a local time in their
 * own zone; the scheduler sends it once per week at that instant, over the last 7 local days.
 */
export function createDigest(
  db: Db,
  client: Client,
  now: () => number,
  metrics: Pick<Metrics, 'glanceComplete'>,
  push: Push,
  publicUrl: () => string,
) {
  /** The push of one manager's digest: the week's headline numbers against the week before. */
  async function payloadOf(workspaceId: string, timeZone: string) {
    const g = await metrics.glanceComplete(workspaceId, { period: '7d', timeZone });
    const card = (m: string) => g.cards.find((c) => c.metric === m)!;
    const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 1000) / 10}%`);
    const dur = (v: number | null) => (v === null ? '–' : formatDuration(v));
    const lines = [
      `SLA compliance ${pct(card('compliance').value)} (was ${pct(card('compliance').previous)})`,
      `first response ${dur(card('first_response').value)}`,
      `resolution ${dur(card('resolution').value)}`,
      `created ${card('created').value}, solved ${card('solved').value}`,
      `backlog ${card('backlog').value}, breaches ${card('breaches').value}`,
    ];
    return {
      kind: 'digest',
      title: 'Your weekly Deskwatch digest',
      body: lines.join('; '),
      url: `${publicUrl()}/metrics`,
    };
  }

  return {
    async get(userId: string): Promise<DigestSettings> {
      const row = await db.query.digestSettings.findFirst({
        where: eq(digestSettings.userId, userId),
      });
      return row
        ? { enabled: row.enabled, weekday: row.weekday, time: row.time, timeZone: row.timeZone }
        : DEFAULT_DIGEST;
    },

    /** Stores a manager's choice; a slot already past this week waits for next week's. */
    async set(caller: { userId: string; workspaceId: string }, s: DigestSettings) {
      const t = now();
      const values = { ...s, lastDueAt: lastDigestDue(s, t), updatedAt: t };
      await db
        .insert(digestSettings)
        .values({ userId: caller.userId, workspaceId: caller.workspaceId, ...values })
        .onConflictDoUpdate({ target: digestSettings.userId, set: values });
      return s;
    },

    /**
     * Sends every digest due at `t` once: each row is claimed by moving its `last_due_at` to the
     * instant due, so a second pass or instance finds nothing. Returns the users sent to.
     */
    async sendDue(t = now()): Promise<string[]> {
      const rs = await client.execute({
        sql: `SELECT d.user_id, d.workspace_id, d.weekday, d.time, d.time_zone, d.last_due_at
              FROM digest_settings d JOIN users u ON u.id = d.user_id
              WHERE d.enabled = 1 AND u.deactivated_at IS NULL AND u.role IN ('manager', 'admin')`,
        args: [],
      });
      const sent: string[] = [];
      for (const r of rs.rows) {
        const s = { weekday: Number(r[2]), time: String(r[3]), timeZone: String(r[4]) };
        const due = lastDigestDue(s, t);
        if (due <= Number(r[5])) continue;
        const userId = String(r[0]);
        const workspaceId = String(r[1]);
        const payload = await payloadOf(workspaceId, s.timeZone);
        // The claim and the push are one transaction: both or neither.
        const tx = await client.transaction('write');
        try {
          const claimed = await tx.execute({
            sql: 'UPDATE digest_settings SET last_due_at = ? WHERE user_id = ? AND last_due_at < ?',
            args: [due, userId, due],
          });
          if (claimed.rowsAffected === 0) continue;
          await tx.execute(
            push.enqueueForManagers({
              workspaceId,
              userId,
              kind: 'digest',
              sourceId: `digest:${userId}:${due}`,
              t,
              payload,
            }),
          );
          await tx.commit();
        } finally {
          tx.close();
        }
        sent.push(userId);
      }
      if (sent.length) push.kick(t);
      return sent;
    },
  };
}
export type Digest = ReturnType<typeof createDigest>;
