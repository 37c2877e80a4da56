// Judges the knowledge-base suggestion engine on a labelled folder (see README.md beside this
// file) against two baselines, in the same run: plain FTS5 bm25() over the raw, unstemmed query
// words, and Porter-stemmed BM25 with the title weighted above the body. Prints recall@5, MRR@10
// and nDCG@10 (linear gain; exponential labelled), per group, per query on request, and a paired
// sign-flip test of the engine against each baseline.
// Usage: npm run kb:eval -- <folder> [--split dev|heldout|all] [--per-query]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openDb } from '../../server/src/db/client.js';
import { createAccounts } from '../../server/src/services/accounts.js';
import { createArticles } from '../../server/src/kb/articles.js';
import { createSuggest, WEAK_CONFIDENCE } from '../../server/src/kb/suggest.js';
import { ftsQuery } from '../../server/src/kb/query.js';
import {
  compare,
  MEASURE_LABELS,
  MEASURES,
  mean,
  score,
  splitOf,
  type Metrics,
} from '../../server/src/kb/relevance-metrics.js';

const article = z.object({
  id: z.string().min(1),
  title: z.string().trim().min(1),
  body: z.string().trim().min(1),
});
const query = z.object({
  id: z.string().min(1),
  subject: z.string(),
  body: z.string().default(''),
  group: z.string().min(1).optional(),
  /** The split unit: queries sharing it fall in the same half (paraphrases of one thread). */
  unit: z.string().min(1).optional(),
});
const qrel = z.object({
  query: z.string().min(1),
  article: z.string().min(1),
  relevance: z.number().min(0),
});

type Client = Awaited<ReturnType<typeof openDb>>['client'];

/** A row the run left out, and why. */
export interface Skipped {
  file: string;
  line: number | null;
  id: string | null;
  reason: string;
}

function readJsonl<T>(file: string, schema: z.ZodType<T>, skipped: Skipped[]): T[] {
  const name = file.split(/[\\/]/).pop()!;
  const out: T[] = [];
  for (const [i, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const l = raw.trim();
    if (!l) continue;
    let json: unknown;
    try {
      json = JSON.parse(l);
    } catch {
      skipped.push({ file: name, line: i + 1, id: null, reason: 'not valid JSON' });
      continue;
    }
    const r = schema.safeParse(json);
    if (r.success) out.push(r.data);
    else {
      const issue = r.error.issues[0]!;
      const id = (json as { id?: unknown })?.id;
      skipped.push({
        file: name,
        line: i + 1,
        id: typeof id === 'string' ? id : null,
        reason: `${issue.path.join('.') || 'row'}: ${issue.message}`,
      });
    }
  }
  return out;
}

export const SYSTEMS = ['plain', 'porter', 'engine'] as const;
export type System = (typeof SYSTEMS)[number];
export const SYSTEM_NOTES: Record<System, string> = {
  plain:
    'plain: FTS5 bm25() over the raw query words, unstemmed (unicode61), every word, no weights',
  porter:
    'porter: the same words Porter-stemmed, BM25 with the title weighted twice the body and tags',
  engine: 'engine: the shipped suggestion engine (server/src/kb/suggest.ts)',
};
/** The Porter baseline's column weights: title, body, tags. */
const PORTER_WEIGHTS = [2, 1, 1];

/** A query's raw words as FTS5's unicode61 tokenizer splits them, each once, in order. */
const rawWords = (text: string) => [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];

/** The top `limit` article keys of a baseline: every raw word OR'd, BM25 over one index. */
async function baseline(
  client: Client,
  table: 'eval_plain' | 'kb_fts',
  weights: number[] | null,
  text: string,
  limit: number,
): Promise<string[]> {
  const match = ftsQuery(rawWords(text));
  if (!match) return [];
  const bm25 = weights ? `bm25(${table}, ${weights.join(', ')})` : `bm25(${table})`;
  const r = await client.execute({
    sql: `SELECT a.source_key FROM ${table} JOIN kb_articles a ON a.rowid = ${table}.rowid
          WHERE ${table} MATCH ? ORDER BY ${bm25} LIMIT ?`,
    args: [match, limit],
  });
  return r.rows.map((x) => String(x.source_key));
}

export interface QueryResult {
  id: string;
  group: string | null;
  /** Judged relevant articles (relevance above 0). */
  relevant: number;
  metrics: Record<System, Metrics>;
  /** Each system's first article. */
  top: Record<System, string | null>;
  /** The engine's confidence in its first article (0 with none). */
  confidence: number;
}

export interface EvalOptions {
  /** Which queries to judge: the development half, the held-out half (see splitOf), or all. */
  split?: 'dev' | 'heldout' | 'all';
  /** Rounds of the sign-flip test. */
  rounds?: number;
}

/** Loads the folder into a fresh embedded database and ranks every query with the three systems. */
export async function evaluate(folder: string, options: EvalOptions = {}) {
  const split = options.split ?? 'all';
  const skipped: Skipped[] = [];
  const articles = readJsonl(join(folder, 'articles.jsonl'), article, skipped);
  const queries = readJsonl(join(folder, 'queries.jsonl'), query, skipped);
  const qrels = readJsonl(join(folder, 'qrels.jsonl'), qrel, skipped);
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-kb-eval-'));
  const { db, client } = await openDb({ url: `file:${join(dir, 'eval.db')}` });
  try {
    const ws = await createAccounts(db, Date.now).createWorkspace('Evaluation');
    const seen = new Set<string>();
    const unique = articles.filter((a) => {
      if (!seen.has(a.id)) return seen.add(a.id);
      skipped.push({ file: 'articles.jsonl', line: null, id: a.id, reason: 'id repeated' });
      return false;
    });
    const summary = await createArticles(db, Date.now).import(
      ws,
      'eval',
      unique.map((a) => ({ ref: a.id, data: { sourceKey: a.id, title: a.title, body: a.body } })),
      undefined,
      // Every labelled article is ranked, even one that repeats another's title and body.
      { keepDuplicates: true },
    );
    for (const r of summary.rejected)
      skipped.push({ file: 'articles.jsonl', line: null, id: r.ref, reason: r.reason });
    const loaded = new Set(
      (await client.execute('SELECT source_key FROM kb_articles')).rows.map((r) =>
        String(r.source_key),
      ),
    );
    // The plain baseline's own index: the same articles, split into words but never stemmed.
    await client.execute(
      `CREATE VIRTUAL TABLE eval_plain USING fts5(title, body, tags, content='kb_articles',
       content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`,
    );
    await client.execute(`INSERT INTO eval_plain(eval_plain) VALUES ('rebuild')`);
    const keyOf = new Map(
      (await client.execute('SELECT id, source_key FROM kb_articles')).rows.map((r) => [
        String(r.id),
        String(r.source_key),
      ]),
    );
    const engine = createSuggest(client);
    await engine.warm(); // as the server does at start and after an import

    const relOf = new Map<string, Map<string, number>>();
    for (const r of qrels) {
      if (!loaded.has(r.article)) continue; // judged an article that was skipped or is absent
      const m = relOf.get(r.query) ?? new Map<string, number>();
      m.set(r.article, Math.max(m.get(r.article) ?? 0, r.relevance));
      relOf.set(r.query, m);
    }
    const results: QueryResult[] = [];
    let unjudged = 0;
    let otherHalf = 0;
    for (const q of queries) {
      const rel = relOf.get(q.id);
      if (!rel || ![...rel.values()].some((r) => r > 0)) {
        unjudged++;
        continue;
      }
      if (split !== 'all' && splitOf(q.unit ?? q.id) !== split) {
        otherHalf++;
        continue;
      }
      const text = `${q.subject}\n${q.body}`;
      const suggested = (await engine.suggest(ws, { subject: q.subject, message: q.body }, 10))
        .suggestions;
      const ranked: Record<System, string[]> = {
        plain: await baseline(client, 'eval_plain', null, text, 10),
        porter: await baseline(client, 'kb_fts', PORTER_WEIGHTS, text, 10),
        engine: suggested.map((s) => keyOf.get(s.id)!),
      };
      results.push({
        id: q.id,
        group: q.group ?? null,
        relevant: [...rel.values()].filter((r) => r > 0).length,
        metrics: {
          plain: score(ranked.plain, rel),
          porter: score(ranked.porter, rel),
          engine: score(ranked.engine, rel),
        },
        top: {
          plain: ranked.plain[0] ?? null,
          porter: ranked.porter[0] ?? null,
          engine: ranked.engine[0] ?? null,
        },
        confidence: suggested[0]?.confidence ?? 0,
      });
    }
    return {
      folder,
      split,
      articles: loaded.size,
      skipped,
      unjudged,
      otherHalf,
      results,
      rounds: options.rounds ?? 10_000,
    };
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
export type Evaluation = Awaited<ReturnType<typeof evaluate>>;

const fmt = (x: number) => x.toFixed(3);

/**
 * How the engine's confidence splits the queries: those it would show as "no good match" (below
 * WEAK_CONFIDENCE) against the others, with the engine's recall@5 in each. A useful threshold
 * flags queries whose suggestions are mostly wrong and few whose suggestions are right.
 */
export function confidenceLine(rs: QueryResult[]): string {
  const weak = rs.filter((r) => r.confidence < WEAK_CONFIDENCE);
  const sure = rs.filter((r) => r.confidence >= WEAK_CONFIDENCE);
  const recall = (xs: QueryResult[]) =>
    xs.length ? fmt(mean(xs.map((x) => x.metrics.engine)).recallAt5) : '-';
  return (
    `  confidence below ${WEAK_CONFIDENCE} ("no good match"): ${weak.length} of ${rs.length} queries, ` +
    `engine recall@5 ${recall(weak)} there vs ${recall(sure)} on the others`
  );
}
const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
const pFmt = (p: number) => (p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`);

/** The three systems' means over some queries, and the engine against each baseline with p-values. */
function table(rs: QueryResult[], rounds: number): string[] {
  const of = (s: System) => rs.map((r) => r.metrics[s]);
  const means = Object.fromEntries(SYSTEMS.map((s) => [s, mean(of(s))])) as Record<System, Metrics>;
  const vsPorter = compare(of('engine'), of('porter'), rounds);
  const vsPlain = compare(of('engine'), of('plain'), rounds);
  const lines = [
    `  ${'measure'.padEnd(12)} ${'plain'.padStart(6)} ${'porter'.padStart(6)} ${'engine'.padStart(6)}   engine-porter        engine-plain`,
  ];
  for (const k of MEASURES)
    lines.push(
      `  ${MEASURE_LABELS[k].padEnd(12)} ${fmt(means.plain[k]).padStart(6)} ${fmt(means.porter[k]).padStart(6)} ${fmt(means.engine[k]).padStart(6)}   ` +
        `${`${signed(vsPorter[k].diff)} (${pFmt(vsPorter[k].p)})`.padEnd(20)} ${signed(vsPlain[k].diff)} (${pFmt(vsPlain[k].p)})`,
    );
  return lines;
}

export function report(r: Evaluation, opts: { perQuery?: boolean } = {}): string {
  const half =
    r.split === 'all' ? 'all queries' : r.split === 'dev' ? 'development half' : 'held-out half';
  const out = [
    `${r.results.length} queries (${half}) over ${r.articles} articles`,
    ...SYSTEMS.map((s) => `  ${SYSTEM_NOTES[s]}`),
    '  nDCG@10 uses linear gain (the judgement itself); "nDCG@10 exp" uses 2^rel - 1.',
    `  p: paired sign-flip randomisation test, ${r.rounds} rounds, two-sided`,
  ];
  if (r.skipped.length) {
    out.push(`  skipped ${r.skipped.length} bad rows:`);
    for (const s of r.skipped.slice(0, 20))
      out.push(
        `    ${s.file}${s.line ? `:${s.line}` : ''}${s.id ? ` (${s.id})` : ''}: ${s.reason}`,
      );
    if (r.skipped.length > 20) out.push(`    … and ${r.skipped.length - 20} more`);
  }
  if (r.unjudged) out.push(`  ${r.unjudged} queries without a relevant article left out`);
  if (!r.results.length) return out.join('\n');
  out.push(...table(r.results, r.rounds), confidenceLine(r.results));
  const groups = [...new Set(r.results.map((x) => x.group).filter((g): g is string => !!g))];
  if (groups.length)
    for (const g of groups.sort()) {
      const rs = r.results.filter((x) => x.group === g);
      out.push(`  group "${g}": ${rs.length} queries`, ...table(rs, r.rounds).map((l) => `  ${l}`));
    }
  if (opts.perQuery) {
    out.push('  per query (recall@5 / MRR@10 / nDCG@10; first article):');
    for (const x of r.results) {
      const cell = (s: System) =>
        `${s} ${fmt(x.metrics[s].recallAt5)}/${fmt(x.metrics[s].mrrAt10)}/${fmt(x.metrics[s].ndcgAt10)} ${x.top[s] ?? '-'}`;
      out.push(`    ${x.id}${x.group ? ` [${x.group}]` : ''}: ${SYSTEMS.map(cell).join(' | ')}`);
    }
  }
  return out.join('\n');
}

/** `<folder> [--split dev|heldout|all] [--per-query]` */
export function parseArgs(argv: string[]) {
  const args = z
    .object({
      folder: z.string().min(1),
      split: z.enum(['dev', 'heldout', 'all']).default('all'),
      perQuery: z.boolean().default(false),
    })
    .safeParse({
      folder: argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--split'),
      split:
        argv[argv.indexOf('--split') + 1] && argv.includes('--split')
          ? argv[argv.indexOf('--split') + 1]
          : undefined,
      perQuery: argv.includes('--per-query'),
    });
  return args.success ? args.data : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(
      'usage: npm run kb:eval -- <folder with articles.jsonl, queries.jsonl, qrels.jsonl> [--split dev|heldout|all] [--per-query]',
    );
    process.exit(2);
  }
  const folder = resolve(process.env.INIT_CWD ?? process.cwd(), args.folder);
  console.log(report(await evaluate(folder, { split: args.split }), args));
}
