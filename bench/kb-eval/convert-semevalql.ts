// SemEval-2016 Task 3, subtask B (Qatar Living forum, community Q&A): original forum questions,
// each with about ten related questions a search engine found, judged PerfectMatch, Relevant or
// Irrelevant to it. Article: a related question (subject as title, body as body; the judgement
// is of the question, so its comments are left out); query: an original question, subject and
// body as posted; relevance 2, 1, 0. Only the training part 1 file is in the repository.
// Ids and split units as recorded in README.md ("The split, fixed before any run").
// Usage: node --import tsx bench/kb-eval/convert-semevalql.ts <diyessi/Iyas copy> [out]
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

export const SEMEVALQL_FILE =
  'semeval2016-3/data/Semeval2016-Task3-English-data/datasets/semeval2016-task3-cqa-ql-train/v2.0/SemEval2016-Task3-CQA-QL-train-part1.xml';
/** The commit of diyessi/Iyas that holds the file (its HEAD no longer does). */
export const SEMEVALQL_COMMIT = '83ac4ef9347e40d31cbb8a5689e56d1cc643c6a8';

const RELEVANCE: Record<string, number> = { PerfectMatch: 2, Relevant: 1, Irrelevant: 0 };

const text = (xml: string, tag: string) =>
  tidy(decodeXml(xml.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`))?.[1] ?? ''));

/** The three files of the set from the XML file's text. */
export function convertSemevalQl(xml: string) {
  const articles = new Map<string, SetArticle>();
  const queries = new Map<string, SetQuery>();
  const qrels: SetQrel[] = [];
  for (const m of xml.matchAll(/<OrgQuestion ORGQ_ID="([^"]+)">([\s\S]*?)<\/OrgQuestion>/g)) {
    const [, orgId, org] = m as unknown as [string, string, string];
    const query = `semevalql-${orgId}`;
    if (!queries.has(query)) {
      const subject = text(org, 'OrgQSubject');
      const body = text(org, 'OrgQBody');
      if (hasWords(subject + body)) queries.set(query, { id: query, subject, body, unit: query });
    }
    const rel = org.match(/<RelQuestion RELQ_ID="([^"]+)"[^>]*RELQ_RELEVANCE2ORGQ="([^"]+)"/);
    if (!rel) continue;
    const article = `semevalql-${rel[1]}`;
    const title = text(org, 'RelQSubject');
    const body = text(org, 'RelQBody');
    articles.set(article, { id: article, title: title || body, body: body || title });
    const relevance = RELEVANCE[rel[2]!] ?? 0;
    if (relevance > 0 && queries.has(query)) qrels.push({ query, article, relevance });
  }
  return { articles: [...articles.values()], queries: [...queries.values()], qrels };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { repo, out } = converterArgs('semevalql', '<fetched diyessi/Iyas> [out folder]');
  const xml = readSource(repo, SEMEVALQL_FILE, SEMEVALQL_COMMIT);
  console.log(`semevalql: ${writeSet(out, convertSemevalQl(xml))}`);
}
