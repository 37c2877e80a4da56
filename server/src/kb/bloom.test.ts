import { describe, expect, it } from 'vitest';
import { Bloom } from './bloom.js';

describe('Bloom', () => {
  it('never misses a word added, and rarely claims one that was not', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
    const bloom = new Bloom(words.length);
    for (const w of words) bloom.add(w);
    expect(words.every((w) => bloom.has(w))).toBe(true);
    const others = Array.from({ length: 20_000 }, (_, i) => `other${i}`);
    const false_ = others.filter((w) => bloom.has(w)).length / others.length;
    expect(false_).toBeLessThan(0.03);
    expect(new Bloom(10).has('anything')).toBe(false);
  });
});
