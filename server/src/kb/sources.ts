import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { HTMLElement, Node, NodeType, parse as parseHtml } from 'node-html-parser';
import YAML from 'yaml';
import type { ImportItem } from './articles.js';

/** A file of an import: its path inside the source (the source key of what it holds) and bytes. */
export interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

const FORMATS = 'Markdown (.md), CSV, JSON, HTML or a ZIP of them';

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
      else if (ext === '.html' || ext === '.htm') yield htmlItem(f.name, text(f));
      else yield { ref: f.name, error: `not a format Deskwatch imports (${FORMATS})` };
    } catch (err) {
      yield { ref: f.name, error: `could not be read: ${(err as Error).message}` };
    }
  }
}

const text = (f: SourceFile) => strFromU8(f.bytes).replace(/^\uFEFF/, '');

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

/** The common fields of an article given as an object (front matter, CSV row, JSON). */
function articleFields(o: Record<string, unknown>) {
  const url = pick(o, 'url', 'external_url', 'externalUrl', 'html_url', 'link');
  return {
    tags: tagList(pick(o, 'tags', 'labels', 'label_names')) ?? [],
    language: pick(o, 'language', 'lang', 'locale'),
    externalUrl: url ?? null,
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

/** A CSV with a header row: title and body, optionally id, tags, language, url, author, state. */
export function* csvItems(name: string, source: string): Generator<ImportItem> {
  const rows = parseCsv(source, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as Record<string, string>[];
  for (const [i, row] of rows.entries()) {
    const ref = `${name} row ${i + 2}`;
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
  for (const [i, raw] of list.entries()) {
    const ref = `${name} #${i + 1}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      yield { ref, error: 'an article is an object' };
      continue;
    }
    const o = raw as Record<string, unknown>;
    if (zendesk) {
      yield {
        ref,
        data: withoutUndefined({
          sourceKey: o.id === undefined ? undefined : `zendesk:${String(o.id)}`,
          title: o.title,
          body: typeof o.body === 'string' ? htmlToMarkdown(parseHtml(o.body)) : o.body,
          ...articleFields(o),
        }),
      };
    } else if (typeof o.description === 'string' && typeof o.status === 'number') {
      yield {
        ref,
        data: withoutUndefined({
          sourceKey: o.id === undefined ? undefined : `freshdesk:${String(o.id)}`,
          title: o.title,
          body: htmlToMarkdown(parseHtml(o.description)),
          ...articleFields(o),
          state: o.status === 1 ? 'draft' : 'published',
        }),
      };
    } else {
      yield {
        ref,
        data: withoutUndefined({
          sourceKey: pick(o, 'sourceKey', 'id', 'key', 'slug'),
          title: o.title,
          body: o.body,
          ...articleFields(o),
        }),
      };
    }
  }
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
  const canonical = root.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const lang = root.querySelector('html')?.getAttribute('lang');
  return {
    ref: name,
    data: withoutUndefined({
      sourceKey: name,
      title,
      body: htmlToMarkdown(main),
      externalUrl: canonical,
      language: lang?.toLowerCase().replace(/_/g, '-'),
    }),
  };
}

const SKIP = new Set([
  'script',
  'style',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'noscript',
  'template',
  'svg',
  'button',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'ul',
  'ol',
  'table',
  'tr',
  'blockquote',
  'pre',
  'br',
  'hr',
  'figure',
]);

/** Markdown from parsed HTML, as text: headings, paragraphs, lists and links; markup is never kept. */
export function htmlToMarkdown(node: Node): string {
  const out: string[] = [];
  const walk = (n: Node, listDepth: number) => {
    if (n.nodeType === NodeType.TEXT_NODE) {
      out.push(n.text.replace(/\s+/g, ' '));
      return;
    }
    if (!(n instanceof HTMLElement)) return;
    const tag = n.rawTagName?.toLowerCase() ?? '';
    if (SKIP.has(tag)) return;
    const heading = tag.match(/^h([1-6])$/);
    if (heading) {
      out.push(`\n\n${'#'.repeat(Math.max(2, Number(heading[1])))} ${n.text.trim()}\n\n`);
      return;
    }
    if (tag === 'li') {
      out.push(`\n${'  '.repeat(Math.max(0, listDepth - 1))}- `);
      for (const c of n.childNodes) walk(c, listDepth);
      return;
    }
    if (tag === 'a' && n.getAttribute('href') && n.text.trim()) {
      out.push(`[${n.text.trim()}](${n.getAttribute('href')})`);
      return;
    }
    if (BLOCK.has(tag)) out.push('\n\n');
    for (const c of n.childNodes) walk(c, tag === 'ul' || tag === 'ol' ? listDepth + 1 : listDepth);
    if (BLOCK.has(tag)) out.push('\n\n');
  };
  walk(node, 0);
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+(?!-)/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
