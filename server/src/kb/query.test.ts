import { describe, expect, it } from 'vitest';
import {
  cleanMessage,
  ftsQuery,
  isNegation,
  isStopword,
  splits,
  ticketQuery,
  ticketTerms,
  words,
} from './query.js';

describe('ticket queries', () => {
  it('drop greetings, quoted replies and signatures from the customer message', () => {
    const msg = [
      'Hi team,',
      '',
      'Since this morning the invoice PDF will not download, it spins forever.',
      'Chrome on Windows.',
      '',
      'Thanks,',
      'Maria',
      'Head of Accounts | Northwind',
      '',
      'On Mon, 30 Nov 2026 at 09:00, Support <help@acme.test> wrote:',
      '> Your ticket about password resets was solved.',
    ].join('\n');
    expect(cleanMessage(msg)).toBe(
      'Since this morning the invoice PDF will not download, it spins forever.\nChrome on Windows.',
    );
    expect(cleanMessage('> quoted only')).toBe('');
    // A sentence that starts with a greeting is not a greeting line.
    expect(cleanMessage('Hi, my invoice shows the wrong VAT.')).toBe(
      'Hi, my invoice shows the wrong VAT.',
    );
    expect(cleanMessage('Hello\nPassword reset link expired\n--\nSent from my phone')).toBe(
      'Password reset link expired',
    );
    for (const signOff of ['Best,', 'All the best', 'Sincerely,', 'Yours truly,', 'BR'])
      expect(cleanMessage(`VPN drops every hour\n${signOff}\nPriya | Contoso | +1 555 0100`)).toBe(
        'VPN drops every hour',
      );
  });

  it('keep topic words, not stopwords, negations or small numbers, and error codes survive', () => {
    expect(words("Hi! I can't log in, error 403 on the SSO page (2 times)")).toEqual([
      'log',
      'error',
      '403',
      'sso',
      'page',
      'times',
    ]);
  });

  it('match stopwords by their stem: "problems" is dropped as "problem" is', () => {
    expect(words('problem questions issues helped')).toEqual([]);
    expect(isStopword('problems')).toBe(true);
    // No word is kept out for one query: "important" is a word like any other.
    expect(words('I deleted an important spreadsheet')).toEqual([
      'deleted',
      'important',
      'spreadsheet',
    ]);
  });

  it('make negations weak words, never topic terms', () => {
    for (const w of ['not', 'never', 'no', "can't", "doesn't", 'cannot'])
      expect(isNegation(w)).toBe(true);
    expect(isNegation('notebook')).toBe(false);
    const q = ticketQuery('Printer never prints', "It doesn't print, not even a test page");
    expect(q.terms).toEqual(['printer', 'prints', 'even', 'test', 'page']);
    expect(q.weak).toEqual(expect.arrayContaining(['never', 'doesn', 'not']));
  });

  it('search every content word of a long message, and count twice what it repeats', () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`,
    );
    const q = ticketQuery('Scanner offline', `${long.join(' ')}\nThe scanner is offline again.`);
    expect(q.terms).toHaveLength(42);
    expect(q.often).toEqual(['scanner', 'offline']);
  });

  it('search a hyphenated name as written (a phrase) and as its parts', () => {
    expect(ticketTerms('Wi-Fi drops on the x-ray cart', '')).toEqual([
      'wi-fi',
      'wi',
      'fi',
      'drops',
      'x-ray',
      'ray',
      'cart',
    ]);
  });

  it('keep the other words as weak words, and neighbouring words joined as compounds', () => {
    const q = ticketQuery('Where is my user name?', 'Hi,\nI need my e-mail log in.\nThanks,\nAna');
    expect(q.terms).toEqual(['user', 'name', 'e-mail', 'mail', 'log']);
    // Never from a stopword's first part ("myuser", "across" from "a cross").
    expect(q.compounds).toEqual(['username', 'email', 'maillog', 'login']);
    expect(ticketQuery('Sent a cross reference', '').compounds).not.toContain('across');
    expect(q.weak).toEqual(['where', 'is', 'my', 'i', 'need', 'e', 'in']);
    // Not across lines, nor numbers; greeting and signature unsearched.
    expect(ticketQuery('Printer', 'jammed\ntray 22b').compounds).toEqual([]);
  });

  it('split a word in two where the articles may write it apart', () => {
    expect(splits('email')).toEqual(['e mail', 'em ail', 'ema il']);
    // Never into stopwords ("an other").
    expect(splits('another')).not.toContain('an other');
    expect(splits('wifi')).toEqual([]);
    expect(splits('e-mail')).toEqual([]);
  });

  it('put subject terms first and each stem once', () => {
    expect(
      ticketTerms(
        'Refunds for duplicate charges',
        'I was charged twice, please refund the charge.',
      ),
    ).toEqual(['refunds', 'duplicate', 'charges', 'twice']);
  });

  it('quote every term so nothing a customer types is FTS syntax', () => {
    expect(ftsQuery(['sso', 'login"OR*', 'NEAR'])).toBe('"sso" OR "loginOR*" OR "NEAR"');
    expect(ftsQuery([])).toBeNull();
  });
});

describe('snippets', () => {
  it('split into marked and plain parts, without Markdown marks', async () => {
    const { snippetParts } = await import('./suggest.js');
    expect(
      snippetParts('…choose **Forgot \u0002password\u0003** and the \u0002reset\u0003 link'),
    ).toEqual([
      { text: '…choose Forgot ', mark: false },
      { text: 'password', mark: true },
      { text: ' and the ', mark: false },
      { text: 'reset', mark: true },
      { text: ' link', mark: false },
    ]);
  });

  it('read imported tables, code and escaped markup as text', async () => {
    const { snippetParts } = await import('./suggest.js');
    expect(
      snippetParts(
        '| Step | \u0002Light\u0003 |\n| ---- | ----- |\n| Reset | Amber |\n\n```\nvpn status\n```\nRemove the \\<script> tag and 1\\*2',
      ),
    ).toEqual([
      { text: ' Step ', mark: false },
      { text: 'Light', mark: true },
      { text: ' Reset Amber vpn status Remove the <script> tag and 1*2', mark: false },
    ]);
  });
});

describe('pruneTerms', () => {
  it('matches the rarest terms within the budget, in the ticket order, and drops absent ones', async () => {
    const { pruneTerms } = await import('./suggest.js');
    const terms = ['password', 'okta', 'reset', 'zzz', 'sso'];
    const df = [900, 12, 400, 0, 30];
    expect(pruneTerms(terms, df, 500)).toEqual(['okta', 'reset', 'sso']);
    expect(pruneTerms(terms, df, 10_000)).toEqual(['password', 'okta', 'reset', 'sso']);
    // The rarest is taken even over budget: a search never becomes empty by pruning.
    expect(pruneTerms(['account', 'login'], [5000, 7000], 100)).toEqual(['account']);
    expect(pruneTerms(['zzz'], [0], 100)).toEqual([]);
    // Weak words only fill what the budget leaves.
    expect(pruneTerms(['the', 'where'], [5000, 60], 100, false)).toEqual(['where']);
    expect(pruneTerms(['the'], [5000], 100, false)).toEqual([]);
  });
});

describe('matchBudget', () => {
  it('grows with the knowledge base, from the small-base floor to the cost ceiling', async () => {
    const { matchBudget, MATCH_BUDGET, MATCH_BUDGET_MAX, WEAK_BUDGET } =
      await import('./suggest.js');
    expect(matchBudget(0)).toEqual({ topic: MATCH_BUDGET, weak: WEAK_BUDGET });
    // A 2,400-article base may match a base's worth of documents, not the demo's 2,000.
    expect(matchBudget(2_400).topic).toBe(2_400);
    expect(matchBudget(2_400).weak).toBe(600);
    expect(matchBudget(1_000_000).topic).toBe(MATCH_BUDGET_MAX);
  });

  it('never drops a term rarer than one it keeps, whatever the budget', async () => {
    const { pruneTerms } = await import('./suggest.js');
    const terms = ['heard', 'printer', 'never', 'toner', 'jam'];
    const df = [3, 900, 40, 700, 150];
    for (const budget of [10, 100, 500, 1000, 2000, 5000]) {
      const kept = new Set(pruneTerms(terms, df, budget));
      const maxKept = Math.max(
        ...terms.filter((t) => kept.has(t)).map((t) => df[terms.indexOf(t)]!),
      );
      for (const [i, t] of terms.entries()) if (df[i]! < maxKept) expect(kept.has(t)).toBe(true);
    }
  });
});
