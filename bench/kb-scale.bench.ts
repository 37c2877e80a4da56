// Knowledge-base cost at scale on the embedded database: import throughput (articles/s), top-5
// suggestion latency (median and p95; target p95 <= 15 ms at 100,000 articles) for short queries
// and for real-message-length ones (received e-mails with greeting, signature and quoted thread;
// forum posts when the public set is converted), each beside the Porter title-weighted BM25
// baseline over every raw word measured in the same run (as a ratio), and database size, for
// 10,000 and 100,000 generated articles, to show how cost grows. Prints figures; never fails on
// them. The relevance figures are printed just before, by kb-relevance.bench.ts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../server/src/db/client.js';
import { createArticles } from '../server/src/kb/articles.js';
import { demoArticles } from '../server/src/kb/demo-kb.js';
import { createSuggest } from '../server/src/kb/suggest.js';
import { ftsQuery } from '../server/src/kb/query.js';
import { createAccounts } from '../server/src/services/accounts.js';
import { quantiles } from './lib.js';

// Articles are made from the demo knowledge base's sentences and words, recombined, so the
// index sees a realistic vocabulary and realistic article lengths.
const demo = demoArticles();
const sentences = demo.flatMap((a) => a.body.split(/\n+/).filter((l) => l.length > 20));
const vocabulary = [
  ...new Set(demo.flatMap((a) => `${a.title} ${a.body}`.toLowerCase().match(/[a-z]{4,}/g) ?? [])),
];
// The generator in 32-bit integer arithmetic: `seed * 1103515245` in floating point lost its low
// bits past 2^53 and cycled after about 700 articles, so "100,000 articles" were ~700 distinct
// ones and the rest were dropped as duplicates.
let seed = 42;
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
function* generated(n: number) {
  for (let i = 0; i < n; i++) {
    const base = demo[rand(demo.length)]!;
    const extra = Array.from({ length: 3 }, () => vocabulary[rand(vocabulary.length)]).join(' ');
    const body = Array.from({ length: 6 + rand(10) }, () => sentences[rand(sentences.length)]).join(
      '\n\n',
    );
    yield {
      ref: `g${i}`,
      data: { sourceKey: `g${i}`, title: `${base.title} (${extra})`, body, tags: base.tags ?? [] },
    };
  }
}

const read = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { subject: string; body: string })
    : [];
const evalDir = join(import.meta.dirname, 'kb-eval');
/** Short: a subject and a line or two, as written. */
const short = read(join(evalDir, 'demo/queries.jsonl'));
/** Real-message-length: the same as received (greeting, signature, quoted thread), and forum posts. */
const long = [
  ...read(join(evalDir, 'demo-received/queries.jsonl')),
  ...read(join(evalDir, 'public/semevalql/queries.jsonl')),
];
const avgWords = (qs: { subject: string; body: string }[]) =>
  Math.round(qs.reduce((n, q) => n + `${q.subject} ${q.body}`.split(/\s+/).length, 0) / qs.length);

for (const n of [10_000, 100_000]) {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-kb-scale-'));
  const { db, client } = await openDb({ url: `file:${join(dir, 'kb.db')}` });
  try {
    const accounts = createAccounts(db, Date.now);
    const ws = await accounts.createWorkspace('Big');
    // Another tenant's articles share the index: suggestions must still only find this one's.
    const other = await accounts.createWorkspace('Other');
    const articles = createArticles(db, Date.now);
    await articles.import(other, 'gen', generated(2_000));
    const t0 = performance.now();
    const summary = await articles.import(ws, 'gen', generated(n));
    const seconds = (performance.now() - t0) / 1000;
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const bytes = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    const engine = createSuggest(client);
    // As the server does at start and after an upload: common terms' counts in one pass.
    const w0 = performance.now();
    const terms = await engine.warm();
    const warmUp = `vocabulary warm-up ${((performance.now() - w0) / 1000).toFixed(2)} s (${terms} common terms)`;
    /** Porter title-weighted BM25 over every raw word of the query, top 5: the baseline's cost. */
    const porter = async (q: { subject: string; body: string }) => {
      const words = [...new Set(`${q.subject} ${q.body}`.toLowerCase().match(/[\p{L}\p{N}]+/gu))];
      const match = ftsQuery(words);
      if (!match) return;
      await client.execute({
        sql: `SELECT a.id FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
              WHERE kb_fts MATCH ? AND a.workspace_id = ? ORDER BY bm25(kb_fts, 2, 1, 1) LIMIT 5`,
        args: [match, ws],
      });
    };
    const measure = async (
      qs: { subject: string; body: string }[],
      rounds: number,
      run: (q: { subject: string; body: string }) => Promise<unknown> = (q) =>
        engine.suggest(ws, { subject: q.subject, message: q.body }),
    ) => {
      const lat: number[] = [];
      for (let round = 0; round < rounds; round++)
        for (const q of qs) {
          const s = performance.now();
          await run(q);
          lat.push(performance.now() - s);
        }
      return quantiles(lat);
    };
    const ms = (q: { median: number; p95: number }) =>
      `median ${q.median.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms`;
    const ratio = (a: { median: number; p95: number }, b: { median: number; p95: number }) =>
      `${(a.median / b.median).toFixed(2)}x / ${(a.p95 / b.p95).toFixed(2)}x porter`;
    // First sight: each query's rare terms are counted in the index (common ones come from the
    // warm-up). Then warm: what a server that has been answering remembers (10 minutes).
    const cold = await measure(short, 1);
    console.log(
      `${n.toLocaleString('en')} articles: import ${Math.round(summary.created / seconds).toLocaleString('en')} articles/s (${seconds.toFixed(1)} s); ` +
        `${warmUp}; database ${(bytes / 1024 / 1024).toFixed(1)} MB; first sight of each term ${ms(cold)}`,
    );
    for (const [name, qs] of [
      ['short', short],
      ['real-message-length', long],
    ] as const) {
      if (!qs.length) continue;
      const warm = await measure(qs, 2);
      const base = await measure(qs, 2, porter);
      console.log(
        `  top-5 suggestion, ${name} queries (${qs.length}, about ${avgWords(qs)} words): engine ${ms(warm)} ` +
          `(target p95 15 ms at 100,000); porter ${ms(base)}; engine/porter ${ratio(warm, base)} (median / p95)`,
      );
    }
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
