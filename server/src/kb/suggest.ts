import type { Client } from '@libsql/client';
import { WEAK_CONFIDENCE } from '@deskwatch/shared';
import { Bloom } from './bloom.js';
import { ftsQuery, splits, stem, ticketQuery, words, type TicketQuery } from './query.js';

/** A piece of a snippet: plain text, or a term that matched (shown marked, always as text). */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface Suggestion {
  id: string;
  title: string;
  externalUrl: string | null;
  snippet: SnippetPart[];
  score: number;
  /**
   * How well it answers, 0 to 1: the share of the ticket's topic-term weight (each term's inverse
   * document frequency, a term no article holds weighing the most) that the article holds. Below
   * WEAK_CONFIDENCE (@deskwatch/shared) for the first one, the panel says there is no good match.
   */
  confidence: number;
  /** Why it matched: the terms found in the title and body, and links from similar tickets. */
  why: { titleTerms: string[]; bodyTerms: string[]; similarTicketLinks: number };
}

const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';

/** Title over body over tags, for BM25. */
export const FIELD_WEIGHTS = [2, 1, 1] as const;
/** The confidence under which a best suggestion is no good match (shared with the panel). */
export { WEAK_CONFIDENCE };

/**
 * A term's weight for the confidence: its inverse document frequency in a base of `articles`,
 * smoothed, so a term no article holds weighs the most and a term every article holds little.
 */
export const termWeight = (df: number, articles: number) =>
  Math.log(1 + Math.max(articles, df) / (df + 1));

/** How much links from similar tickets can lift an article (a share of its score). */
const LINK_BOOST = 0.5;

/** Markdown's emphasis, code and heading marks, which read as noise in a one-line snippet. */
/**
 * A snippet as text: no emphasis, code fences, heading marks, table rules or cell bars, and
 * Markdown's escapes (`\\<script>`, `\\*`, as imported HTML writes text that looks like markup)
 * read as the character they escape.
 */
const plain = (s: string) =>
  s
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, '')
    .replace(/\*\*|__|`|^#+\s*/gm, '')
    .replace(/(?<!\\)\s*\|\s*/g, ' ')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ');

export function snippetParts(raw: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const chunk of plain(raw).split(MARK_OPEN)) {
    const [marked, rest] = chunk.includes(MARK_CLOSE) ? chunk.split(MARK_CLOSE) : [null, chunk];
    if (marked) parts.push({ text: marked, mark: true });
    if (rest) parts.push({ text: rest, mark: false });
  }
  return parts;
}

interface Candidate {
  rowid: number;
  id: string;
  title: string;
  external_url: string | null;
  rank: number;
}

/**
 * How many matching documents a suggestion may score, summed over its terms' document
 * frequencies. Terms are taken rarest first until the next would pass it (the rarest is always
 * taken): a term found in a third of a large knowledge base lifts every article a little and
 * picks none out, yet scoring its every article is what makes a query slow. Below this size
 * nothing is dropped, so a small knowledge base is searched with every term.
 */
export const MATCH_BUDGET = 2000;
/**
 * The most a budget may grow to on a large knowledge base: what scoring costs at 100,000
 * articles within the latency target (bench/kb-scale.bench.ts).
 */
export const MATCH_BUDGET_MAX = 20_000;

/**
 * The budget for a knowledge base of `articles` (the whole index): a base's size in matched
 * documents, so a 2,400-article base keeps the content words most of its articles hold, between
 * MATCH_BUDGET (below which nothing is dropped on a small base) and MATCH_BUDGET_MAX (cost). The
 * weak words' budget grows with it, a quarter of it.
 */
export function matchBudget(articles: number): { topic: number; weak: number } {
  const topic = Math.min(MATCH_BUDGET_MAX, Math.max(MATCH_BUDGET, articles));
  return { topic, weak: Math.max(WEAK_BUDGET, Math.round(topic / 4)) };
}
/**
 * How many more documents a ticket's weak words may bring into the scoring, rarest first: the
 * most common ("the", "my") have next to no weight in BM25 and cost the most to score.
 */
export const WEAK_BUDGET = 500;
/** Ranked rows read from the index before the workspace filter; more are read only when too few are the workspace's. */
const OVERFETCH = 50;
/** How long a term's document frequency is trusted: it only chooses which terms to match. */
const DF_TTL_MS = 10 * 60_000;
/** How often, at most, the vocabulary is read again once articles changed (about a second at 100,000 articles). */
const REWARM_MS = 60_000;
const DF_CACHE_MAX = 50_000;
const DF_CACHE_MIN = 100;

/**
 * The terms to match: rarest first, within the budget of scored documents; absent terms dropped.
 * The rarest is taken even past the budget unless `always` is false.
 */
export function pruneTerms(
  terms: string[],
  df: number[],
  budget = MATCH_BUDGET,
  always = true,
): string[] {
  const order = terms
    .map((t, i) => ({ t, df: df[i] ?? 0, i }))
    .filter((x) => x.df > 0)
    .sort((a, b) => a.df - b.df || a.i - b.i);
  const out: { t: string; i: number }[] = [];
  let sum = 0;
  for (const x of order) {
    if ((out.length > 0 || !always) && sum + x.df > budget) break;
    out.push(x);
    sum += x.df;
  }
  // In the ticket's order (subject first), for a query that reads like the ticket.
  return out.sort((a, b) => a.i - b.i).map((x) => x.t);
}

/**
 * A single word as the index stores it (unicode61 folds accents, porter stems), or null for what
 * the index splits into several (hyphens, apostrophes, spaces).
 */
function indexForm(w: string): string | null {
  const folded = w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return /^[\p{L}\p{N}]+$/u.test(folded) ? stem(folded) : null;
}

export function createSuggest(client: Client, now: () => number = Date.now) {
  const dfCache = new Map<string, { df: number; at: number; generation: number }>();
  /** Common stems' article counts, read from the index's vocabulary by `warm`. */
  let vocabulary = new Map<string, number>();
  /** Articles in the index at the last `warm` (0 before any: the smallest budgets). */
  let baseSize = 0;
  /** Every term of the index at the last `warm`, to skip counting tried words it never held. */
  let present: Bloom | null = null;
  /**
   * The articles' generation (kb_changes, bumped by every write to an article, from any
   * process) that `present` was read at, and the one the latest search saw. What a search
   * remembers of terms no article held (`present`, small counts) holds only within one
   * generation: an article written since, here or by the CLI, is found at once.
   */
  let warmedGeneration = -1;
  let generation = -1;
  let warming: Promise<number> | null = null;
  let warmStartedAt = -Infinity;
  /** False when the index held no such term at the last `warm` and nothing changed since (true before any). */
  const mayHold = (form: string) =>
    present && warmedGeneration === generation ? present.has(form) : true;

  const readGeneration = async () =>
    Number(
      (await client.execute('SELECT generation FROM kb_changes WHERE id = 1')).rows[0]?.[0] ?? 0,
    );

  /** Reads the articles' generation; once the vocabulary is stale, reads it again in the background, at most once a minute. */
  async function follow() {
    generation = await readGeneration();
    if (present && generation !== warmedGeneration && !warming && now() - warmStartedAt > REWARM_MS)
      void warm().catch(() => undefined);
  }

  async function warm(): Promise<number> {
    if (warming) return warming;
    warmStartedAt = now();
    warming = (async () => {
      const g = await readGeneration();
      const r = await client.execute('SELECT term, doc FROM kb_vocab');
      const size = await client.execute('SELECT count(*) FROM kb_articles');
      const all = new Bloom(r.rows.length);
      const common = new Map<string, number>();
      for (const x of r.rows) {
        all.add(String(x.term));
        if (Number(x.doc) >= DF_CACHE_MIN) common.set(String(x.term), Number(x.doc));
      }
      [vocabulary, present, warmedGeneration] = [common, all, g];
      baseSize = Number(size.rows[0]![0]);
      return vocabulary.size;
    })();
    try {
      return await warming;
    } finally {
      warming = null;
    }
  }

  /**
   * Documents of the index holding each term, counted by FTS5 itself (its tokenizer, its stems),
   * up to `cap`: past the budget a term is never matched beside another, so its exact count
   * matters only when every term is past it, and counting a common term to the end is what costs.
   * The counts of `tried` terms (compounds, splits, weak words) are remembered even when small or
   * zero, until any article is written (the generation changes) or DF_TTL_MS has passed.
   */
  async function docFrequencies(
    terms: string[],
    cap: number | null,
    tried: ReadonlySet<string> = new Set(),
  ): Promise<number[]> {
    const t = now();
    const key = (w: string) => `${cap ?? ''}:${w}`;
    const fresh = new Map<string, number>();
    for (const w of terms) {
      // Read at start-up from the vocabulary, under the form this side computes (Porter, like
      // the index's; where the two disagree the term is simply counted below).
      const form = indexForm(w);
      const known = form && vocabulary.get(form);
      if (known) fresh.set(w, cap ? Math.min(known, cap) : known);
      // A word tried on the off chance (most compounds) that no article held at start-up.
      else if (form && tried.has(w) && !mayHold(form)) fresh.set(w, 0);
    }
    const missing = [...new Set(terms)].filter((w) => {
      if (fresh.has(w)) return false;
      const hit = dfCache.get(key(w));
      // A small count (a rare or absent term) may have grown with any article written since.
      return (
        !hit || t - hit.at > DF_TTL_MS || (hit.df < DF_CACHE_MIN && hit.generation !== generation)
      );
    });
    if (missing.length) {
      const count = cap
        ? `(SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH ? LIMIT ${cap}))`
        : '(SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?)';
      const r = await client.execute({
        sql: `SELECT ${missing.map(() => count).join(', ')}`,
        args: missing.map((w) => ftsQuery([w])!),
      });
      if (dfCache.size + missing.length > DF_CACHE_MAX) dfCache.clear();
      missing.forEach((w, i) => fresh.set(w, Number(r.rows[0]![i])));
      // Otherwise only common terms are kept: they are the costly ones to count, and a few more
      // or fewer articles barely moves them; a rare or absent topic term is counted again each
      // time, so an article just written is found at once.
      for (const [w, df] of fresh)
        if (df >= DF_CACHE_MIN || tried.has(w)) dfCache.set(key(w), { df, at: t, generation });
    }
    return terms.map((w) => fresh.get(w) ?? dfCache.get(key(w))!.df);
  }

  /**
   * The FTS5 query of a ticket's search. Its topic terms and the compounds (or, for a topic word
   * the index lacks, the word split in two) that the index holds are matched rarest first within
   * MATCH_BUDGET; the weak words that still fit in the budget are added to the scoring only: an
   * article must hold a topic term, and a topic term counts twice, a weak word once (BM25 sums
   * over the query's phrases). When every topic term is past the budget, the articles holding
   * both of the two rarest, or when fewer than `enough` do, the rarest alone, without weak words.
   * `highlight` is the topic terms alone, for the snippets.
   */
  async function matchOf(
    q: TicketQuery,
    enough: number,
  ): Promise<{ match: string; highlight: string; termDf: Map<string, number> } | null> {
    const budget = matchBudget(baseSize);
    const cap = budget.topic + 1;
    const strong = [...q.terms, ...q.compounds];
    const counted = await docFrequencies(
      [...strong, ...q.weak],
      cap,
      new Set([...q.compounds, ...q.weak]),
    );
    const strongDf = counted.slice(0, strong.length);
    // Each topic term's document count (capped past the budget), for the confidence.
    const termDf = new Map(q.terms.map((t, i) => [t, strongDf[i]!]));
    const weakDf = counted.slice(strong.length);
    const apart = q.terms
      .filter((_, i) => strongDf[i] === 0)
      .flatMap(splits)
      .filter((p) => p.split(' ').every((w) => mayHold(indexForm(w)!)));
    if (apart.length) {
      const df = await docFrequencies(apart, cap, new Set(apart));
      for (const [i, p] of apart.entries()) {
        if (!df[i]) continue;
        strong.push(p);
        strongDf.push(df[i]);
      }
    }
    const found = strongDf.filter((df) => df > 0);
    if (!found.length) return null;
    if (Math.min(...found) <= budget.topic) {
      const kept = pruneTerms(strong, strongDf, budget.topic);
      const dfOf = new Map(strong.map((t, i) => [t, strongDf[i]!]));
      const left = budget.topic - kept.reduce((n, t) => n + dfOf.get(t)!, 0);
      const weak = pruneTerms(q.weak, weakDf, Math.min(left, budget.weak), false);
      const topic = ftsQuery(kept)!;
      // A term the ticket says more than once is a second phrase: BM25 sums over phrases.
      const often = kept.filter((t) => q.often.includes(t));
      const extra = [
        ...(often.length ? [ftsQuery(often)] : []),
        ...(weak.length ? [ftsQuery(weak)] : []),
      ];
      return {
        match: extra.length ? `(${topic}) AND (${[topic, ...extra].join(' OR ')})` : topic,
        highlight: topic,
        termDf,
      };
    }
    const df = await docFrequencies(strong, null);
    const [a, b] = strong
      .map((t, i) => ({ t, df: df[i]! }))
      .filter((x) => x.df > 0)
      .sort((x, y) => x.df - y.df);
    const rarest = ftsQuery([a!.t])!;
    if (b) {
      const both = `${rarest} AND ${ftsQuery([b.t])}`;
      const r = await client.execute({
        sql: `SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH ? LIMIT ?)`,
        args: [both, enough],
      });
      if (Number(r.rows[0]![0]) >= enough) return { match: both, highlight: both, termDf };
    }
    return { match: rarest, highlight: rarest, termDf };
  }

  /**
   * The workspace's published articles best ranked by BM25 for a match. The index is shared by
   * every workspace: it is ranked alone (joining every matching row to its article costs more
   * than the ranking), then filtered to the workspace; only when the first rows are mostly
   * another workspace's is the whole match ranked with the join.
   */
  async function rank(
    workspaceId: string,
    match: string,
    weights: readonly number[] | null,
    limit: number,
  ): Promise<Candidate[]> {
    const bm25 = weights ? `bm25(kb_fts, ${weights.join(', ')})` : 'bm25(kb_fts)';
    const read = Math.max(OVERFETCH, limit);
    const ranked = await client.execute({
      sql: `SELECT rowid, ${bm25} AS rank FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT ?`,
      args: [match, read],
    });
    const rankOf = new Map(ranked.rows.map((r) => [Number(r.rowid), Number(r.rank)]));
    const own = await client.execute({
      // CROSS JOIN keeps the plan on rowid lookups, not a scan of the workspace's articles.
      sql: `SELECT a.rowid, a.id, a.title, a.external_url FROM json_each(?) j
            CROSS JOIN kb_articles a ON a.rowid = j.value
            WHERE a.workspace_id = ? AND a.state = 'published'`,
      args: [JSON.stringify([...rankOf.keys()]), workspaceId],
    });
    // Too few of the workspace's, and more rows past those read: rank the whole match joined.
    if (own.rows.length < limit && ranked.rows.length === read) {
      const all = await client.execute({
        sql: `SELECT a.rowid, a.id, a.title, a.external_url, ${bm25} AS rank
              FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
              WHERE kb_fts MATCH ? AND a.workspace_id = ? AND a.state = 'published'
              ORDER BY rank LIMIT ?`,
        args: [match, workspaceId, limit],
      });
      return all.rows.map((r) => ({ ...(r as unknown as Candidate), rowid: Number(r.rowid) }));
    }
    return (own.rows as unknown as Candidate[])
      .map((r) => ({ ...r, rowid: Number(r.rowid), rank: rankOf.get(Number(r.rowid))! }))
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit);
  }

  /** Snippets with the match's terms marked, and bodies, of the few articles shown. */
  async function details(match: string, rowids: number[]) {
    const r = await client.execute({
      sql: `SELECT kb_fts.rowid, snippet(kb_fts, 1, char(2), char(3), '…', 18) AS snip, a.body
            FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
            WHERE kb_fts MATCH ? AND kb_fts.rowid IN (SELECT value FROM json_each(?))`,
      args: [match, JSON.stringify(rowids)],
    });
    return new Map(
      r.rows.map((x) => [Number(x.rowid), { snip: String(x.snip), body: String(x.body) }]),
    );
  }

  return {
    /**
     * Reads every common term's article count from the index's vocabulary in one pass (about a
     * second at 100,000 articles), so a server's first suggestions need not count them one by
     * one, and which terms the index holds at all (a Bloom filter), so the words a search only
     * tries (compounds, weak words) are counted only when some article may hold them. Run at
     * start, after an upload, and (at most once a minute) when a search finds the articles
     * changed; until then the filter is not trusted. The counts only steer which terms are
     * matched, so between runs they may age without harm. Returns how many common terms it read.
     */
    warm,

    /**
     * The articles most likely to answer a ticket: its subject and latest customer message
     * (greetings, signatures and quoted replies dropped) as stemmed topic terms, words written
     * apart or together as the index writes them, and the rest as weak words that count half;
     * BM25 with the title weighted above the body, lifted by links agents made from tickets with
     * similar subjects. Only published articles of the workspace.
     */
    async suggest(
      workspaceId: string,
      input: { subject: string; message: string },
      limit = 5,
    ): Promise<{ terms: string[]; suggestions: Suggestion[] }> {
      await follow();
      const q = ticketQuery(input.subject, input.message);
      const terms = q.terms;
      const query = await matchOf(q, limit);
      if (!query) return { terms, suggestions: [] };
      const candidates = await rank(
        workspaceId,
        query.match,
        FIELD_WEIGHTS,
        Math.max(30, limit * 4),
      );
      if (candidates.length === 0) return { terms, suggestions: [] };
      const stems = new Set(terms.map(stem));
      // Links from tickets whose subjects share terms with this one.
      const links = await client.execute({
        sql: `SELECT l.article_id, t.subject FROM kb_links l JOIN tickets t ON t.id = l.ticket_id
              WHERE l.workspace_id = ? AND l.article_id IN (SELECT value FROM json_each(?))`,
        args: [workspaceId, JSON.stringify(candidates.map((c) => c.id))],
      });
      const similar = new Map<string, { n: number; overlap: number }>();
      for (const l of links.rows as unknown as { article_id: string; subject: string }[]) {
        const s = new Set(words(l.subject).map(stem));
        const shared = [...s].filter((x) => stems.has(x)).length;
        const overlap = shared / Math.max(1, Math.min(s.size, stems.size));
        if (overlap < 0.34) continue;
        const cur = similar.get(l.article_id) ?? { n: 0, overlap: 0 };
        similar.set(l.article_id, { n: cur.n + 1, overlap: cur.overlap + overlap });
      }
      const scored = candidates.map((c) => {
        const link = similar.get(c.id);
        const base = -c.rank;
        const score = base * (1 + LINK_BOOST * Math.min(1, link?.overlap ?? 0));
        return { c, score, links: link?.n ?? 0 };
      });
      scored.sort((a, b) => b.score - a.score);
      const top = scored.slice(0, limit);
      const more = await details(
        query.highlight,
        top.map((x) => x.c.rowid),
      );
      const found = [...terms, ...q.compounds];
      const weightOf = (t: string) => termWeight(query.termDf.get(t) ?? 0, baseSize);
      const total = terms.reduce((n, t) => n + weightOf(t), 0);
      const suggestions = top.map(({ c, score, links: n }) => {
        const { snip = '', body = '' } = more.get(c.rowid) ?? {};
        const inTitle = new Set(words(c.title).map(stem));
        const inBody = new Set(words(body).map(stem));
        const held = terms.filter((t) => inTitle.has(stem(t)) || inBody.has(stem(t)));
        const confidence = total ? held.reduce((n, t) => n + weightOf(t), 0) / total : 0;
        return {
          id: c.id,
          title: c.title,
          externalUrl: c.external_url,
          snippet: snippetParts(snip),
          score: Number(score.toPrecision(6)),
          confidence: Number(confidence.toFixed(3)),
          why: {
            titleTerms: found.filter((t) => inTitle.has(stem(t))),
            bodyTerms: found.filter((t) => inBody.has(stem(t))),
            similarTicketLinks: n,
          },
        };
      });
      return { terms, suggestions };
    },

    /** What an agent types in the panel's search box: the same ranking, without the message cleaning. */
    async search(workspaceId: string, q: string, limit = 10) {
      return (await this.suggest(workspaceId, { subject: q, message: '' }, limit)).suggestions;
    },
  };
}
export type Suggest = ReturnType<typeof createSuggest>;
