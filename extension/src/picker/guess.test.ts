import { describe, expect, it } from 'vitest';
import { adapterSpec, exampleMismatches } from '@deskwatch/shared';
import { guessAdapterId, guessPriority, guessStatus, guessUrlPattern } from './guess';

describe('picker guesses', () => {
  it('turn the id-like part of a ticket URL into :id, and the pattern matches the page', () => {
    const cases: [string, string][] = [
      ['https://help.acme.com/cases/77?tab=notes', 'https://help.acme.com/cases/:id'],
      ['https://desk.example.org/t/REQ-2041/view', 'https://desk.example.org/t/:id/view'],
      ['http://127.0.0.1:9000/requests/555', 'http://127.0.0.1:9000/requests/:id'],
      ['https://itsm.example.com/ticket.php?id=12', 'https://itsm.example.com/ticket.php?id=:id'],
    ];
    for (const [url, pattern] of cases) {
      expect(guessUrlPattern(url)).toBe(pattern);
      expect(
        exampleMismatches({ urlPattern: pattern, examples: { ticket: [url], notTicket: [] } }),
      ).toEqual([]);
    }
  });

  it('name the adapter after the host, as a valid id', () => {
    expect(guessAdapterId('https://Help.Acme.com/cases/1')).toBe('help-acme-com');
    expect(adapterSpec.shape.id.safeParse(guessAdapterId('http://127.0.0.1:9000/x')).success).toBe(
      true,
    );
  });

  it('map plain status and priority words, and leave the rest to the user', () => {
    expect(guessStatus('Waiting on customer')).toBe('pending_customer');
    expect(guessStatus('In Progress')).toBe('open');
    expect(guessStatus('On hold')).toBe('on_hold');
    expect(guessStatus('Resolved')).toBe('solved');
    expect(guessStatus('Frobnicated')).toBeNull();
    expect(guessPriority('P1 - Critical')).toBe('urgent');
    expect(guessPriority('Medium')).toBe('normal');
    expect(guessPriority('Whenever')).toBeNull();
  });
});
