import { describe, expect, it } from 'vitest';
import { compare, dcg, mean, score, signFlipP, splitOf } from './relevance-metrics.js';

const rel = (pairs: [string, number][]) => new Map(pairs);

describe('relevance measures', () => {
  it('gives a perfect ranking 1 on every measure', () => {
    expect(
      score(
        ['a', 'b', 'x'],
        rel([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    ).toEqual({
      recallAt5: 1,
      mrrAt10: 1,
      ndcgAt10: 1,
      ndcgExpAt10: 1,
    });
  });

  it('gives a ranking without a relevant article 0', () => {
    expect(score(['x', 'y'], rel([['a', 1]]))).toEqual({
      recallAt5: 0,
      mrrAt10: 0,
      ndcgAt10: 0,
      ndcgExpAt10: 0,
    });
  });

  it('counts recall@5 as the share of relevant articles in the first five, not past them', () => {
    const r = rel([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
    ]);
    expect(score(['a', 'x', 'b', 'y', 'z', 'c'], r).recallAt5).toBe(0.5);
  });

  it('takes MRR@10 from the first relevant article, and 0 when it is past rank 10', () => {
    expect(score(['x', 'y', 'a'], rel([['a', 1]])).mrrAt10).toBeCloseTo(1 / 3);
    const late = [...'bcdefghijk'].concat('a');
    expect(score(late, rel([['a', 1]])).mrrAt10).toBe(0);
  });

  it('computes nDCG with linear gain, and exponential gain separately', () => {
    // The answer (2) second, a relevant (1) first: DCG = 1 + 2/log2(3); ideal = 2 + 1/log2(3).
    const r = rel([
      ['a', 2],
      ['b', 1],
    ]);
    const linear = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3));
    const exp = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3));
    const s = score(['b', 'a'], r);
    expect(s.ndcgAt10).toBeCloseTo(linear, 12);
    expect(s.ndcgExpAt10).toBeCloseTo(exp, 12);
    expect(s.ndcgAt10).not.toBeCloseTo(s.ndcgExpAt10, 3);
  });

  it('discounts by log2 of rank + 1', () => {
    expect(dcg([1, 1, 1])).toBeCloseTo(1 + 1 / Math.log2(3) + 0.5, 12);
  });

  it('counts an article ranked twice once', () => {
    expect(
      score(
        ['a', 'a', 'a'],
        rel([
          ['a', 1],
          ['b', 1],
        ]),
      ).recallAt5,
    ).toBe(0.5);
  });

  it('averages per measure', () => {
    const m = mean([score(['a'], rel([['a', 1]])), score(['x'], rel([['a', 1]]))]);
    expect(m.recallAt5).toBe(0.5);
    expect(m.mrrAt10).toBe(0.5);
  });
});

describe('paired sign-flip test', () => {
  it('finds no difference between identical systems (p = 1)', () => {
    expect(signFlipP([0, 0, 0, 0])).toBe(1);
  });

  it('gives a small p when one system wins on every query, and a large one on a coin toss', () => {
    expect(signFlipP(Array(30).fill(0.5), 2000)).toBeLessThan(0.001);
    const mixed = Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.3 : -0.3));
    expect(signFlipP([...mixed, 0.3], 2000)).toBeGreaterThan(0.5);
  });

  it('matches the exact p of a tiny case: three wins of equal size', () => {
    // 8 equally likely sign patterns; |sum| = 3 in 2 of them: p = 0.25 exactly, about 0.25 sampled.
    expect(signFlipP([1, 1, 1], 20_000)).toBeCloseTo(0.25, 1);
  });

  it('is the same every run (seeded)', () => {
    const d = [0.2, -0.1, 0.3, 0, 0.1, -0.2, 0.4];
    expect(signFlipP(d, 3000)).toBe(signFlipP(d, 3000));
  });

  it('compares two systems measure by measure', () => {
    const a = [score(['a'], rel([['a', 1]])), score(['a'], rel([['a', 1]]))];
    const b = [score(['x', 'a'], rel([['a', 1]])), score(['a'], rel([['a', 1]]))];
    const c = compare(a, b, 500);
    expect(c.mrrAt10.diff).toBeCloseTo(0.25);
    expect(c.recallAt5.diff).toBe(0);
    expect(c.recallAt5.p).toBe(1);
  });
});

describe('dev / held-out split', () => {
  it('is a fixed rule of the query id that puts about half in each', () => {
    expect(splitOf('q001')).toBe(splitOf('q001'));
    const ids = Array.from({ length: 1000 }, (_, i) => `q${i}`);
    const dev = ids.filter((id) => splitOf(id) === 'dev').length;
    expect(dev).toBeGreaterThan(450);
    expect(dev).toBeLessThan(550);
  });
});
