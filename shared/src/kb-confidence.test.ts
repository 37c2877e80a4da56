import { describe, expect, it } from 'vitest';
import { matchState, WEAK_CONFIDENCE } from './kb-confidence.js';

describe('matchState', () => {
  it('says no good match when the best article holds less than a fifth of the ticket', () => {
    expect(matchState([{ confidence: 0.1 }, { confidence: 0.05 }])).toBe('weak');
    expect(matchState([{ confidence: WEAK_CONFIDENCE }])).toBe('good');
    expect(matchState([{ confidence: 0.9 }])).toBe('good');
  });

  it('tells an empty list and one not loaded yet apart', () => {
    expect(matchState([])).toBe('none');
    expect(matchState(null)).toBe('loading');
  });
});
