import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { NodeHtmlMarkdown, type TranslatorConfigFactory } from 'node-html-markdown';
import { parse as parseHtml } from 'node-html-parser';
import YAML from 'yaml';
import type { ImportItem } from './articles.js';
import { decodeText } from './encoding.js';

/** A file of an import: its path inside the source (the source key of what it holds) and bytes. */
export interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

const FORMATS = 'Markdown (.md), CSV, JSON, JSON Lines (.jsonl), HTML or a ZIP of them';

/** The files under a path: a folder (recursively), a ZIP, or one file. Hidden files are skipped. */
export function filesFromPath(path: string): SourceFile[] {
  if (statSync(path).isDirectory()) {
    const out: SourceFile[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (entry.name.startsWith('.')) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else
          out.push({ name: relative(path, full).split(sep).join('/'), bytes: readFileSync(full) });
      }
    };
    walk(path);
    return out;
  }
  return [{ name: basename(path), bytes: readFileSync(path) }];
}

/** Reads every article the files hold; what cannot be read is an item with the reason. */
export function* itemsFromFiles(files: SourceFile[]): Generator<ImportItem> {
  for (const f of files) {
    const ext = extname(f.name).toLowerCase();
    try {
      if (ext === '.zip') {
        const entries = unzipSync(f.bytes);
        yield* itemsFromFiles(
          Object.entries(entries)
            .filter(([name, bytes]) => !name.endsWith('/') && bytes.length > 0)
            .filter(([name]) => !name.split('/').some((p) => p.startsWith('.') || p === '__MACOSX'))
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, bytes]) => ({ name, bytes })),
        );
      } else if (ext === '.md' || ext === '.markdown') yield markdownItem(f.name, text(f));
      else if (ext === '.csv') yield* csvItems(f.name, text(f));
      else if (ext === '.json') yield* jsonItems(f.name, text(f));
      else if (ext === '.jsonl' || ext === '.ndjson') yield* jsonLinesItems(f.name, text(f));
      else if (ext === '.html' || ext === '.htm') yield htmlItem(f.name, text(f, 'html'));
      else yield { ref: f.name, error: `not a format Deskwatch imports (${FORMATS})` };
    } catch (err) {
      yield { ref: f.name, error: `could not be read: ${(err as Error).message}` };
    }
  }
}

const text = (f: SourceFile, declares?: 'html') => decodeText(f.bytes, declares);

/** Tags written as a list, or as one string split on commas, semicolons or pipes. */
function tagList(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string')
    return v
      .split(/[,;|]/)
      .map((t) => t.trim())
      .filter(Boolean);
  return undefined;
}

const pick = (o: Record<string, unknown>, ...keys: string[]) => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') return o[k];
  return undefined;
};

function stateOf(o: Record<string, unknown>): unknown {
  if (o.draft === true || o.draft === 'true') return 'draft';
  if (o.outdated === true) return 'outdated';
  const s = pick(o, 'state', 'status');
  return typeof s === 'string' ? s.toLowerCase() : undefined;
}

/**
 * An API endpoint rather than a page for people: Zendesk's `url` (`/api/v2/help_center/….json`),
 * and the like of other tools.
 */
const isApiUrl = (u: string) => /\/api\/v\d+\/|\.json(?:[?#]|$)/i.test(u);

/**
 * The article's page for people: the help centre's page (`html_url`) before any other address,
 * and never an API endpoint (an address agents would hand customers as a link).
 */
function pageUrl(o: Record<string, unknown>): unknown {
  for (const k of ['html_url', 'external_url', 'externalUrl', 'url', 'link']) {
    const v = o[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string' && isApiUrl(v)) continue;
    return v;
  }
  return null;
}

/** The common fields of an article given as an object (front matter, CSV row, JSON). */
function articleFields(o: Record<string, unknown>) {
  return {
    tags: tagList(pick(o, 'tags', 'labels', 'label_names')) ?? [],
    language: pick(o, 'language', 'lang', 'locale'),
    externalUrl: pageUrl(o),
    author: pick(o, 'author', 'author_name') ?? '',
    state: stateOf(o),
  };
}

const withoutUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A Markdown file, with optional YAML front matter; the title is the front matter's or the first heading. */
export function markdownItem(name: string, source: string): ImportItem {
  const fm = source.match(/^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  let meta: Record<string, unknown> = {};
  if (fm) {
    const parsed: unknown = YAML.parse(fm[1]!);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
      return { ref: name, error: 'front matter is not a set of fields' };
    meta = (parsed ?? {}) as Record<string, unknown>;
  }
  let body = fm ? source.slice(fm[0].length) : source;
  let title = pick(meta, 'title');
  const heading = body.match(/^\s*#\s+(.+?)\s*#*\s*(?:\r?\n|$)/);
  if (!title && heading) {
    title = heading[1];
    body = body.slice(heading[0].length);
  }
  return {
    ref: name,
    data: withoutUndefined({
      sourceKey: String(pick(meta, 'id', 'key', 'slug') ?? name),
      title: title ?? basename(name, extname(name)).replace(/[-_]+/g, ' '),
      body: body.trim(),
      ...articleFields(meta),
    }),
  };
}

/**
 * The records of a CSV text, each with the line it starts on: split at line ends outside quoted
 * fields (a quote opens a field only at its start, `""` inside one is a quote), so that each
 * record can be parsed, and rejected, alone.
 */
export function csvRecords(source: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') i++;
        else quoted = false;
      } else if (c === '\n') line++;
      continue;
    }
    if (c === '"' && fieldStart) quoted = true;
    else if (c === '\n') {
      out.push({ line: startLine, text: source.slice(start, i) });
      start = i + 1;
      startLine = ++line;
      fieldStart = true;
      continue;
    }
    if (c === ',') fieldStart = true;
    else if (c !== ' ' && c !== '\t') fieldStart = false;
  }
  if (start < source.length) out.push({ line: startLine, text: source.slice(start) });
  return out.filter((r) => r.text.trim() !== '');
}

const parseRecord = (text: string) =>
  parseCsv(text, { relax_column_count: true, trim: true }) as string[][];

/**
 * A CSV with a header row: title and body, optionally id, tags, language, url, author, state.
 * A row that cannot be parsed (a stray quote) is rejected alone, with the line it starts on.
 */
export function* csvItems(name: string, source: string): Generator<ImportItem> {
  const [header, ...records] = csvRecords(source);
  if (!header) return;
  const columns = parseRecord(header.text)[0]?.map((c) => c.trim().toLowerCase()) ?? [];
  for (const [i, rec] of records.entries()) {
    const ref = `${name} row ${i + 2}`;
    let cells: string[];
    try {
      const parsed = parseRecord(rec.text);
      if (parsed.length !== 1) throw new Error('it holds more than one row');
      cells = parsed[0]!;
    } catch (err) {
      yield {
        ref,
        error: `could not be read (line ${rec.line}): ${(err as Error).message.replace(/ at line \d+.*$/s, '')}`,
      };
      continue;
    }
    const row = Object.fromEntries(columns.map((c, j) => [c, cells[j]]).filter(([, v]) => v));
    yield {
      ref,
      data: withoutUndefined({
        sourceKey: pick(row, 'id', 'key', 'slug') ?? `${pick(row, 'title') ?? ref}`,
        title: pick(row, 'title'),
        body: pick(row, 'body', 'content', 'answer', 'text'),
        ...articleFields(row),
      }),
    };
  }
}

/**
 * JSON: an array of articles (our own format), a Zendesk Guide export (`{"articles": [...]}`,
 * HTML bodies), or a Freshdesk solutions export (an array of articles with an HTML
 * `description` and a numeric `status`).
 */
export function* jsonItems(name: string, source: string): Generator<ImportItem> {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (err) {
    yield { ref: name, error: `not valid JSON: ${(err as Error).message}` };
    return;
  }
  const zendesk =
    doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'articles' in doc;
  const list = zendesk ? (doc as { articles: unknown }).articles : doc;
  if (!Array.isArray(list)) {
    yield { ref: name, error: 'expected an array of articles or {"articles": [...]}' };
    return;
  }
  for (const [i, raw] of list.entries()) yield jsonArticle(`${name} #${i + 1}`, raw, zendesk);
}

/** JSON Lines: one article per line, as in a JSON array; a bad line is rejected alone. */
export function* jsonLinesItems(name: string, source: string): Generator<ImportItem> {
  for (const [i, line] of source.split('\n').entries()) {
    if (!line.trim()) continue;
    const ref = `${name} line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      yield { ref, error: `not valid JSON: ${(err as Error).message}` };
      continue;
    }
    yield jsonArticle(ref, raw, false);
  }
}

/** One article of a JSON export: ours, Zendesk's (`zendesk`) or Freshdesk's (told by its fields). */
function jsonArticle(ref: string, raw: unknown, zendesk: boolean): ImportItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ref, error: 'an article is an object' };
  const o = raw as Record<string, unknown>;
  if (zendesk)
    return {
      ref,
      source: 'zendesk',
      data: withoutUndefined({
        sourceKey: o.id === undefined ? undefined : `zendesk:${String(o.id)}`,
        title: o.title,
        body: typeof o.body === 'string' ? htmlToMarkdown(o.body) : o.body,
        ...articleFields(o),
      }),
    };
  if (typeof o.description === 'string' && typeof o.status === 'number')
    return {
      ref,
      source: 'freshdesk',
      data: withoutUndefined({
        sourceKey: o.id === undefined ? undefined : `freshdesk:${String(o.id)}`,
        title: o.title,
        body: htmlToMarkdown(o.description),
        ...articleFields(o),
        state: o.status === 1 ? 'draft' : 'published',
      }),
    };
  return {
    ref,
    data: withoutUndefined({
      sourceKey: pick(o, 'sourceKey', 'id', 'key', 'slug'),
      title: o.title,
      body: o.body,
      ...articleFields(o),
    }),
  };
}

/** An HTML page: its title (`<title>` or the first `h1`) and the text of its main content. */
export function htmlItem(name: string, source: string): ImportItem {
  const root = parseHtml(source, { comment: false });
  const main =
    root.querySelector('main') ??
    root.querySelector('article') ??
    root.querySelector('[role="main"]') ??
    root.querySelector('body') ??
    root;
  const h1 = main.querySelector('h1');
  const title = root.querySelector('title')?.text.trim() || h1?.text.trim();
  h1?.remove();
  // Only an absolute http(s) address names the page; a relative one (resolved against nothing) is ignored.
  const href = root.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim();
  const canonical = href && /^https?:\/\/[^/]/i.test(href) ? href : undefined;
  const lang = root.querySelector('html')?.getAttribute('lang');
  return {
    ref: name,
    data: withoutUndefined({
      sourceKey: name,
      title,
      body: htmlToMarkdown(main.innerHTML),
      externalUrl: canonical,
      language: lang?.toLowerCase().replace(/_/g, '-'),
    }),
  };
}

/** An image the reader cannot load still says what it showed. */
const imageTranslator: TranslatorConfigFactory = ({ node }) => {
  const alt = (node.getAttribute('alt') ?? '').replace(/[[\]\\<]/g, '\\$&').trim();
  const src = node.getAttribute('src') ?? '';
  if (!/^https?:\/\//i.test(src)) return alt ? { content: alt, recurse: false } : { ignore: true };
  return { content: `![${alt}](${src.replace(/[()\s]/g, encodeURIComponent)})`, recurse: false };
};

/**
 * The converter of imported HTML: GFM tables, fenced code, images with their alt text. Text that
 * reads like markup (`&lt;script&gt;` on the page) is escaped (`\\<script>`), so it stays text
 * when the Markdown is rendered; scripts, styles, frames and page chrome are dropped.
 */
const converter = new NodeHtmlMarkdown(
  {
    bulletMarker: '-',
    maxConsecutiveNewlines: 2,
    // The library's own escapes, and `<`, which would otherwise open an HTML tag.
    globalEscape: [/[\\`*_~[\]<]/gm, '\\$&'],
    ignore: [
      'NAV',
      'HEADER',
      'FOOTER',
      'ASIDE',
      'FORM',
      'NOSCRIPT',
      'TEMPLATE',
      'SVG',
      'BUTTON',
      'IFRAME',
      'OBJECT',
      'SELECT',
      'TEXTAREA',
    ],
  },
  { img: imageTranslator },
);
// A <pre> without a lone <code> inside is a code block too (the library fences only pre > code).
converter.translators.set('pre', ({ node }) => {
  const lone =
    node.childNodes.length === 1 && (node.childNodes[0] as { tagName?: string }).tagName === 'CODE';
  return lone
    ? { noEscape: true, preserveWhitespace: true }
    : {
        noEscape: true,
        preserveWhitespace: true,
        surroundingNewlines: 2,
        prefix: '```\n',
        postfix: '\n```',
        childTranslators: converter.codeBlockTranslators,
      };
});
// Inside a table cell, paragraphs, line breaks and list items stay apart (a GFM cell is one line).
converter.tableCellTranslators.set('p,div,li,dt,dd', { postfix: ' ' });
converter.tableCellTranslators.set('br', { content: ' ', recurse: false });
converter.tableCellTranslators.set('img', imageTranslator);

/** Markdown from HTML: headings, paragraphs, lists, links, tables, code and images; markup is never kept. */
export function htmlToMarkdown(html: string): string {
  return converter.translate(html).trim();
}
