import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  adapterSpec,
  adapterValues,
  parseStored,
  exampleMismatches,
  type AdapterSpec,
  type AdapterSpecInput,
  type AdapterValues,
} from '@deskwatch/shared';
import { adapterHealth, adapterSettings, taughtAdapters } from '../db/schema.js';

export class AdapterSpecError extends Error {}

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

    /** The workspace's taught adapters, as the extension runs them. */
    async taught(workspaceId: string): Promise<AdapterSpec[]> {
      const rows = await db.query.taughtAdapters.findMany({
        where: eq(taughtAdapters.workspaceId, workspaceId),
      });
      return rows.map((r) => parseStored(adapterSpec, JSON.parse(r.specJson)));
    },

    /** Saves (or replaces, by id) a taught adapter after checking its examples against its URL pattern. */
    async saveTaught(workspaceId: string, input: AdapterSpecInput): Promise<AdapterSpec> {
      const spec = adapterSpec.parse(input);
      const wrong = exampleMismatches(spec);
      if (wrong.length > 0) throw new AdapterSpecError(wrong.join('; '));
      await db
        .insert(taughtAdapters)
        .values({ workspaceId, id: spec.id, specJson: JSON.stringify(spec), updatedAt: now() })
        .onConflictDoUpdate({
          target: [taughtAdapters.workspaceId, taughtAdapters.id],
          set: { specJson: JSON.stringify(spec), updatedAt: now() },
        });
      return spec;
    },

    async deleteTaught(workspaceId: string, id: string): Promise<boolean> {
      const r = await db
        .delete(taughtAdapters)
        .where(and(eq(taughtAdapters.workspaceId, workspaceId), eq(taughtAdapters.id, id)))
        .returning();
      return r.length > 0;
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

    /** The workspace's own status and priority mappings, per tool. */
    async values(workspaceId: string): Promise<Record<string, AdapterValues>> {
      const rows = await db.query.adapterSettings.findMany({
        where: eq(adapterSettings.workspaceId, workspaceId),
      });
      return Object.fromEntries(
        rows.flatMap((r) =>
          r.valuesJson ? [[r.tool, parseStored(adapterValues, JSON.parse(r.valuesJson))]] : [],
        ),
      );
    },

    /** Replaces a tool's mappings for the workspace (empty maps remove them). */
    async setValues(workspaceId: string, tool: string, values: AdapterValues) {
      // Nothing set (no mappings, no zone, language or date format) removes the row's values.
      const empty =
        Object.keys(values.status).length === 0 &&
        Object.keys(values.priority).length === 0 &&
        !values.timeZone &&
        !values.locale &&
        !values.dateFormat;
      const valuesJson = empty ? null : JSON.stringify(values);
      await db
        .insert(adapterSettings)
        .values({ workspaceId, tool, disabled: false, valuesJson, updatedAt: now() })
        .onConflictDoUpdate({
          target: [adapterSettings.workspaceId, adapterSettings.tool],
          set: { valuesJson, updatedAt: now() },
        });
      return this.values(workspaceId);
    },
  };
}
export type Adapters = ReturnType<typeof createAdapters>;
