import type { Client } from '@libsql/client';
import type { OnCallService } from '../services/oncall.js';
import type { Push } from '../services/push.js';

/** A connector that has applied nothing for this long is reported to its workspace's admins. */
export const SILENT_AFTER_MS = 6 * 3_600_000;

/**
 * Tells admins, once per episode, of each enabled connector that has applied nothing for its
 * own threshold, else `silentAfterMs` (since its last applied event, or since it was set up): a tool that stopped
 * sending, or whose every delivery is refused or quarantined. The episode ends when an event
 * applies again (the intake clears `alerted_at`). The mark and the pushes are one transaction.
 */
export function createConnectorWatch(
  client: Client,
  push: Push,
  publicUrl: () => string,
  silentAfterMs = SILENT_AFTER_MS,
  /** Pages down the escalation path routes choose for connector failures; without one, admins. */
  oncall?: Pick<OnCallService, 'pageStatements'>,
) {
  return {
    /** Returns the ids of the connectors reported at `t`. */
    async check(t: number): Promise<string[]> {
      const tx = await client.transaction('write');
      try {
        const rs = await tx.execute({
          sql: `UPDATE connectors SET alerted_at = ?
                WHERE enabled = 1 AND alerted_at IS NULL
                  AND COALESCE(last_event_at, created_at) + COALESCE(silent_after_ms, ?) <= ?
                RETURNING id, workspace_id, name, last_event_at, last_error, silent_after_ms`,
          args: [t, silentAfterMs, t],
        });
        const pushes = [];
        for (const r of rs.rows) {
          const after = r[5] === null ? silentAfterMs : (r[5] as number);
          const since = r[3] === null ? 'since it was set up' : 'for over ' + hours(after);
          const notice = {
            workspaceId: r[1] as string,
            kind: 'connector' as const,
            // One push per episode: the outbox keeps one row per device and source.
            sourceId: `${r[0] as string}@${t}`,
            t,
            payload: {
              kind: 'connector',
              title: `Connector ${r[2] as string} has taken in no event ${since}`,
              body: r[4] ? `Last error: ${r[4] as string}` : 'Check that the tool still sends.',
              url: `${publicUrl()}/settings/connectors`,
            },
          };
          const paged = await oncall?.pageStatements({
            ...notice,
            title: notice.payload.title,
            subject: {
              kind: 'connector',
              urgency: 'low',
              priority: null,
              source: `connector:${r[0] as string}`,
              tags: [],
            },
          });
          if (paged) pushes.push(...paged);
          else pushes.push(push.enqueueForManagers({ ...notice, adminsOnly: true }));
        }
        if (pushes.length) await tx.batch(pushes);
        await tx.commit();
        if (pushes.length) push.kick(t);
        return rs.rows.map((r) => r[0] as string);
      } finally {
        tx.close();
      }
    },
  };
}
export type ConnectorWatch = ReturnType<typeof createConnectorWatch>;

const hours = (ms: number) =>
  ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`;
