// Knowledge-base cost at scale on the embedded database: import throughput (articles/s), top-5
// suggestion latency (median and p95; target p95 <= 15 ms at 100,000 articles) and database
// size, for 10,000 and 100,000 generated articles, to show how cost grows. Prints figures;
// never fails on them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../server/src/db/client.js';
import { createArticles } from '../server/src/kb/articles.js';
import { demoArticles } from '../server/src/kb/demo-kb.js';
import { createSuggest } from '../server/src/kb/suggest.js';
import { createAccounts } from '../server/src/services/accounts.js';
import { quantiles } from './lib.js';

// Articles are made from the demo knowledge base's sentences and words, recombined, so the
// index sees a realistic vocabulary and realistic article lengths.
const demo = demoArticles();
const sentences = demo.flatMap((a) => a.body.split(/\n+/).filter((l) => l.length > 20));
const vocabulary = [
  ...new Set(demo.flatMap((a) => `${a.title} ${a.body}`.toLowerCase().match(/[a-z]{4,}/g) ?? [])),
];
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
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

const queries = readFileSync(join(import.meta.dirname, 'kb-eval/demo/queries.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { subject: string; body: string });

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
    const measure = async (rounds: number) => {
      const lat: number[] = [];
      for (let round = 0; round < rounds; round++)
        for (const q of queries) {
          const s = performance.now();
          await engine.suggest(ws, { subject: q.subject, message: q.body });
          lat.push(performance.now() - s);
        }
      return quantiles(lat);
    };
    // First sight: each query's rare terms are counted in the index (common ones come from the
    // warm-up). Then warm: what a server that has been answering remembers (10 minutes).
    const cold = await measure(1);
    const warm = await measure(2);
    const ms = (q: { median: number; p95: number }) =>
      `median ${q.median.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms`;
    console.log(
      `${n.toLocaleString('en')} articles: import ${Math.round(summary.created / seconds).toLocaleString('en')} articles/s (${seconds.toFixed(1)} s); ` +
        `top-5 suggestion ${ms(warm)} (target p95 15 ms at 100,000; ${queries.length * 2} queries), ` +
        `first sight of each term ${ms(cold)}; ${warmUp}; database ${(bytes / 1024 / 1024).toFixed(1)} MB`,
    );
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
