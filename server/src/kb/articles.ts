import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { httpUrl } from '@deskwatch/shared';
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

/**
 * One article as an import brings it, validated before anything is written. Not strict: import
 * formats (CSV columns, front matter, exports of other tools) carry fields of their own, which
 * are ignored; the tRPC request that carries an upload is strict.
 */
export const articleInput = z.object({
  /** The article's key in its source (a file path, an export's id): re-imports update by it. */
  sourceKey: z.string().trim().min(1).max(300),
  title: z
    .string({ error: needs('a title') })
    .trim()
    .min(1, 'an article needs a title')
    // Real knowledge bases have long titles (a question asked in full); search never caps them.
    .max(1000),
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
  /** Shown as the article's link: http(s) only, never `javascript:` or `data:`. */
  externalUrl: httpUrl().nullable().default(null),
  author: z.string().trim().max(200).default(''),
  state: z.enum(KB_STATES).default('published'),
});
export type ArticleInput = z.input<typeof articleInput>;

/**
 * An item read from an import source: its data, or why it could not be read at all. A vendor
 * export's items name their own source (`zendesk`, `freshdesk`), used when the import names none.
 */
export type ImportItem =
  { ref: string; data: unknown; source?: string } | { ref: string; error: string };

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** Articles of the import's sources that it no longer has, archived (with `archiveMissing`). */
  archived: number;
  /** Why nothing was archived although asked, when so. */
  archiveSkipped?: string;
  rejected: { ref: string; reason: string }[];
  /** New items not created: the same article is already there (`of`: its source and key). */
  duplicates: { ref: string; of: string }[];
}

export interface ImportOptions {
  /** Archive the articles of the import's sources that it does not hold (deleted at the source). */
  archiveMissing?: boolean;
  /** Create an item even when the workspace has the same article (an agent's draft). */
  keepDuplicates?: boolean;
}

/** Keys that are a vendor's own article ids: the same id under two sources is the same article. */
const VENDOR_KEY = /^(zendesk|freshdesk):/;

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

const titleBody = (a: { title: string; body: string }) =>
  createHash('sha256')
    .update(JSON.stringify([a.title, a.body]))
    .digest('base64url');

export function createArticles(db: Db, now: () => number) {
  /**
   * New items that are an article the workspace already has under another source or key: the
   * same vendor id, or the same title and body (an archived article does not count), or one
   * this import already created. By item ref, with the article they repeat.
   */
  async function duplicatesOf(
    workspaceId: string,
    fresh: { ref: string; source: string; a: { sourceKey: string; title: string; body: string } }[],
    createdHere: ReadonlyMap<string, string>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!fresh.length) return out;
    const vendorKeys = fresh.map((f) => f.a.sourceKey).filter((k) => VENDOR_KEY.test(k));
    const byKey = new Map<string, string[]>();
    if (vendorKeys.length)
      for (const r of await db
        .select({ source: kbArticles.source, sourceKey: kbArticles.sourceKey })
        .from(kbArticles)
        .where(
          and(eq(kbArticles.workspaceId, workspaceId), inArray(kbArticles.sourceKey, vendorKeys)),
        ))
        byKey.set(r.sourceKey, [...(byKey.get(r.sourceKey) ?? []), r.source]);
    const sameText = new Map<string, string>();
    for (const r of await db
      .select({
        source: kbArticles.source,
        sourceKey: kbArticles.sourceKey,
        title: kbArticles.title,
        body: kbArticles.body,
      })
      .from(kbArticles)
      .where(
        and(
          eq(kbArticles.workspaceId, workspaceId),
          inArray(kbArticles.title, [...new Set(fresh.map((f) => f.a.title))]),
          ne(kbArticles.state, 'archived'),
        ),
      ))
      sameText.set(titleBody(r), `${r.source}/${r.sourceKey}`);
    const inBatch = new Map<string, string>();
    for (const f of fresh) {
      const other = byKey.get(f.a.sourceKey)?.find((s) => s !== f.source);
      const tb = titleBody(f.a);
      const of =
        (other && `${other}/${f.a.sourceKey}`) ??
        sameText.get(tb) ??
        createdHere.get(tb) ??
        inBatch.get(tb);
      if (of) out.set(f.ref, of);
      else inBatch.set(tb, `${f.source}/${f.a.sourceKey}`);
    }
    return out;
  }

  /** Archives the source's articles the import did not hold; how many. Their versions are kept. */
  async function archiveMissing(
    workspaceId: string,
    source: string,
    held: (key: string) => boolean,
  ): Promise<number> {
    const gone = (
      await db
        .select()
        .from(kbArticles)
        .where(
          and(
            eq(kbArticles.workspaceId, workspaceId),
            eq(kbArticles.source, source),
            ne(kbArticles.state, 'archived'),
          ),
        )
    ).filter((r) => !held(r.sourceKey));
    for (let i = 0; i < gone.length; i += BATCH) {
      const t = now();
      await db.transaction(async (tx) => {
        for (const old of gone.slice(i, i + BATCH)) {
          await keepVersion(tx, old);
          await tx
            .update(kbArticles)
            // No content hash: when the source has the article again, a re-import restores it.
            .set({ state: 'archived', version: old.version + 1, updatedAt: t, contentHash: '' })
            .where(eq(kbArticles.id, old.id));
        }
      });
    }
    return gone.length;
  }

  return {
    /**
     * Writes validated items to the workspace's articles from one source: new keys are created,
     * changed ones get a new version (the old one kept), unchanged ones are left alone. Each
     * batch is one transaction, so a failure leaves no half-written article; a malformed item is
     * reported with its reason and skipped.
     */
    async import(
      workspaceId: string,
      source: string | null,
      items: Iterable<ImportItem>,
      onProgress?: (done: number, summary: ImportSummary) => void,
      options: ImportOptions = {},
    ): Promise<ImportSummary> {
      const summary: ImportSummary = {
        created: 0,
        updated: 0,
        unchanged: 0,
        archived: 0,
        rejected: [],
        duplicates: [],
      };
      type Item = { ref: string; source: string; a: z.output<typeof articleInput> };
      let batch: Item[] = [];
      let done = 0;
      const at = (src: string, key: string) => `${src}\u0000${key}`;
      /** Every (source, key) the import holds, for duplicates and for archiving the rest. */
      const seen = new Set<string>();
      /** Title and body of the articles this import created, to catch the same one twice. */
      const createdHere = new Map<string, string>();
      const sources = new Set<string>(source ? [source] : []);
      const flush = async () => {
        if (batch.length === 0) return;
        const current = batch;
        batch = [];
        const existing = new Map<string, typeof kbArticles.$inferSelect>();
        for (const src of new Set(current.map((c) => c.source))) {
          const rows = await db
            .select()
            .from(kbArticles)
            .where(
              and(
                eq(kbArticles.workspaceId, workspaceId),
                eq(kbArticles.source, src),
                inArray(
                  kbArticles.sourceKey,
                  current.filter((c) => c.source === src).map((c) => c.a.sourceKey),
                ),
              ),
            );
          for (const r of rows) existing.set(at(r.source, r.sourceKey), r);
        }
        const dupOf = options.keepDuplicates
          ? new Map<string, string>()
          : await duplicatesOf(
              workspaceId,
              current.filter((c) => !existing.has(at(c.source, c.a.sourceKey))),
              createdHere,
            );
        const t = now();
        const counts = { created: 0, updated: 0, unchanged: 0 };
        const created: Item[] = [];
        await db.transaction(async (tx) => {
          for (const c of current) {
            const { a } = c;
            const hash = hashOf(a);
            const old = existing.get(at(c.source, a.sourceKey));
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
              if (dupOf.has(c.ref)) continue;
              await tx.insert(kbArticles).values({
                id: newId(),
                workspaceId,
                source: c.source,
                sourceKey: a.sourceKey,
                version: 1,
                createdAt: t,
                ...fields,
              });
              created.push(c);
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
        // Counted once the transaction holds: a failed batch reports nothing it did not write.
        for (const c of created) createdHere.set(titleBody(c.a), `${c.source}/${c.a.sourceKey}`);
        for (const [ref, of] of dupOf) summary.duplicates.push({ ref, of });
        summary.created += counts.created;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
        done += current.length;
        onProgress?.(done + summary.rejected.length, summary);
      };
      let read = 0;
      for (const item of items) {
        // A local libSQL database answers synchronously: without a pause now and then an import
        // would run to its end before the server reads another request (health, suggestions,
        // the upload's own progress), rejected items included.
        if (++read % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
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
        const src = source ?? item.source;
        if (!src) {
          summary.rejected.push({
            ref: item.ref,
            reason: 'no source name: say which source these articles come from',
          });
          continue;
        }
        if (seen.has(at(src, parsed.data.sourceKey))) {
          summary.rejected.push({
            ref: item.ref,
            reason: `the same source key as an earlier item (${parsed.data.sourceKey})`,
          });
          continue;
        }
        seen.add(at(src, parsed.data.sourceKey));
        sources.add(src);
        batch.push({ ref: item.ref, source: src, a: parsed.data });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      if (options.archiveMissing) {
        if (summary.rejected.length)
          summary.archiveSkipped = `${summary.rejected.length} items were rejected: an article they hold would be archived by mistake`;
        else if (seen.size === 0) summary.archiveSkipped = 'the import holds no article';
        else
          for (const src of sources)
            summary.archived += await archiveMissing(workspaceId, src, (key) =>
              seen.has(at(src, key)),
            );
      }
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
