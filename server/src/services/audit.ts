import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditLog, users } from '../db/schema.js';

/** A database handle or an open transaction: an audit entry is written with the change it records. */
export type Writer = Pick<Db, 'insert'>;

export interface AuditEntry {
  workspaceId: string;
  /** The admin who made the change; null for the operator's command line. */
  actorId: string | null;
  /** `person.invite`, `person.role`, `person.deactivate`, `workspace.create`, ... */
  action: string;
  /** `user:<id>`, `invitation:<id>`, `workspace:<id>`. */
  target: string;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The audit log of admin changes: written in the change's own transaction, read newest first. */
export function createAudit(db: Db, now: () => number) {
  return {
    /** Records a change through `w` (the transaction that makes it, so both or neither land). */
    async record(w: Writer, e: AuditEntry) {
      await w.insert(auditLog).values({
        workspaceId: e.workspaceId,
        actorId: e.actorId,
        action: e.action,
        target: e.target,
        beforeJson: json(e.before),
        afterJson: json(e.after),
        at: now(),
      });
    },

    /** A page of the workspace's log, newest first; `cursor` continues after the last one shown. */
    async list(workspaceId: string, opts: { cursor?: number | undefined; limit: number }) {
      const rows = await db
        .select({
          seq: auditLog.seq,
          at: auditLog.at,
          action: auditLog.action,
          target: auditLog.target,
          beforeJson: auditLog.beforeJson,
          afterJson: auditLog.afterJson,
          actorName: users.name,
          actorEmail: users.email,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(
          and(
            eq(auditLog.workspaceId, workspaceId),
            opts.cursor ? lt(auditLog.seq, opts.cursor) : undefined,
          ),
        )
        .orderBy(desc(auditLog.seq))
        .limit(opts.limit + 1);
      const page = rows.slice(0, opts.limit);
      return {
        entries: page.map((r) => ({
          seq: r.seq,
          at: r.at,
          action: r.action,
          target: r.target,
          actor: r.actorName ? { name: r.actorName, email: r.actorEmail! } : null,
          before: r.beforeJson === null ? null : (JSON.parse(r.beforeJson) as unknown),
          after: r.afterJson === null ? null : (JSON.parse(r.afterJson) as unknown),
        })),
        /** Pass as `cursor` for the next page; null on the last one. */
        nextCursor: rows.length > opts.limit ? page[page.length - 1]!.seq : null,
      };
    },
  };
}
export type Audit = ReturnType<typeof createAudit>;
