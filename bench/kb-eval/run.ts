// Judges the knowledge-base suggestion engine on a labelled folder (see README.md beside this
// file): recall@5, MRR@10 and nDCG@10 for the shipped engine and the plain-BM25 baseline.
// Usage: npm run kb:eval -- <folder>
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openDb } from '../../server/src/db/client.js';
import { createAccounts } from '../../server/src/services/accounts.js';
import { createArticles } from '../../server/src/kb/articles.js';
import { createSuggest } from '../../server/src/kb/suggest.js';

const article = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  body: z.string().min(1),
});
const query = z.object({
  id: z.string().min(1),
  subject: z.string(),
  body: z.string().default(''),
});
const qrel = z.object({ query: z.string(), article: z.string(), relevance: z.number().min(0) });

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l)
    .map(([l, n]) => {
      const r = schema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${n}: ${r.error.issues[0]!.message}`);
      return r.data;
    });
}

export interface Metrics {
  recallAt5: number;
  mrrAt10: number;
  ndcgAt10: number;
}

/** The three measures for one ranking against graded judgements (relevance by article id). */
export function score(ranked: string[], rel: Map<string, number>): Metrics {
  const relevant = [...rel.values()].filter((r) => r > 0).length;
  const top5 = ranked.slice(0, 5).filter((id) => (rel.get(id) ?? 0) > 0).length;
  const first = ranked.slice(0, 10).findIndex((id) => (rel.get(id) ?? 0) > 0);
  const dcg = (gains: number[]) =>
    gains.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...rel.values()].sort((a, b) => b - a).slice(0, 10));
  return {
    recallAt5: relevant ? top5 / relevant : 0,
    mrrAt10: first >= 0 ? 1 / (first + 1) : 0,
    ndcgAt10: ideal ? dcg(ranked.slice(0, 10).map((id) => rel.get(id) ?? 0)) / ideal : 0,
  };
}

const mean = (xs: Metrics[]): Metrics => ({
  recallAt5: xs.reduce((s, x) => s + x.recallAt5, 0) / xs.length,
  mrrAt10: xs.reduce((s, x) => s + x.mrrAt10, 0) / xs.length,
  ndcgAt10: xs.reduce((s, x) => s + x.ndcgAt10, 0) / xs.length,
});

/** Loads the folder into a fresh embedded database and ranks every query with both engines. */
export async function evaluate(folder: string) {
  const articles = readJsonl(join(folder, 'articles.jsonl'), article);
  const queries = readJsonl(join(folder, 'queries.jsonl'), query);
  const qrels = readJsonl(join(folder, 'qrels.jsonl'), qrel);
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-kb-eval-'));
  const { db, client } = await openDb({ url: `file:${join(dir, 'eval.db')}` });
  try {
    const ws = await createAccounts(db, Date.now).createWorkspace('Evaluation');
    const summary = await createArticles(db, Date.now).import(
      ws,
      'eval',
      articles.map((a) => ({ ref: a.id, data: { sourceKey: a.id, title: a.title, body: a.body } })),
      undefined,
      // Every labelled article is ranked, even one that repeats another's title and body.
      { keepDuplicates: true },
    );
    if (summary.rejected.length)
      throw new Error(
        `articles rejected: ${summary.rejected.map((r) => `${r.ref}: ${r.reason}`).join('; ')}`,
      );
    // Engine ids back to the folder's ids.
    const keyOf = new Map(
      (await client.execute('SELECT id, source_key FROM kb_articles')).rows.map((r) => [
        r.id as string,
        r.source_key as string,
      ]),
    );
    const engine = createSuggest(client);
    await engine.warm(); // as the server does at start and after an import
    const shipped: Metrics[] = [];
    const baseline: Metrics[] = [];
    for (const q of queries) {
      const rel = new Map(
        qrels.filter((r) => r.query === q.id).map((r) => [r.article, r.relevance]),
      );
      if (![...rel.values()].some((r) => r > 0)) continue;
      const input = { subject: q.subject, message: q.body };
      const ours = (await engine.suggest(ws, input, 10)).suggestions.map((s) => keyOf.get(s.id)!);
      const base = (await engine.baseline(ws, input, 10)).map((id) => keyOf.get(id)!);
      shipped.push(score(ours, rel));
      baseline.push(score(base, rel));
    }
    return {
      articles: articles.length,
      queries: shipped.length,
      shipped: mean(shipped),
      baseline: mean(baseline),
    };
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function report(r: Awaited<ReturnType<typeof evaluate>>): string {
  const row = (name: string, k: keyof Metrics) =>
    `  ${name.padEnd(10)} shipped ${r.shipped[k].toFixed(3)}  baseline ${r.baseline[k].toFixed(3)}  margin ${(r.shipped[k] - r.baseline[k] >= 0 ? '+' : '') + (r.shipped[k] - r.baseline[k]).toFixed(3)} (${(r.shipped[k] / Math.max(r.baseline[k], 1e-9)).toFixed(2)}x)`;
  return [
    `${r.queries} queries over ${r.articles} articles (baseline: plain FTS5 bm25() over the raw query words)`,
    row('recall@5', 'recallAt5'),
    row('MRR@10', 'mrrAt10'),
    row('nDCG@10', 'ndcgAt10'),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  if (!folder) {
    console.error(
      'usage: npm run kb:eval -- <folder with articles.jsonl, queries.jsonl, qrels.jsonl>',
    );
    process.exit(2);
  }
  console.log(report(await evaluate(resolve(process.env.INIT_CWD ?? process.cwd(), folder))));
}
