// What the public-set converters share: reading a file from a fetched copy of a repository (a
// checkout, or a bare git directory with no work tree, read at HEAD) and writing the runner's
// three files. The sets' data is third-party and never committed: the output folder is
// git-ignored (bench/kb-eval/public/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run bench` looks for converted public sets, one folder per set. */
export const PUBLIC_DIR = join(import.meta.dirname, 'public');

export interface SetArticle {
  id: string;
  title: string;
  body: string;
}
export interface SetQuery {
  id: string;
  subject: string;
  body: string;
  /** The split unit (see README.md, "The split, fixed before any run"). */
  unit: string;
  group?: string;
}
export interface SetQrel {
  query: string;
  article: string;
  relevance: number;
}

/**
 * A file of the fetched repository: from its work tree if it has one, else from git at `rev`
 * (HEAD unless the file is only in an older commit).
 */
export function readSource(repo: string, path: string, rev = 'HEAD'): string {
  const file = join(repo, path);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  return execFileSync('git', ['-C', repo, 'show', `${rev}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Text of an XML element with its entities decoded (&amp; last, so "&amp;lt;" stays "&lt;"). */
export const decodeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

/** Whether a query has anything to search for (a letter or a digit). */
export const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** Collapses runs of white space, as the sets were scraped with ragged spacing. */
export const tidy = (text: string) => text.replace(/\s+/g, ' ').trim();

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Writes the runner's three files into `dir` and says what was written. */
export function writeSet(
  dir: string,
  set: { articles: SetArticle[]; queries: SetQuery[]; qrels: SetQrel[] },
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'articles.jsonl'), jsonl(set.articles));
  writeFileSync(join(dir, 'queries.jsonl'), jsonl(set.queries));
  writeFileSync(join(dir, 'qrels.jsonl'), jsonl(set.qrels));
  return `${set.articles.length} articles, ${set.queries.length} queries, ${set.qrels.length} judgements -> ${dir}`;
}

/** `<fetched repository> [output folder]`, the folder defaulting to public/<name>. */
export function converterArgs(name: string, usage: string): { repo: string; out: string } {
  const [repo, out] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!repo) {
    console.error(`usage: node --import tsx bench/kb-eval/convert-${name}.ts ${usage}`);
    process.exit(2);
  }
  return { repo: resolve(repo), out: out ? resolve(out) : join(PUBLIC_DIR, name) };
}

/** The public sets `npm run bench` looks for, with the converter and the copy each needs. */
export const PUBLIC_SETS = [
  {
    name: 'stackfaq',
    note: 'StackExchange web-apps FAQ: paraphrased questions to their thread',
    convert: 'convert-stackfaq.ts <fetched ML-Recipes/BERT-FAQ>',
  },
  {
    name: 'covidfaq',
    note: "COVID-19 FAQ: people's questions to the FAQ answer",
    convert: 'convert-covidfaq.ts <fetched ML-Recipes/BERT-FAQ>',
  },
  {
    name: 'semevalql',
    note: 'SemEval-2016 Task 3, Qatar Living forum: a posted question to related questions',
    convert: 'convert-semevalql.ts <fetched diyessi/Iyas>',
  },
] as const;

/** Whether a converted set is in `dir` (all three files). */
export const isConverted = (dir: string) =>
  ['articles.jsonl', 'queries.jsonl', 'qrels.jsonl'].every((f) => existsSync(join(dir, f)));
