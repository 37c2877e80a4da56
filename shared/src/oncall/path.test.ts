import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escalationPathInput, nextStep, overrideInput } from './path.js';

describe('escalation paths', () => {
  it('pages each level in order, then repeats the path, then stops', () => {
    const steps: string[] = [];
    for (let at = nextStep(2, 1, { level: -1, round: 0 }); at; at = nextStep(2, 1, at))
      steps.push(`${at.round}:${at.level}`);
    expect(steps).toEqual(['0:0', '0:1', '1:0', '1:1']);
  });

  it('pages levels × (repeat + 1) times in all, whatever the path', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (n, r) => {
        let count = 0;
        for (let at = nextStep(n, r, { level: -1, round: 0 }); at; at = nextStep(n, r, at))
          count += 1;
        expect(count).toBe(n * (r + 1));
      }),
    );
  });

  it('refuses a level without targets and an override that ends before it starts', () => {
    expect(
      escalationPathInput.safeParse({ name: 'P', levels: [{ targets: [], timeoutMinutes: 5 }] })
        .success,
    ).toBe(false);
    expect(overrideInput.safeParse({ scheduleId: 's', start: 10, end: 5 }).success).toBe(false);
  });
});
