// The measures of the relevance evaluation (bench/kb-eval): per-query scores of a ranking against
// graded judgements, their means, and a paired significance test between two systems. Pure
// functions, here beside the engine so that they are tested with it.

/** One query's figures for one ranking. */
export interface Metrics {
  recallAt5: number;
  mrrAt10: number;
  /** nDCG@10 with linear gain (a judgement of 2 gains twice a judgement of 1). */
  ndcgAt10: number;
  /** nDCG@10 with exponential gain (2^rel - 1: a judgement of 2 gains three times a 1). */
  ndcgExpAt10: number;
}

export const MEASURES = ['recallAt5', 'mrrAt10', 'ndcgAt10', 'ndcgExpAt10'] as const;
export const MEASURE_LABELS: Record<keyof Metrics, string> = {
  recallAt5: 'recall@5',
  mrrAt10: 'MRR@10',
  ndcgAt10: 'nDCG@10',
  ndcgExpAt10: 'nDCG@10 exp',
};

/** Discounted cumulative gain of gains in rank order (log2 discount, rank 1 undiscounted). */
export function dcg(gains: number[]): number {
  return gains.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
}

/** nDCG@k of a ranking: its DCG over the ideal ordering's, for a gain function of the judgement. */
export function ndcg(
  ranked: string[],
  rel: ReadonlyMap<string, number>,
  k: number,
  gain: (r: number) => number,
): number {
  const ideal = dcg(
    [...rel.values()]
      .filter((r) => r > 0)
      .sort((a, b) => b - a)
      .slice(0, k)
      .map(gain),
  );
  if (!ideal) return 0;
  return dcg(ranked.slice(0, k).map((id) => gain(Math.max(0, rel.get(id) ?? 0)))) / ideal;
}

const linear = (r: number) => r;
const exponential = (r: number) => 2 ** r - 1;

/**
 * The measures for one ranking against graded judgements (relevance by article id; 0 or absent
 * is not relevant). Recall@5 is the share of the query's relevant articles in the first five; a
 * ranking that repeats an id counts it once.
 */
export function score(ranked: string[], rel: ReadonlyMap<string, number>): Metrics {
  const isRel = (id: string) => (rel.get(id) ?? 0) > 0;
  const relevant = [...rel.values()].filter((r) => r > 0).length;
  const unique = [...new Set(ranked)];
  const top5 = unique.slice(0, 5).filter(isRel).length;
  const first = unique.slice(0, 10).findIndex(isRel);
  return {
    recallAt5: relevant ? top5 / relevant : 0,
    mrrAt10: first >= 0 ? 1 / (first + 1) : 0,
    ndcgAt10: ndcg(unique, rel, 10, linear),
    ndcgExpAt10: ndcg(unique, rel, 10, exponential),
  };
}

export function mean(xs: Metrics[]): Metrics {
  const m = (k: keyof Metrics) => (xs.length ? xs.reduce((s, x) => s + x[k], 0) / xs.length : 0);
  return {
    recallAt5: m('recallAt5'),
    mrrAt10: m('mrrAt10'),
    ndcgAt10: m('ndcgAt10'),
    ndcgExpAt10: m('ndcgExpAt10'),
  };
}

/** A small seeded generator (mulberry32), so a significance test gives the same p every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two-sided paired sign-flip randomisation test: the chance, were the two systems exchangeable
 * on every query, of a mean difference at least as far from zero as the one observed. Each
 * round flips the sign of every query's difference at random; p counts the observed arrangement
 * itself (so it is never 0). `diffs` are per-query differences (a - b).
 */
export function signFlipP(diffs: number[], rounds = 10_000, seed = 21): number {
  const n = diffs.length;
  if (!n) return 1;
  const observed = Math.abs(diffs.reduce((s, d) => s + d, 0));
  if (observed < 1e-12) return 1;
  const rand = seeded(seed);
  let atLeast = 0;
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rand() < 0.5 ? diffs[i]! : -diffs[i]!;
    if (Math.abs(sum) >= observed - 1e-12) atLeast++;
  }
  return (atLeast + 1) / (rounds + 1);
}

/** Per-measure mean difference (a - b) and its sign-flip p-value, for paired per-query figures. */
export function compare(a: Metrics[], b: Metrics[], rounds = 10_000) {
  if (a.length !== b.length) throw new Error('paired figures of different lengths');
  return Object.fromEntries(
    MEASURES.map((k) => {
      const diffs = a.map((x, i) => x[k] - b[i]![k]);
      return [
        k,
        {
          diff: diffs.reduce((s, d) => s + d, 0) / (diffs.length || 1),
          p: signFlipP(diffs, rounds),
        },
      ];
    }),
  ) as Record<keyof Metrics, { diff: number; p: number }>;
}

/**
 * Whether a query belongs to the development half or the held-out half of its set: a fixed
 * rule of its id (FNV-1a 32-bit hash, even is development), decided before any tuning and the
 * same on every machine, so neither half can be chosen after seeing results.
 */
export function splitOf(queryId: string): 'dev' | 'heldout' {
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(queryId)) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2 === 0 ? 'dev' : 'heldout';
}
