import type { Client } from '@libsql/client';
import { ftsQuery, stem, ticketTerms, words } from './query.js';

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
  /** Why it matched: the terms found in the title and body, and links from similar tickets. */
  why: { titleTerms: string[]; bodyTerms: string[]; similarTicketLinks: number };
}

const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';

/** Title over body over tags, for BM25. */
export const FIELD_WEIGHTS = [2, 1, 1] as const;
/** How much links from similar tickets can lift an article (a share of its score). */
const LINK_BOOST = 0.5;

/** Markdown's emphasis, code and heading marks, which read as noise in a one-line snippet. */
const plain = (s: string) => s.replace(/\*\*|__|`|^#+\s*/gm, '').replace(/\s+/g, ' ');

export function snippetParts(raw: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const chunk of plain(raw).split(MARK_OPEN)) {
    const [marked, rest] = chunk.includes(MARK_CLOSE) ? chunk.split(MARK_CLOSE) : [null, chunk];
    if (marked) parts.push({ text: marked, mark: true });
    if (rest) parts.push({ text: rest, mark: false });
  }
  return parts;
}

interface Row {
  id: string;
  title: string;
  external_url: string | null;
  body: string;
  rank: number;
  snip: string;
}

export function createSuggest(client: Client) {
  async function search(
    workspaceId: string,
    match: string,
    weights: readonly number[] | null,
    limit: number,
  ): Promise<Row[]> {
    const rank = weights ? `bm25(kb_fts, ${weights.join(', ')})` : 'bm25(kb_fts)';
    const r = await client.execute({
      sql: `SELECT a.id, a.title, a.external_url, a.body, ${rank} AS rank,
              snippet(kb_fts, 1, char(2), char(3), '…', 18) AS snip
            FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
            WHERE kb_fts MATCH ? AND a.workspace_id = ? AND a.state = 'published'
            ORDER BY rank LIMIT ?`,
      args: [match, workspaceId, limit],
    });
    return r.rows as unknown as Row[];
  }

  return {
    /**
     * The articles most likely to answer a ticket: its subject and latest customer message as
     * stemmed terms (greetings, signatures, quoted replies and stopwords dropped), BM25 with the
     * title weighted above the body, lifted by links agents made from tickets with similar
     * subjects. Only published articles of the workspace.
     */
    async suggest(
      workspaceId: string,
      input: { subject: string; message: string },
      limit = 5,
    ): Promise<{ terms: string[]; suggestions: Suggestion[] }> {
      const terms = ticketTerms(input.subject, input.message);
      const match = ftsQuery(terms);
      if (!match) return { terms, suggestions: [] };
      const candidates = await search(workspaceId, match, FIELD_WEIGHTS, Math.max(30, limit * 4));
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
      const suggestions = scored.slice(0, limit).map(({ c, score, links: n }) => {
        const inTitle = new Set(words(c.title).map(stem));
        const inBody = new Set(words(c.body).map(stem));
        return {
          id: c.id,
          title: c.title,
          externalUrl: c.external_url,
          snippet: snippetParts(c.snip),
          score: Number(score.toPrecision(6)),
          why: {
            titleTerms: terms.filter((t) => inTitle.has(stem(t))),
            bodyTerms: terms.filter((t) => inBody.has(stem(t))),
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

    /** The evaluation's baseline: plain FTS5 `bm25()` over the raw words of the query, nothing else. */
    async baseline(workspaceId: string, input: { subject: string; message: string }, limit = 10) {
      const raw = `${input.subject}\n${input.message}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      const match = ftsQuery([...new Set(raw)].slice(0, 64));
      if (!match) return [];
      return (await search(workspaceId, match, null, limit)).map((r) => r.id);
    },
  };
}
export type Suggest = ReturnType<typeof createSuggest>;
