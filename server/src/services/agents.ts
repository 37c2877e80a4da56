import { and, asc, eq } from 'drizzle-orm';
import type { AgentAlias, AgentEntry } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { agentAliases, users } from '../db/schema.js';

/**
 * The workspace's agent list: every user (agents, managers and admins) with the names and
 * e-mails they go by in the ticket tools. The extension reads it to tell agents' messages from
 * customers' where a page does not mark them.
 */
export function createAgents(db: Db, now: () => number) {
  return {
    /** Two indexed reads per call: cheap enough for every extension to refresh every few minutes. */
    async list(workspaceId: string): Promise<AgentEntry[]> {
      const [people, aliases] = await Promise.all([
        db
          .select({ userId: users.id, name: users.name, email: users.email, role: users.role })
          .from(users)
          .where(eq(users.workspaceId, workspaceId))
          .orderBy(asc(users.name), asc(users.id)),
        db
          .select({
            userId: agentAliases.userId,
            tool: agentAliases.tool,
            name: agentAliases.name,
            email: agentAliases.email,
          })
          .from(agentAliases)
          .where(eq(agentAliases.workspaceId, workspaceId))
          .orderBy(asc(agentAliases.createdAt), asc(agentAliases.id)),
      ]);
      return people.map((p) => ({
        ...p,
        aliases: aliases
          .filter((a) => a.userId === p.userId)
          .map(({ tool, name, email }) => ({ tool, name, email })),
      }));
    },

    /**
     * Replaces a user's aliases. False (nothing written) when the user is not in the workspace.
     */
    async setAliases(workspaceId: string, userId: string, list: AgentAlias[]): Promise<boolean> {
      const user = await db.query.users.findFirst({
        where: and(eq(users.id, userId), eq(users.workspaceId, workspaceId)),
        columns: { id: true },
      });
      if (!user) return false;
      const t = now();
      await db.transaction(async (tx) => {
        await tx
          .delete(agentAliases)
          .where(and(eq(agentAliases.workspaceId, workspaceId), eq(agentAliases.userId, userId)));
        if (list.length)
          await tx.insert(agentAliases).values(
            list.map((a, i) => ({
              id: newId(),
              workspaceId,
              userId,
              tool: a.tool ?? null,
              name: a.name ?? null,
              email: a.email?.toLowerCase() ?? null,
              // Kept in the order given.
              createdAt: t + i,
            })),
          );
      });
      return true;
    },
  };
}
export type Agents = ReturnType<typeof createAgents>;
