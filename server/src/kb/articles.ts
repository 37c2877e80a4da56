import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { KB_STATES, kbArticles, kbArticleVersions } from '../db/schema.js';

/** A missing field says what the article lacks; one of the wrong kind says what it should be. */
const needs =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined || issue.input === null
      ? `an article needs ${what}`
      : `${what.replace(/^an? /, '')} is text`;

/** One article as an import brings it, validated before anything is written. */
export const articleInput = z.object({
  /** The article's key in its source (a file path, an export's id): re-imports update by it. */
  sourceKey: z.string().trim().min(1).max(300),
  title: z
    .string({ error: needs('a title') })
    .trim()
    .min(1, 'an article needs a title')
    .max(300),
  body: z
    .string({ error: needs('a body') })
    .trim()
    .min(1, 'an article needs a body')
    .max(200_000),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'language is a code such as en or pt-BR')
    .default('en'),
  externalUrl: z.url().max(2048).nullable().default(null),
  author: z.string().trim().max(200).default(''),
  state: z.enum(KB_STATES).default('published'),
});
export type ArticleInput = z.input<typeof articleInput>;

/** An item read from an import source: its data, or why it could not be read at all. */
export type ImportItem = { ref: string; data: unknown } | { ref: string; error: string };

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { ref: string; reason: string }[];
}

const BATCH = 250;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Keeps an article's current version in its history, before it changes. */
export async function keepVersion(tx: Tx | Db, old: typeof kbArticles.$inferSelect) {
  await tx.insert(kbArticleVersions).values({
    articleId: old.id,
    version: old.version,
    title: old.title,
    body: old.body,
    tags: old.tags,
    state: old.state,
    author: old.author,
    updatedAt: old.updatedAt,
  });
}

const hashOf = (a: z.output<typeof articleInput>) =>
  createHash('sha256')
    .update(JSON.stringify([a.title, a.body, a.tags, a.language, a.externalUrl, a.author, a.state]))
    .digest('base64url');

export function createArticles(db: Db, now: () => number) {
  return {
    /**
     * Writes validated items to the workspace's articles from one source: new keys are created,
     * changed ones get a new version (the old one kept), unchanged ones are left alone. Each
     * batch is one transaction, so a failure leaves no half-written article; a malformed item is
     * reported with its reason and skipped.
     */
    async import(
      workspaceId: string,
      source: string,
      items: Iterable<ImportItem>,
      onProgress?: (done: number, summary: ImportSummary) => void,
    ): Promise<ImportSummary> {
      const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: [] };
      let batch: { ref: string; a: z.output<typeof articleInput> }[] = [];
      let done = 0;
      const seen = new Set<string>();
      const flush = async () => {
        if (batch.length === 0) return;
        const current = batch;
        batch = [];
        const existing = new Map(
          (
            await db
              .select()
              .from(kbArticles)
              .where(
                and(
                  eq(kbArticles.workspaceId, workspaceId),
                  eq(kbArticles.source, source),
                  inArray(
                    kbArticles.sourceKey,
                    current.map((c) => c.a.sourceKey),
                  ),
                ),
              )
          ).map((r) => [r.sourceKey, r]),
        );
        const t = now();
        const counts = { created: 0, updated: 0, unchanged: 0 };
        await db.transaction(async (tx) => {
          for (const { a } of current) {
            const hash = hashOf(a);
            const old = existing.get(a.sourceKey);
            const fields = {
              title: a.title,
              body: a.body,
              tags: a.tags.join(' '),
              language: a.language,
              externalUrl: a.externalUrl,
              author: a.author,
              state: a.state,
              contentHash: hash,
              updatedAt: t,
            };
            if (!old) {
              await tx.insert(kbArticles).values({
                id: newId(),
                workspaceId,
                source,
                sourceKey: a.sourceKey,
                version: 1,
                createdAt: t,
                ...fields,
              });
              counts.created++;
            } else if (old.contentHash === hash) {
              counts.unchanged++;
            } else {
              await keepVersion(tx, old);
              await tx
                .update(kbArticles)
                .set({ ...fields, version: old.version + 1 })
                .where(eq(kbArticles.id, old.id));
              counts.updated++;
            }
          }
        });
        summary.created += counts.created;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
        done += current.length;
        onProgress?.(done + summary.rejected.length, summary);
      };
      for (const item of items) {
        if ('error' in item) {
          summary.rejected.push({ ref: item.ref, reason: item.error });
          continue;
        }
        const parsed = articleInput.safeParse(item.data);
        if (!parsed.success) {
          summary.rejected.push({
            ref: item.ref,
            reason: parsed.error.issues
              .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
              .join('; '),
          });
          continue;
        }
        if (seen.has(parsed.data.sourceKey)) {
          summary.rejected.push({
            ref: item.ref,
            reason: `the same source key as an earlier item (${parsed.data.sourceKey})`,
          });
          continue;
        }
        seen.add(parsed.data.sourceKey);
        batch.push({ ref: item.ref, a: parsed.data });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      return summary;
    },

    async get(workspaceId: string, id: string) {
      return (
        (await db.query.kbArticles.findFirst({
          where: and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.id, id)),
        })) ?? null
      );
    },

    async versions(workspaceId: string, id: string) {
      const article = await this.get(workspaceId, id);
      if (!article) return null;
      return db
        .select()
        .from(kbArticleVersions)
        .where(eq(kbArticleVersions.articleId, id))
        .orderBy(sql`${kbArticleVersions.version} desc`);
    },

    async count(workspaceId: string) {
      const [r] = await db
        .select({ n: sql<number>`count(*)` })
        .from(kbArticles)
        .where(eq(kbArticles.workspaceId, workspaceId));
      return r?.n ?? 0;
    },
  };
}
export type Articles = ReturnType<typeof createArticles>;
