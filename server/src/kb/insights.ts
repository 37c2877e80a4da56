import type { Client } from '@libsql/client';
import { DONE_CATEGORIES, type StatusCategory } from '@deskwatch/shared';
import { stem } from './query.js';

// What managers learn from the knowledge base's use: whether articles help (effectiveness) and
// which questions have no article yet (gaps). Every query is scoped to one workspace.

const DAY = 86_400_000;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Solved or closed: the categories that end a ticket's resolution. */
const done = (category: string) => DONE_CATEGORIES.includes(category as StatusCategory);

const rate = (n: number, of: number) => (of > 0 ? n / of : null);

export interface GapTicket {
  ticketId: string;
  subject: string;
  url: string;
  /** The subject's terms, as kept for the gap report. */
  terms: string[];
  reason: 'no_article' | 'weak_match' | 'not_relevant';
  bestCoverage: number | null;
  at: number;
}

export interface GapCluster {
  /** The cluster's most distinctive words, most distinctive first. */
  label: string[];
  tickets: number;
  reasons: Record<GapTicket['reason'], number>;
  /** The most recent tickets of the cluster. */
  examples: Pick<GapTicket, 'ticketId' | 'subject' | 'url' | 'reason' | 'at'>[];
  lastAt: number;
}

/**
 * Groups gap tickets by what they are about. Terms are stemmed and weighted by how rare they
 * are among all recent tickets (idf), so two tickets sharing "printer toner" group together and
 * two sharing only "not working" do not. A ticket joins the cluster whose core terms (those in
 * at least half its tickets) carry at least half the weight of the smaller side, or whose two
 * defining terms (the strongest in two of its tickets or more) it holds; else it starts its own.
 * Labels are the core terms with the highest count times idf.
 */
export function clusterGaps(
  items: GapTicket[],
  df: Map<string, number>,
  total: number,
  maxExamples = 3,
): GapCluster[] {
  const idfs = new Map<string, number>();
  const idf = (s: string) => {
    let v = idfs.get(s);
    if (v === undefined) idfs.set(s, (v = Math.log(1 + Math.max(total, 1) / (df.get(s) ?? 1))));
    return v;
  };
  const weight = (xs: Iterable<string>) => [...xs].reduce((sum, s) => sum + idf(s), 0);
  interface Work {
    counts: Map<string, number>;
    words: Map<string, string>;
    items: GapTicket[];
    /** Terms in at least half its tickets, and their weight: kept up to date as tickets join. */
    core: Set<string>;
    coreWeight: number;
    /** Its two strongest terms (count times idf) among those in two tickets or more. */
    strongest: string[];
  }
  const clusters: Work[] = [];
  // Clusters by core term: a ticket is compared only with clusters it shares a core term with.
  const byTerm = new Map<string, Set<Work>>();
  const setCore = (c: Work) => {
    for (const s of c.core) byTerm.get(s)!.delete(c);
    c.core = new Set([...c.counts].filter(([, n]) => n * 2 >= c.items.length).map(([s]) => s));
    c.coreWeight = weight(c.core);
    c.strongest = [...c.counts]
      .filter(([, n]) => n >= 2)
      .sort(([a, n], [b, m]) => m * idf(b) - n * idf(a))
      .slice(0, 2)
      .map(([s]) => s);
    for (const s of c.core) {
      if (!byTerm.has(s)) byTerm.set(s, new Set());
      byTerm.get(s)!.add(c);
    }
  };
  const stemsOf = (item: GapTicket) => new Map(item.terms.map((w) => [stem(w), w]));
  /** The cluster a ticket joins, among those it shares a core term with (and `ok` allows). */
  const bestFor = (stems: Map<string, string>, ok: (c: Work) => boolean) => {
    const own = weight(stems.keys());
    let best: { c: Work; sim: number } | null = null;
    for (const c of new Set([...stems.keys()].flatMap((s) => [...(byTerm.get(s) ?? [])]))) {
      if (!ok(c)) continue;
      const shared = [...stems.keys()].filter((s) => c.core.has(s));
      const sim = weight(shared) / Math.min(own, c.coreWeight);
      // A ticket holding the words that define a recurring topic (the two strongest terms
      // shared by several of its tickets) joins it, whatever else it says.
      const defining = c.strongest.length === 2 && c.strongest.every((s) => stems.has(s));
      if ((sim >= 0.5 || defining) && (!best || sim > best.sim)) best = { c, sim };
    }
    return best?.c ?? null;
  };
  const add = (c: Work, item: GapTicket, stems: Map<string, string>) => {
    c.items.push(item);
    for (const [s, w] of stems) {
      c.counts.set(s, (c.counts.get(s) ?? 0) + 1);
      if (!c.words.has(s)) c.words.set(s, w);
    }
    setCore(c);
  };
  for (const item of [...items].sort((a, b) => b.at - a.at)) {
    const stems = stemsOf(item);
    if (stems.size === 0) continue;
    let c = bestFor(stems, () => true);
    if (!c) {
      c = {
        counts: new Map(),
        words: new Map(),
        items: [],
        core: new Set(),
        coreWeight: 0,
        strongest: [],
      };
      clusters.push(c);
    }
    add(c, item, stems);
  }
  // One pass depends on order: a ticket seen before its topic recurred stands alone. Such
  // tickets get a second chance to join the topics as they ended up.
  for (const lone of clusters.filter((c) => c.items.length === 1)) {
    const item = lone.items[0]!;
    const stems = stemsOf(item);
    const c = bestFor(stems, (c) => c !== lone && c.items.length >= 2);
    if (!c) continue;
    for (const s of lone.core) byTerm.get(s)!.delete(lone);
    clusters.splice(clusters.indexOf(lone), 1);
    add(c, item, stems);
    c.items.sort((a, b) => b.at - a.at);
  }
  return clusters
    .map((c) => {
      const reasons = { no_article: 0, weak_match: 0, not_relevant: 0 };
      for (const i of c.items) reasons[i.reason]++;
      return {
        label: [...c.core]
          .sort((a, b) => c.counts.get(b)! * idf(b) - c.counts.get(a)! * idf(a))
          .slice(0, 3)
          .map((s) => c.words.get(s)!),
        tickets: c.items.length,
        reasons,
        examples: c.items.slice(0, maxExamples).map(({ ticketId, subject, url, reason, at }) => ({
          ticketId,
          subject,
          url,
          reason,
          at,
        })),
        lastAt: c.items[0]!.at,
      };
    })
    .sort((a, b) => b.tickets - a.tickets || b.lastAt - a.lastAt);
}

export function createInsights(client: Client, now: () => number) {
  const rows = async <T>(sql: string, args: (string | number)[]) =>
    (await client.execute({ sql, args })).rows as unknown as T[];

  async function period(workspaceId: string, from: number, to: number) {
    const kinds = await rows<{ kind: string; n: number; tickets: number }>(
      `SELECT kind, count(*) AS n, count(DISTINCT ticket_id) AS tickets FROM kb_events
       WHERE workspace_id = ? AND at >= ? AND at < ? GROUP BY kind`,
      [workspaceId, from, to],
    );
    const k = (kind: string) => kinds.find((r) => r.kind === kind) ?? { n: 0, tickets: 0 };
    // Each resolved ticket's status history: when it was first solved, and whether it reopened.
    const history = await rows<{ ticket_id: string; created_at: number; at: number; cat: string }>(
      `SELECT e.ticket_id, t.created_at, e.at, json_extract(e.data, '$.category') AS cat
       FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
       WHERE e.workspace_id = ? AND t.workspace_id = ? AND e.type = 'status'
         AND e.ticket_id IN (
           SELECT ticket_id FROM ticket_events WHERE workspace_id = ? AND type = 'status'
             AND at >= ? AND at < ?
             AND json_extract(data, '$.category') IN (SELECT value FROM json_each(?)))
       ORDER BY e.ticket_id, e.at`,
      [workspaceId, workspaceId, workspaceId, from, to, JSON.stringify(DONE_CATEGORIES)],
    );
    const resolved = new Map<string, { ms: number; reopened: boolean }>();
    for (const h of history) {
      const cur = resolved.get(h.ticket_id);
      if (!cur && done(h.cat) && h.at >= from && h.at < to)
        resolved.set(h.ticket_id, { ms: Math.max(0, h.at - h.created_at), reopened: false });
      else if (cur && !done(h.cat)) cur.reopened = true;
    }
    // Solved before the period and again inside it: not resolved in this period.
    for (const h of history) if (done(h.cat) && h.at < from) resolved.delete(h.ticket_id);
    const linked = new Set(
      (
        await rows<{ ticket_id: string }>(
          `SELECT DISTINCT ticket_id FROM kb_links
           WHERE workspace_id = ? AND ticket_id IN (SELECT value FROM json_each(?))`,
          [workspaceId, JSON.stringify([...resolved.keys()])],
        )
      ).map((r) => r.ticket_id),
    );
    const withArticle = [...resolved].filter(([id]) => linked.has(id)).map(([, r]) => r);
    const without = [...resolved].filter(([id]) => !linked.has(id)).map(([, r]) => r);
    const helpful = k('helpful').n;
    const notRelevant = k('not_relevant').n;
    return {
      counts: {
        shown: k('shown').n,
        ticketsShown: k('shown').tickets,
        opened: k('opened').n,
        copied: k('copied').n,
        inserted: k('inserted').n,
        linked: k('linked').n,
        ticketsLinked: k('linked').tickets,
        helpful,
        notRelevant,
        flagged: k('flagged_outdated').n,
      },
      /** Tickets shown suggestions that an agent linked an article to. */
      linkRate: rate(Math.min(k('linked').tickets, k('shown').tickets), k('shown').tickets),
      helpfulRate: rate(helpful, helpful + notRelevant),
      resolved: {
        withArticle: withArticle.length,
        without: without.length,
        medianMsWithArticle: median(withArticle.map((r) => r.ms)),
        medianMsWithout: median(without.map((r) => r.ms)),
        /** Tickets resolved with a linked article that were reopened after. */
        reopenRateWithArticle: rate(
          withArticle.filter((r) => r.reopened).length,
          withArticle.length,
        ),
        reopenRateWithout: rate(without.filter((r) => r.reopened).length, without.length),
      },
    };
  }

  return {
    /** KB effectiveness over the last `days`, with the period before it for the trend. */
    async effectiveness(workspaceId: string, days: number) {
      // Up to and including this instant.
      const to = now() + 1;
      const from = to - days * DAY;
      const [current, previous] = await Promise.all([
        period(workspaceId, from, to),
        period(workspaceId, from - days * DAY, from),
      ]);
      const perArticle = await rows<{
        id: string;
        title: string;
        state: string;
        shown: number;
        opened: number;
        inserted: number;
        linked: number;
        helpful: number;
        not_relevant: number;
      }>(
        `SELECT a.id, a.title, a.state,
                sum(e.kind = 'shown') AS shown, sum(e.kind = 'opened') AS opened,
                sum(e.kind = 'inserted') AS inserted, sum(e.kind = 'linked') AS linked,
                sum(e.kind = 'helpful') AS helpful, sum(e.kind = 'not_relevant') AS not_relevant
         FROM kb_events e JOIN kb_articles a ON a.id = e.article_id
         WHERE e.workspace_id = ? AND a.workspace_id = ? AND e.at >= ? AND e.at < ?
         GROUP BY a.id`,
        [workspaceId, workspaceId, from, to],
      );
      const article = (r: (typeof perArticle)[number]) => ({
        id: r.id,
        title: r.title,
        state: r.state,
        shown: Number(r.shown),
        opened: Number(r.opened),
        inserted: Number(r.inserted),
        linked: Number(r.linked),
        helpful: Number(r.helpful),
        notRelevant: Number(r.not_relevant),
      });
      const all = perArticle.map(article);
      const used = (a: (typeof all)[number]) => a.linked + a.helpful + a.inserted;
      return {
        days,
        from,
        to,
        current,
        previous,
        /** Articles that answered tickets: linked, inserted into replies or rated helpful. */
        topArticles: all
          .filter((a) => used(a) > 0)
          .sort((a, b) => used(b) - used(a) || b.linked - a.linked)
          .slice(0, 10),
        mostNotRelevant: all
          .filter((a) => a.notRelevant > 0)
          .sort((a, b) => b.notRelevant - a.notRelevant || b.shown - a.shown)
          .slice(0, 10),
      };
    },

    /**
     * Recent tickets the knowledge base did not answer, grouped by topic: no article matched,
     * the best matched under `minCoverage` of the subject's terms, or an agent rated a
     * suggestion not relevant; tickets an agent linked an article to or rated one helpful are
     * answered and left out.
     */
    async gaps(workspaceId: string, days: number, minCoverage: number) {
      const from = now() - days * DAY;
      const recent = await rows<{
        ticket_id: string;
        terms: string;
        best_article_id: string | null;
        best_coverage: number | null;
        at: number;
        subject: string;
        url: string;
        linked: number;
      }>(
        `SELECT q.ticket_id, q.terms, q.best_article_id, q.best_coverage, q.at, t.subject, t.url,
                EXISTS (SELECT 1 FROM kb_links l WHERE l.ticket_id = q.ticket_id
                        AND l.workspace_id = q.workspace_id) AS linked
         FROM kb_queries q JOIN tickets t ON t.id = q.ticket_id AND t.workspace_id = q.workspace_id
         WHERE q.workspace_id = ? AND q.at >= ?`,
        [workspaceId, from],
      );
      // Ratings since the window opened (on the workspace-kind-time index), by ticket.
      const rated = await rows<{ ticket_id: string; kind: string }>(
        `SELECT DISTINCT ticket_id, kind FROM kb_events
         WHERE workspace_id = ? AND kind IN ('helpful', 'not_relevant') AND at >= ?
           AND ticket_id IS NOT NULL`,
        [workspaceId, from],
      );
      const helpful = new Set(rated.filter((r) => r.kind === 'helpful').map((r) => r.ticket_id));
      const notRelevant = new Set(
        rated.filter((r) => r.kind === 'not_relevant').map((r) => r.ticket_id),
      );
      const df = new Map<string, number>();
      for (const r of recent)
        for (const s of new Set(r.terms.split(' ').filter(Boolean).map(stem)))
          df.set(s, (df.get(s) ?? 0) + 1);
      const items: GapTicket[] = [];
      for (const r of recent) {
        if (Number(r.linked) || helpful.has(r.ticket_id)) continue;
        const reason: GapTicket['reason'] | null = !r.best_article_id
          ? 'no_article'
          : notRelevant.has(r.ticket_id)
            ? 'not_relevant'
            : r.best_coverage !== null && r.best_coverage < minCoverage
              ? 'weak_match'
              : null;
        if (!reason) continue;
        items.push({
          ticketId: r.ticket_id,
          subject: r.subject,
          url: r.url,
          terms: r.terms.split(' ').filter(Boolean),
          reason,
          bestCoverage: r.best_coverage,
          at: r.at,
        });
      }
      return {
        days,
        minCoverage,
        ticketsSearched: recent.length,
        gapTickets: items.length,
        clusters: clusterGaps(items, df, recent.length).slice(0, 20),
      };
    },
  };
}
export type Insights = ReturnType<typeof createInsights>;
