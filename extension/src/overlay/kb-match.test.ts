import { describe, expect, it } from 'vitest';
import { kbNotice } from './kb-match';

describe('kbNotice', () => {
  it('says "no good match" instead of listing weak suggestions for a ticket', () => {
    const n = kbNotice([{ confidence: 0.1 }, { confidence: 0.05 }], null);
    expect(n.kind).toBe('no-good-match');
    expect(n.text).toMatch(/^No good match/);
    expect(n.text).toMatch(/start an article/);
  });

  it('lists confident suggestions, and whatever the agent searched for', () => {
    expect(kbNotice([{ confidence: 0.8 }], null)).toEqual({ kind: 'list', text: null });
    expect(kbNotice([{ confidence: 0.1 }], 'parking')).toEqual({ kind: 'list', text: null });
  });

  it('tells nothing found from not loaded yet', () => {
    expect(kbNotice([], null).text).toBe('No article matches this ticket yet.');
    expect(kbNotice([], 'zeppelin').text).toBe('No article matches “zeppelin”.');
    expect(kbNotice(null, null).kind).toBe('loading');
  });
});
