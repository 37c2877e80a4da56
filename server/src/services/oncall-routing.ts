import type { InValue } from '@libsql/client';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  choosePath,
  quietUntil,
  type PageRouteMatch,
  type PageSubject,
  type PathConditions,
  type PathLevel,
  type pageRoutesInput,
  type quietHoursInput,
  type Urgency,
  type WeeklyWindows,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { escalationPaths, pageRoutes, quietHours, users } from '../db/schema.js';
import type { Caller } from './accounts.js';
import { OnCallError } from './oncall-error.js';

type Stmt = { sql: string; args: InValue[] };

export interface RoutedPath {
  id: string;
  levels: PathLevel[];
  repeat: number;
}

/**
 * Which escalation path pages what (routes per SLA policy, escalation type, severity and tag,
 * each path's conditions, the default), and each person's quiet hours, which hold low-urgency
 * pushes until they end.
 */
export function createOnCallRouting(db: Db, now: () => number) {
  return {
    /**
     * The path that pages `subject` at `t`: see shared `choosePath`. Without a subject (callers
     * that predate routing) the default path, whatever its conditions.
     */
    async pathFor(
      workspaceId: string,
      subject: PageSubject | undefined,
      t: number,
    ): Promise<RoutedPath | null> {
      const paths = await db
        .select()
        .from(escalationPaths)
        .where(eq(escalationPaths.workspaceId, workspaceId));
      const parsed = paths.map((p) => ({
        id: p.id,
        isDefault: p.isDefault,
        conditions: JSON.parse(p.conditions) as PathConditions,
      }));
      let id: string | null;
      if (!subject) id = parsed.find((p) => p.isDefault)?.id ?? null;
      else {
        const routes = await db
          .select({ match: pageRoutes.match, pathId: pageRoutes.pathId })
          .from(pageRoutes)
          .where(eq(pageRoutes.workspaceId, workspaceId))
          .orderBy(asc(pageRoutes.position));
        id = choosePath(
          parsed,
          routes.map((r) => ({ pathId: r.pathId, match: JSON.parse(r.match) as PageRouteMatch })),
          subject,
          t,
        );
      }
      const row = paths.find((p) => p.id === id);
      return row
        ? { id: row.id, levels: JSON.parse(row.levels) as PathLevel[], repeat: row.repeat }
        : null;
    },

    /**
     * Statements that hold the pending pushes of `source` for each of `userIds` in quiet hours
     * until those end; nothing for high urgency (it always goes out). Run after the statement
     * that queues them, in the same batch, so no delivery sees them first.
     */
    async quietHoldStatements(
      workspaceId: string,
      source: string,
      userIds: string[],
      urgency: Urgency,
      t: number,
    ): Promise<Stmt[]> {
      if (urgency === 'high' || userIds.length === 0) return [];
      const rows = await db
        .select()
        .from(quietHours)
        .where(and(eq(quietHours.workspaceId, workspaceId), inArray(quietHours.userId, userIds)));
      const out: Stmt[] = [];
      for (const r of rows) {
        const until = quietUntil(JSON.parse(r.windowsJson) as WeeklyWindows, t);
        if (until === null) continue;
        out.push({
          sql: `UPDATE push_outbox SET next_at = ? WHERE workspace_id = ? AND source_id = ? AND user_id = ? AND state = 'pending' AND attempts = 0`,
          args: [until, workspaceId, source, r.userId],
        });
      }
      return out;
    },

    async listRoutes(workspaceId: string) {
      const rows = await db
        .select()
        .from(pageRoutes)
        .where(eq(pageRoutes.workspaceId, workspaceId))
        .orderBy(asc(pageRoutes.position));
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        pathId: r.pathId,
        match: JSON.parse(r.match) as PageRouteMatch,
      }));
    },

    /** Replaces the workspace's routes with `input.routes`, in that order. */
    async saveRoutes(caller: Caller, input: z.output<typeof pageRoutesInput>) {
      const own = await db
        .select({ id: escalationPaths.id })
        .from(escalationPaths)
        .where(eq(escalationPaths.workspaceId, caller.workspaceId));
      const mine = new Set(own.map((p) => p.id));
      if (input.routes.some((r) => !mine.has(r.pathId)))
        throw new OnCallError('BAD_REQUEST', 'A route names a path that is not in your workspace');
      const t = now();
      await db.transaction(async (tx) => {
        await tx.delete(pageRoutes).where(eq(pageRoutes.workspaceId, caller.workspaceId));
        if (input.routes.length)
          await tx.insert(pageRoutes).values(
            // Ids are global keys: a fresh one for every row, whatever the client sent.
            input.routes.map((r, position) => ({
              id: newId(),
              workspaceId: caller.workspaceId,
              position,
              name: r.name,
              match: JSON.stringify(r.match),
              pathId: r.pathId,
              updatedAt: t,
            })),
          );
      });
      return { count: input.routes.length };
    },

    /** The workspace's active people, for choosing whom a level pages or a page goes to. */
    async people(workspaceId: string) {
      const rows = await db
        .select({ id: users.id, name: users.name, role: users.role })
        .from(users)
        .where(and(eq(users.workspaceId, workspaceId), isNull(users.deactivatedAt)))
        .orderBy(asc(users.name));
      return rows;
    },

    async myQuietHours(caller: Caller): Promise<WeeklyWindows | null> {
      const row = await db.query.quietHours.findFirst({
        where: eq(quietHours.userId, caller.userId),
      });
      return row ? (JSON.parse(row.windowsJson) as WeeklyWindows) : null;
    },

    /** Sets (or, with null, clears) the caller's own quiet hours. */
    async saveQuietHours(caller: Caller, input: z.output<typeof quietHoursInput>) {
      if (!input.quietHours) {
        await db.delete(quietHours).where(eq(quietHours.userId, caller.userId));
        return { quietHours: null };
      }
      const values = {
        workspaceId: caller.workspaceId,
        windowsJson: JSON.stringify(input.quietHours),
        updatedAt: now(),
      };
      await db
        .insert(quietHours)
        .values({ userId: caller.userId, ...values })
        .onConflictDoUpdate({ target: quietHours.userId, set: values });
      return { quietHours: input.quietHours };
    },
  };
}
export type OnCallRouting = ReturnType<typeof createOnCallRouting>;
