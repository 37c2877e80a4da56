import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { adapterHealth, adapterSettings } from '../db/schema.js';

export function createAdapters(db: Db, now: () => number) {
  return {
    /** Records that fields of an adapter stopped matching on a page (one row per tool, version and field). */
    async reportHealth(
      workspaceId: string,
      report: { tool: string; version: string; fields: string[]; url: string },
    ) {
      const t = now();
      for (const field of report.fields) {
        await db
          .insert(adapterHealth)
          .values({
            workspaceId,
            tool: report.tool,
            version: report.version,
            field,
            count: 1,
            firstSeenAt: t,
            lastSeenAt: t,
            lastUrl: report.url,
          })
          .onConflictDoUpdate({
            target: [
              adapterHealth.workspaceId,
              adapterHealth.tool,
              adapterHealth.version,
              adapterHealth.field,
            ],
            set: { count: sql`${adapterHealth.count} + 1`, lastSeenAt: t, lastUrl: report.url },
          });
      }
    },

    async health(workspaceId: string) {
      return db.query.adapterHealth.findMany({
        where: eq(adapterHealth.workspaceId, workspaceId),
        orderBy: desc(adapterHealth.lastSeenAt),
        limit: 200,
      });
    },

    async disabled(workspaceId: string): Promise<string[]> {
      const rows = await db.query.adapterSettings.findMany({
        where: and(
          eq(adapterSettings.workspaceId, workspaceId),
          eq(adapterSettings.disabled, true),
        ),
      });
      return rows.map((r) => r.tool).sort();
    },

    async setDisabled(workspaceId: string, tool: string, disabled: boolean) {
      await db
        .insert(adapterSettings)
        .values({ workspaceId, tool, disabled, updatedAt: now() })
        .onConflictDoUpdate({
          target: [adapterSettings.workspaceId, adapterSettings.tool],
          set: { disabled, updatedAt: now() },
        });
      return this.disabled(workspaceId);
    },
  };
}
export type Adapters = ReturnType<typeof createAdapters>;
