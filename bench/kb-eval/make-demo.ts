// Writes the demo evaluation set (bench/kb-eval/demo/*.jsonl) from the demo knowledge base and
// the hand-written queries in queries.src.tsv. Run: node --import tsx bench/kb-eval/make-demo.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoArticles } from '../../server/src/kb/demo-kb.js';

const dir = join(import.meta.dirname, 'demo');
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const articles = demoArticles().map((a) => ({ id: a.sourceKey, title: a.title, body: a.body }));
const ids = new Set(articles.map((a) => a.id));
const queries: { id: string; subject: string; body: string }[] = [];
const qrels: { query: string; article: string; relevance: number }[] = [];
for (const [i, line] of readFileSync(join(dir, 'queries.src.tsv'), 'utf8')
  .trim()
  .split('\n')
  .entries()) {
  const [article, subject, body] = line.split('\t');
  if (!article || !subject || body === undefined)
    throw new Error(`line ${i + 1}: three tab-separated fields`);
  if (!ids.has(article)) throw new Error(`line ${i + 1}: no article ${article}`);
  const id = `q${String(i + 1).padStart(3, '0')}`;
  queries.push({ id, subject, body });
  qrels.push({ query: id, article, relevance: 2 });
}
writeFileSync(join(dir, 'articles.jsonl'), jsonl(articles));
writeFileSync(join(dir, 'queries.jsonl'), jsonl(queries));
writeFileSync(join(dir, 'qrels.jsonl'), jsonl(qrels));
console.log(`${articles.length} articles, ${queries.length} queries`);
