import { describe, expect, it } from 'vitest';
import { adapterSpec, exampleMismatches } from '@deskwatch/shared';
import {
  encodesValue,
  guessAdapterId,
  guessPriority,
  guessStatus,
  guessSubjectPrefix,
  guessToolName,
  guessUrlPattern,
} from './guess';

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

describe('picker naming and cleanup', () => {
  it('names the tool after the site, never after the ticket title', () => {
    expect(
      guessToolName({ siteName: 'Kestrel Tracker', appName: 'KT', hostname: 'kt.example.com' }),
    ).toBe('Kestrel Tracker');
    expect(guessToolName({ siteName: ' ', appName: 'Lindwurm', hostname: 'lw.example' })).toBe(
      'Lindwurm',
    );
    expect(guessToolName({ siteName: null, appName: null, hostname: 'www.help.acme.com' })).toBe(
      'help.acme.com',
    );
  });

  it('offers a subject cleanup pattern for a ticket-number prefix, and none for words', () => {
    for (const [subject, prefix] of [
      ['#101: Printer on fire', '#101: '],
      ['[#7] VPN drops', '[#7] '],
      ['HD-42 - Laptop', 'HD-42 - '],
      ['Ticket 9: Refund', 'Ticket 9: '],
    ] as const) {
      const g = guessSubjectPrefix(subject)!;
      expect(g.prefix).toBe(prefix);
      expect(subject.replace(new RegExp(g.pattern), '')).not.toMatch(/\d/);
      expect(adapterSpec.shape.subjectPrefix.safeParse(g.pattern).success).toBe(true);
    }
    expect(guessSubjectPrefix('Printer on fire since #3')).toBeNull();
  });

  it('treats class names and attributes that carry the value or an id as encoding it', () => {
    expect(encodesValue('ticket-info-priority-high', 'High', '7')).toBe(true);
    expect(encodesValue('status-waiting-for-customer', 'Waiting for customer', '7')).toBe(true);
    expect(encodesValue('st_waitingforcustomer', 'Waiting for customer', '7')).toBe(true);
    expect(encodesValue('user-4711', 'Kim Lee', '7')).toBe(true);
    expect(encodesValue('req-7', 'Kim Lee', '7')).toBe(true);
    expect(encodesValue('ticket-priority', 'High', '7')).toBe(false);
    expect(encodesValue('requester', 'Kim Lee', '7')).toBe(false);
  });
});
