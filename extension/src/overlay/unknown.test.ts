import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { computeSlaState, calendar24x7, defaultPolicy, type TicketEvent } from '@deskwatch/shared';
import { Target } from './Overlay';
import { historyNote } from './unknown';

const created = Date.parse('2026-11-26T10:00:00Z'); // Thu
const firstSeen = Date.parse('2026-12-01T10:04:00Z'); // Tue, five days later, no history on the page
const seen = (category: 'closed' | 'pending_customer' | 'open'): TicketEvent[] => [
  { type: 'created', at: created },
  { type: 'priority', at: created, priority: 'high' },
  { type: 'status', at: firstSeen, category },
];
const state = (category: 'closed' | 'pending_customer' | 'open') =>
  computeSlaState(seen(category), defaultPolicy, calendar24x7, firstSeen + 60_000, {
    statusKnownFrom: firstSeen,
  });
const fmt = () => 'Tue 10:04';

describe('the overlay on a ticket whose status history is unknown', () => {
  it('says so, and that resolution counts from then, for a ticket first seen waiting', () => {
    expect(historyNote(state('pending_customer'), fmt)).toBe(
      'Status history unknown before Tue 10:04; resolution timer counts from then',
    );
  });

  it('shows a ticket first seen closed as unknown, not as days over', () => {
    const s = state('closed');
    expect(historyNote(s, fmt)).toBe(
      'Status history unknown before Tue 10:04; when it was resolved is unknown',
    );
    for (const t of s.targets) {
      const html = renderToStaticMarkup(createElement(Target, { t }));
      expect(html).toContain('data-unknown="true"');
      expect(html).toContain('>unknown<');
      expect(html).not.toMatch(/over|took/);
    }
  });

  it('says nothing when the whole history is known', () => {
    const s = computeSlaState(seen('closed'), defaultPolicy, calendar24x7, firstSeen);
    expect(historyNote(s, fmt)).toBeNull();
  });
});
