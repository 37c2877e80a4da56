import { describe, expect, it } from 'vitest';
import { cleanMessage, ftsQuery, splits, stem, ticketQuery, ticketTerms, words } from './query.js';

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

  it('keep topic words, not stopwords or small numbers, and error codes survive', () => {
    // Negations stay: "can't log in" is not "log in".
    expect(words("Hi! I can't log in, error 403 on the SSO page (2 times)")).toEqual([
      "can't",
      'log',
      'error',
      '403',
      'sso',
      'page',
      'times',
    ]);
  });

  it('drop "important", which the index stems to "import" (Porter) and would match import articles', () => {
    expect(stem('important')).toBe(stem('import'));
    expect(words('I deleted an important spreadsheet')).toEqual(['deleted', 'spreadsheet']);
    expect(ticketQuery('Important: deleted a file', '').weak).toEqual(['a']);
  });

  it('keep the other words as weak words, and neighbouring words joined as compounds', () => {
    const q = ticketQuery('Where is my user name?', 'Hi,\nI need my e-mail log in.\nThanks,\nAna');
    expect(q.terms).toEqual(['user', 'name', 'e-mail', 'log']);
    expect(q.compounds).toEqual(['myuser', 'username', 'email', 'maillog', 'login']);
    expect(q.weak).toEqual(['where', 'is', 'my', 'i', 'need', 'e', 'mail', 'in']);
    // Not across lines, nor two stopwords ("whereis"), nor numbers; greeting and signature unsearched.
    expect(ticketQuery('Printer', 'jammed\ntray 22b').compounds).toEqual([]);
  });

  it('split a word in two where the articles may write it apart', () => {
    expect(splits('email')).toEqual(['e mail', 'em ail', 'ema il']);
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
