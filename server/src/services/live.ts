import type { Client, ResultSet } from '@libsql/client';
import type { Bus } from '../events.js';

/** How often an instance looks for changes made by other instances (`LIVE_POLL_MS`). */
export const LIVE_POLL_MS = 500;
/** How long `live_changes` rows are kept; an instance that could not read for half of it resyncs. */
export const LIVE_RETENTION_MS = 60 * 60_000;
/** Rows read per query; a longer backlog is read in several. */
const PAGE = 500;

/**
 * The one reader of `live_changes` on this instance: every `LIVE_POLL_MS` it asks for the rows
 * after the last one it saw (one indexed query, which finds nothing when nothing changed) and
 * hands each to the bus, which wakes only the watchers of that ticket in that workspace. Its
 * cost does not grow with the number of open feeds. Changes made on this instance come back
 * too; a feed then re-reads one ticket and sends nothing, since nothing differs from what it sent.
 */
export function createLive(client: Client, bus: Bus, now: () => number) {
  let cursor: number | null = null;
  let lastRead = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = true;

  /** Reads what changed since the last call and wakes its watchers; the first call only marks where it starts. */
  async function poll(): Promise<void> {
    if (cursor === null) {
      const rs = await client.execute('SELECT coalesce(max(seq), 0) FROM live_changes');
      cursor = Number(rs.rows[0]![0]);
      lastRead = now();
      return;
    }
    // Rows older than the retention may be gone: whatever they said, every feed reads again.
    if (now() - lastRead > LIVE_RETENTION_MS / 2) bus.resync();
    for (;;) {
      const rs: ResultSet = await client.execute({
        sql: 'SELECT seq, workspace_id, ticket_id FROM live_changes WHERE seq > ? ORDER BY seq LIMIT ?',
        args: [cursor, PAGE],
      });
      lastRead = now();
      for (const r of rs.rows) {
        cursor = Number(r[0]);
        bus.publish({ workspaceId: String(r[1]), ticketId: String(r[2]) });
      }
      if (rs.rows.length < PAGE) return;
    }
  }

  const tick = (periodMs: number) => {
    running = poll()
      .catch((e: Error) => console.error(`live changes: ${e.message}`))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(() => tick(periodMs), periodMs);
      });
  };

  return {
    poll,

    /** Marks where this instance starts reading (before it serves feeds), then reads every `periodMs`. */
    async start(periodMs = LIVE_POLL_MS) {
      stopped = false;
      await poll();
      timer = setTimeout(() => tick(periodMs), periodMs);
    },

    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },

    /** Drops rows every instance has read long ago. */
    async housekeeping() {
      await client.execute({
        sql: 'DELETE FROM live_changes WHERE at < ?',
        args: [now() - LIVE_RETENTION_MS],
      });
    },
  };
}
export type Live = ReturnType<typeof createLive>;
