import { describe, expect, it } from 'vitest';
import { createSettle } from './settle';

function harness() {
  let t = 0;
  const asked: number[] = [];
  const settle = createSettle({
    now: () => t,
    schedule: (d) => asked.push(d),
    quietMs: 300,
    maxMs: 1500,
  });
  return { settle, asked, at: (ms: number) => (t = ms) };
}

describe('settling a page before showing timers', () => {
  it('waits until the read has been unchanged for the quiet period, asking to look again', () => {
    const h = harness();
    expect(h.settle.update('t1', 'a', false)).toBe(false);
    expect(h.asked).toEqual([300]);
    h.at(200);
    expect(h.settle.update('t1', 'b', false)).toBe(false); // the history list arrived
    expect(h.asked.at(-1)).toBe(300);
    h.at(500);
    expect(h.settle.update('t1', 'b', false)).toBe(true);
    h.at(600);
    expect(h.settle.update('t1', 'c', false)).toBe(true); // settled once: later changes show at once
  });

  it('waits for a section the adapter knows up to the bound, then shows what there is', () => {
    const h = harness();
    expect(h.settle.update('t1', 'a', true)).toBe(false);
    expect(h.asked).toEqual([1500]);
    h.at(1000);
    expect(h.settle.update('t1', 'a', true)).toBe(false);
    h.at(1500);
    expect(h.settle.update('t1', 'a', true)).toBe(true);
  });

  it('starts again for another ticket', () => {
    const h = harness();
    h.settle.update('t1', 'a', false);
    h.at(400);
    expect(h.settle.update('t1', 'a', false)).toBe(true);
    expect(h.settle.update('t2', 'x', false)).toBe(false);
  });
});
