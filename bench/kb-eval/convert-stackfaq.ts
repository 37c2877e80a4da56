// StackFAQ (Karan & Šnajder 2018): 125 StackExchange web-apps threads, each with about eleven
// paraphrases of its question written by annotators. Article: the thread's question as title,
// its top answers as body; queries: the paraphrases; relevant: their own thread (relevance 2).
// Ids and split units as recorded in README.md ("The split, fixed before any run").
// Usage: node --import tsx bench/kb-eval/convert-stackfaq.ts <ML-Recipes/BERT-FAQ copy> [out]
import {
  converterArgs,
  decodeXml,
  hasWords,
  readSource,
  tidy,
  writeSet,
  type SetArticle,
  type SetQrel,
  type SetQuery,
} from './public-set.js';

export const STACKFAQ_FILE = 'data/StackFAQ/stackExchange-FAQ.xml';

const all = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => decodeXml(m[1]!));

/** The three files of the set from the XML file's text. */
export function convertStackFaq(xml: string) {
  const articles: SetArticle[] = [];
  const queries: SetQuery[] = [];
  const qrels: SetQrel[] = [];
  for (const [i, pair] of all(xml, 'qapair').entries()) {
    const id = `stackfaq-t${i + 1}`;
    const title = tidy(all(pair, 'question')[0] ?? '');
    const answers = all(pair, 'answer').map(tidy).filter(Boolean);
    articles.push({ id, title, body: answers.join('\n\n') || title });
    for (const [k, rephr] of all(pair, 'rephr').entries()) {
      const subject = tidy(rephr);
      if (!hasWords(subject)) continue;
      const q = `${id}-r${k + 1}`;
      queries.push({ id: q, subject, body: '', unit: id });
      qrels.push({ query: q, article: id, relevance: 2 });
    }
  }
  return { articles, queries, qrels };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { repo, out } = converterArgs('stackfaq', '<fetched ML-Recipes/BERT-FAQ> [out folder]');
  console.log(`stackfaq: ${writeSet(out, convertStackFaq(readSource(repo, STACKFAQ_FILE)))}`);
}
