import type { Client } from '@libsql/client';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { kbArticles, kbEvents, kbLinks, kbQueries, tickets } from '../db/schema.js';
import { createArticles, keepVersion, type ImportItem, type ImportOptions } from './articles.js';
import { subjectTerms } from './query.js';
import { createInsights } from './insights.js';
import { createSuggest } from './suggest.js';

export type KbEventKind = (typeof kbEvents.$inferInsert)['kind'];

/** One article's marks on one ticket, as the overlay shows them. */
export interface KbMarks {
  articleId: string;
  linked: boolean;
  rating: 'helpful' | 'not_relevant' | null;
  flagged: boolean;
}

const SHOWN_AGAIN_AFTER_MS = 3_600_000;

/** The knowledge base of each workspace: articles, suggestions for tickets, and what agents did with them. */
export function createKb(db: Db, client: Client, now: () => number) {
  const articles = createArticles(db, now);
  const engine = createSuggest(client, now);

  const ticketOf = async (workspaceId: string, ticketId: string) =>
    db.query.tickets.findFirst({
      where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
    });
  const articleOf = async (workspaceId: string, articleId: string) =>
    db.query.kbArticles.findFirst({
      where: and(eq(kbArticles.id, articleId), eq(kbArticles.workspaceId, workspaceId)),
    });

  /** Admin uploads running in this instance, by workspace and the id the app chose: how far each has got. */
  const running = new Map<string, { done: number; finished: boolean; at: number }>();

  return {
    articles,
    engine,
    insights: createInsights(client, now),

    /**
     * An import from the app's upload, its progress readable by `progress` while it runs (from
     * this server instance: behind a load balancer another instance answers "unknown").
     */
    async upload(
      workspaceId: string,
      importId: string | undefined,
      source: string | null,
      items: Iterable<ImportItem>,
      options: ImportOptions = {},
    ) {
      const t = now();
      for (const [id, r] of running) if (t - r.at > 10 * 60_000) running.delete(id);
      const state = { done: 0, finished: false, at: t };
      if (importId) running.set(`${workspaceId}:${importId}`, state);
      try {
        return await articles.import(
          workspaceId,
          source,
          items,
          (done) => {
            state.done = done;
            state.at = now();
          },
          options,
        );
      } finally {
        state.finished = true;
        // The vocabulary changed: read the common terms' counts again, in the background.
        void engine.warm().catch(() => undefined);
      }
    },

    /** Items an upload has read so far, or null when this instance knows no such upload of the workspace. */
    progress(workspaceId: string, importId: string) {
      const r = running.get(`${workspaceId}:${importId}`);
      return r ? { done: r.done, finished: r.finished } : null;
    },

    /**
     * Suggestions for a ticket on screen. With a ticket of the workspace, the best score and the
     * ticket's terms (never its text) are kept for the gap report, and the shown articles counted.
     */
    async suggest(
      workspaceId: string,
      userId: string,
      input: { ticketId?: string | undefined; subject: string; message: string },
    ) {
      const res = await engine.suggest(workspaceId, input);
      const ticket = input.ticketId ? await ticketOf(workspaceId, input.ticketId) : undefined;
      if (ticket) {
        const best = res.suggestions[0];
        const t = now();
        // The message was only searched with: what is kept are the subject's terms.
        const kept = subjectTerms(input.subject);
        const found = new Set([...(best?.why.titleTerms ?? []), ...(best?.why.bodyTerms ?? [])]);
        const query = {
          terms: kept.join(' '),
          bestArticleId: best?.id ?? null,
          bestScore: best?.score ?? null,
          bestCoverage: best
            ? kept.filter((w) => found.has(w)).length / Math.max(1, kept.length)
            : null,
          at: t,
        };
        const before = await db.query.kbQueries.findFirst({
          where: eq(kbQueries.ticketId, ticket.id),
        });
        await db
          .insert(kbQueries)
          .values({ ticketId: ticket.id, workspaceId, ...query })
          .onConflictDoUpdate({ target: kbQueries.ticketId, set: query });
        // Shown once per viewing of the ticket: again only when its best article changed or
        // nobody looked at it for an hour, not on every reload or new message (which would
        // write five rows each time and count the same impression many times).
        const newView =
          !before ||
          t - before.at >= SHOWN_AGAIN_AFTER_MS ||
          before.bestArticleId !== query.bestArticleId;
        if (res.suggestions.length && newView)
          await db.insert(kbEvents).values(
            res.suggestions.map((s) => ({
              id: newId(),
              workspaceId,
              articleId: s.id,
              ticketId: ticket.id,
              userId,
              kind: 'shown' as const,
              at: t,
            })),
          );
      }
      return res.suggestions;
    },

    /** Records what an agent did with an article; false when the article or ticket is not the workspace's. */
    async record(
      workspaceId: string,
      userId: string,
      e: { articleId: string; ticketId?: string | undefined; kind: KbEventKind; comment?: string },
    ): Promise<boolean> {
      if (!(await articleOf(workspaceId, e.articleId))) return false;
      if (e.ticketId && !(await ticketOf(workspaceId, e.ticketId))) return false;
      await db.insert(kbEvents).values({
        id: newId(),
        workspaceId,
        articleId: e.articleId,
        ticketId: e.ticketId ?? null,
        userId,
        kind: e.kind,
        comment: e.comment ?? null,
        at: now(),
      });
      return true;
    },

    /** Links an article to a ticket (once): it answers it, and lifts it for similar tickets. */
    async link(workspaceId: string, userId: string, ticketId: string, articleId: string) {
      if (!(await articleOf(workspaceId, articleId)) || !(await ticketOf(workspaceId, ticketId)))
        return false;
      const t = now();
      await db.transaction(async (tx) => {
        const r = await tx
          .insert(kbLinks)
          .values({ workspaceId, ticketId, articleId, linkedBy: userId, at: t })
          .onConflictDoNothing()
          .returning();
        if (r.length)
          await tx.insert(kbEvents).values({
            id: newId(),
            workspaceId,
            articleId,
            ticketId,
            userId,
            kind: 'linked',
            at: t,
          });
      });
      return true;
    },

    async linksOf(workspaceId: string, ticketId: string) {
      return db
        .select({ articleId: kbLinks.articleId, title: kbArticles.title, at: kbLinks.at })
        .from(kbLinks)
        .innerJoin(kbArticles, eq(kbArticles.id, kbLinks.articleId))
        .where(and(eq(kbLinks.workspaceId, workspaceId), eq(kbLinks.ticketId, ticketId)))
        .orderBy(desc(kbLinks.at));
    },

    /**
     * What the overlay shows on this ticket's articles, as the server knows it: which are linked
     * to the ticket (by anyone), and the caller's own latest rating (helpful or not relevant) and
     * outdated flag. Scoped to the workspace: another's ticket has no marks.
     */
    async marksOf(workspaceId: string, userId: string, ticketId: string): Promise<KbMarks[]> {
      const marks = new Map<string, KbMarks>();
      const of = (articleId: string) => {
        let m = marks.get(articleId);
        if (!m)
          marks.set(articleId, (m = { articleId, linked: false, rating: null, flagged: false }));
        return m;
      };
      const links = await db
        .select({ articleId: kbLinks.articleId })
        .from(kbLinks)
        .where(and(eq(kbLinks.workspaceId, workspaceId), eq(kbLinks.ticketId, ticketId)));
      for (const l of links) of(l.articleId).linked = true;
      const events = await db
        .select({ articleId: kbEvents.articleId, kind: kbEvents.kind })
        .from(kbEvents)
        .where(
          and(
            eq(kbEvents.workspaceId, workspaceId),
            eq(kbEvents.ticketId, ticketId),
            eq(kbEvents.userId, userId),
            inArray(kbEvents.kind, ['helpful', 'not_relevant', 'flagged_outdated']),
          ),
        )
        // Oldest first, so the latest rating is the one kept; rowid orders events of one instant.
        .orderBy(kbEvents.at, sql`rowid`);
      for (const e of events) {
        if (!e.articleId) continue;
        if (e.kind === 'flagged_outdated') of(e.articleId).flagged = true;
        else of(e.articleId).rating = e.kind as KbMarks['rating'];
      }
      return [...marks.values()];
    },

    /** What managers review: drafts, and articles agents flagged as outdated with their comments. */
    async review(workspaceId: string) {
      const drafts = await db
        .select({
          id: kbArticles.id,
          title: kbArticles.title,
          body: kbArticles.body,
          author: kbArticles.author,
          updatedAt: kbArticles.updatedAt,
        })
        .from(kbArticles)
        .where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.state, 'draft')))
        .orderBy(desc(kbArticles.updatedAt))
        .limit(200);
      const flags = await db
        .select({
          articleId: kbEvents.articleId,
          title: kbArticles.title,
          state: kbArticles.state,
          comment: kbEvents.comment,
          at: kbEvents.at,
        })
        .from(kbEvents)
        .innerJoin(kbArticles, eq(kbArticles.id, kbEvents.articleId))
        .where(and(eq(kbEvents.workspaceId, workspaceId), eq(kbEvents.kind, 'flagged_outdated')))
        .orderBy(desc(kbEvents.at))
        .limit(200);
      return { drafts, flags };
    },

    /** Publishes, archives or marks an article outdated; the previous version is kept. */
    async setState(
      workspaceId: string,
      id: string,
      state: (typeof kbArticles.$inferSelect)['state'],
    ) {
      const a = await articleOf(workspaceId, id);
      if (!a) return null;
      if (a.state === state) return a;
      await db.transaction(async (tx) => {
        await keepVersion(tx, a);
        await tx
          .update(kbArticles)
          .set({ state, version: a.version + 1, updatedAt: now() })
          .where(eq(kbArticles.id, a.id));
      });
      return (await articleOf(workspaceId, id))!;
    },

    /** A draft article started from a ticket (its subject and the agent's reply), for a manager to review. */
    async draft(
      workspaceId: string,
      author: string,
      input: { title: string; body: string; ticketId?: string | undefined },
    ) {
      const sourceKey = newId();
      await articles.import(
        workspaceId,
        'editor',
        [
          {
            ref: 'draft',
            data: { sourceKey, title: input.title, body: input.body, author, state: 'draft' },
          },
        ],
        undefined,
        { keepDuplicates: true },
      );
      return (await db.query.kbArticles.findFirst({
        where: and(
          eq(kbArticles.workspaceId, workspaceId),
          eq(kbArticles.source, 'editor'),
          eq(kbArticles.sourceKey, sourceKey),
        ),
      }))!;
    },
  };
}
export type Kb = ReturnType<typeof createKb>;
