// CovidFAQ (ML-Recipes/BERT-FAQ): 67 COVID-19 FAQ answers and 1,387 questions people asked, each
// labelled with the answer that matches it. Article: the answer, titled by its FAQ question(s);
// queries: the `user_query` rows; relevant: the article of their answer (relevance 2).
// Ids and split units as recorded in README.md ("The split, fixed before any run").
// Usage: node --import tsx bench/kb-eval/convert-covidfaq.ts <ML-Recipes/BERT-FAQ copy> [out]
import { z } from 'zod';
import {
  converterArgs,
  hasWords,
  readSource,
  tidy,
  writeSet,
  type SetArticle,
  type SetQrel,
  type SetQuery,
} from './public-set.js';

export const COVIDFAQ_FILE = 'data/CovidFAQ/query_answer_pairs.json';

const rows = z.array(
  z.object({
    label: z.number(),
    query_type: z.string(),
    question: z.string(),
    answer: z.string(),
    id: z.union([z.string(), z.number()]),
  }),
);

/** The three files of the set from the JSON file's text. */
export function convertCovidFaq(json: string) {
  const data = rows.parse(JSON.parse(json));
  const idOf = new Map<string, string>();
  const titles = new Map<string, string[]>();
  for (const r of data) {
    const answer = tidy(r.answer);
    if (!idOf.has(answer)) idOf.set(answer, `covidfaq-a${idOf.size + 1}`);
    if (r.query_type === 'faq')
      titles.set(answer, [...(titles.get(answer) ?? []), tidy(r.question)]);
  }
  const articles: SetArticle[] = [...idOf].map(([answer, id]) => ({
    id,
    // An answer with no FAQ row of its own is titled by its first sentence.
    title: titles.get(answer)?.join(' / ') ?? answer.split(/(?<=[.?!])\s/)[0]!,
    body: answer,
  }));
  const queries: SetQuery[] = [];
  const qrels: SetQrel[] = [];
  for (const r of data) {
    if (r.query_type !== 'user_query' || r.label <= 0) continue;
    const subject = tidy(r.question);
    if (!hasWords(subject)) continue;
    const article = idOf.get(tidy(r.answer))!;
    const id = `covidfaq-q${r.id}`;
    queries.push({ id, subject, body: '', unit: article });
    qrels.push({ query: id, article, relevance: 2 });
  }
  return { articles, queries, qrels };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { repo, out } = converterArgs('covidfaq', '<fetched ML-Recipes/BERT-FAQ> [out folder]');
  console.log(`covidfaq: ${writeSet(out, convertCovidFaq(readSource(repo, COVIDFAQ_FILE)))}`);
}
