import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InStatement } from '@libsql/client';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { filesFromPath, itemsFromFiles } from './sources.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let dir: string;
beforeEach(async () => {
  env = await testEnv();
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-kb-'));
});
afterEach(() => {
  env.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, content: string) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const importPath = (path: string, workspace = env.a.id, source = 'test') =>
  env.services.kb.articles.import(workspace, source, itemsFromFiles(filesFromPath(path)));
const rows = async (sql: string, args: (string | number)[] = []) =>
  (await env.client.execute({ sql, args })).rows;
const count = async (sql: string, args: (string | number)[] = []) =>
  Number((await rows(sql, args))[0]![0]);

const RESET = `---
title: Reset your password
tags: [login, password]
language: en
url: https://help.acme.test/reset
author: Ana
---
Open **Sign in**, choose _Forgot password_ and follow the e-mailed link within 15 minutes.
`;

describe('imports', () => {
  it('reads a folder of Markdown with front matter, and a ZIP of the same, by path as the key', async () => {
    write('kb/account/reset.md', RESET);
    write('kb/account/two-factor.md', '# Turn on two-factor sign-in\n\nUse an authenticator app.');
    write('kb/.hidden.md', '# never');
    expect(await importPath(join(dir, 'kb'))).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      archived: 0,
      rejected: [],
      duplicates: [],
    });
    const [reset] = await rows(
      "SELECT title, tags, language, external_url, author, state, source_key FROM kb_articles WHERE source_key = 'account/reset.md'",
    );
    expect({ ...reset }).toMatchObject({
      title: 'Reset your password',
      tags: 'login password',
      language: 'en',
      external_url: 'https://help.acme.test/reset',
      author: 'Ana',
      state: 'published',
    });
    expect(
      await count("SELECT count(*) FROM kb_articles WHERE title = 'Turn on two-factor sign-in'"),
    ).toBe(1);

    const zip = write('kb.zip', '');
    writeFileSync(
      zip,
      zipSync({
        'kb/account/reset.md': strToU8(RESET),
        '__MACOSX/kb/._reset.md': strToU8('junk'),
        'kb/billing/refund.md': strToU8(
          '---\ntitle: Refund a duplicate charge\n---\nRefunds take 5 days.',
        ),
      }),
    );
    // The same reset article, from another source: reported, not created twice.
    expect(await importPath(zip, env.a.id, 'zip')).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      archived: 0,
      rejected: [],
      duplicates: [{ ref: 'kb/account/reset.md', of: 'test/account/reset.md' }],
    });
  });

  it('reads CSV, JSON (ours, a Zendesk Guide export, Freshdesk solutions) and HTML pages', async () => {
    write(
      'in/faq.csv',
      'id,title,body,tags\nfaq-1,"Change billing e-mail","Go to Billing, then ""Contacts"".","billing;email"\nfaq-2,,Body without a title,\n',
    );
    write(
      'in/ours.json',
      JSON.stringify([
        { id: 'j1', title: 'Export to CSV', body: 'Use Reports → Export.', tags: ['reports'] },
      ]),
    );
    write(
      'in/zendesk.json',
      JSON.stringify({
        articles: [
          {
            id: 360001,
            title: 'Set up SSO with Okta',
            body: '<p>In <b>Admin</b>, open <a href="/sso">SSO</a>.</p><ul><li>Add the app</li><li>Copy the URL</li></ul><script>alert(1)</script>',
            // Zendesk's API address of the article comes first: the link is its help-centre page.
            url: 'https://acme.zendesk.com/api/v2/help_center/en-us/articles/360001.json',
            html_url: 'https://acme.zendesk.com/hc/en-us/articles/360001',
            label_names: ['sso'],
            locale: 'en-us',
            draft: false,
          },
        ],
      }),
    );
    write(
      'in/freshdesk.json',
      JSON.stringify([
        {
          id: 77,
          title: 'VPN disconnects',
          description: '<p>Update the client.</p>',
          status: 2,
          tags: ['vpn'],
        },
        { id: 78, title: 'Draft: printers', description: '<p>TBD</p>', status: 1 },
      ]),
    );
    write(
      'in/page.html',
      '<!doctype html><html lang="en-GB"><head><title>Shipping times</title><link rel="canonical" href="https://help.acme.test/shipping"></head><body><nav>Menu</nav><main><h1>Shipping times</h1><p>Orders ship in <em>2 days</em>.</p><script>track()</script></main><footer>©</footer></body></html>',
    );
    const summary = await importPath(join(dir, 'in'));
    expect(summary).toMatchObject({ created: 6, updated: 0, unchanged: 0 });
    expect(summary.rejected).toEqual([
      { ref: 'faq.csv row 3', reason: 'title: an article needs a title' },
    ]);
    const got = Object.fromEntries(
      (
        await rows(
          'SELECT source_key, title, body, tags, state, language, external_url FROM kb_articles',
        )
      ).map((r) => [r.source_key as string, { ...r }]),
    );
    expect(got['faq-1']).toMatchObject({
      body: 'Go to Billing, then "Contacts".',
      tags: 'billing email',
    });
    expect(got['zendesk:360001']).toMatchObject({
      title: 'Set up SSO with Okta',
      body: 'In **Admin**, open [SSO](/sso).\n\n- Add the app\n- Copy the URL',
      language: 'en-us',
      external_url: 'https://acme.zendesk.com/hc/en-us/articles/360001',
    });
    expect(got['freshdesk:78']).toMatchObject({ state: 'draft' });
    expect(got['page.html']).toMatchObject({
      title: 'Shipping times',
      body: 'Orders ship in _2 days_.',
      language: 'en-gb',
      external_url: 'https://help.acme.test/shipping',
    });
  });

  it('updates by source key on re-import, keeps the old version, and leaves unchanged ones alone', async () => {
    write('kb/reset.md', RESET);
    write('kb/other.md', '# Other\n\nText.');
    await importPath(join(dir, 'kb'));
    write('kb/reset.md', RESET.replace('15 minutes', '30 minutes'));
    expect(await importPath(join(dir, 'kb'))).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
      archived: 0,
      rejected: [],
      duplicates: [],
    });
    const [a] = await rows(
      "SELECT id, version, body FROM kb_articles WHERE source_key = 'reset.md'",
    );
    expect(a!.version).toBe(2);
    expect(a!.body).toContain('30 minutes');
    const versions = await env.services.kb.articles.versions(env.a.id, a!.id as string);
    expect(versions!.map((v) => [v.version, v.body.includes('15 minutes')])).toEqual([[1, true]]);
    expect(await count('SELECT count(*) FROM kb_articles')).toBe(2);
  });

  it('reports malformed items with their reason and still lands the rest', async () => {
    write('bad/broken.json', '{"articles": [');
    write('bad/front.md', '---\n- just\n- a list\n---\nBody');
    write('bad/empty.md', '---\ntitle: Empty\n---\n');
    write('bad/notes.txt', 'plain text');
    write('bad/good.md', '# Good\n\nFine.');
    write(
      'bad/url.json',
      JSON.stringify([
        { id: 'u', title: 'Bad url', body: 'x', url: 'not a url' },
        { id: 'nb', title: 'No body' },
        { id: 'nt', body: 'No title' },
      ]),
    );
    const s = await importPath(join(dir, 'bad'));
    expect(s.created).toBe(1);
    expect(Object.fromEntries(s.rejected.map((r) => [r.ref, r.reason]))).toEqual({
      'broken.json': expect.stringMatching(/^not valid JSON/),
      'front.md': 'front matter is not a set of fields',
      'empty.md': 'body: an article needs a body',
      'notes.txt':
        'not a format Deskwatch imports (Markdown (.md), CSV, JSON, JSON Lines (.jsonl), HTML or a ZIP of them)',
      'url.json #1': expect.stringMatching(/^externalUrl: /),
      'url.json #2': 'body: an article needs a body',
      'url.json #3': 'title: an article needs a title',
    });
  });

  it('leaves no partial article when writing fails, and the index never drifts from the articles', async () => {
    await env.client.execute(
      "CREATE TRIGGER fail_boom BEFORE INSERT ON kb_articles WHEN new.title = 'BOOM' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    write('kb/a.md', '# Alpha\n\nFirst.');
    write('kb/b.md', '# BOOM\n\nSecond.');
    await expect(importPath(join(dir, 'kb'))).rejects.toThrow();
    expect(await count('SELECT count(*) FROM kb_articles')).toBe(0);
    expect(await count("SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'alpha'")).toBe(0);
  });
});

describe('uploads from the app', () => {
  it('report their progress by the id the app chose, to admins of their workspace only', async () => {
    const seen: unknown[] = [];
    const kb = env.services.kb;
    function* items() {
      for (let i = 0; i < 600; i++) {
        // Read while the import runs: after the first batch of 250 is written.
        if (i === 260)
          seen.push(kb.progress(env.a.id, 'upload-0001'), kb.progress(env.b.id, 'upload-0001'));
        yield { ref: `a${i}`, data: { sourceKey: `k${i}`, title: `Article ${i}`, body: 'Body.' } };
      }
    }
    const summary = await kb.upload(env.a.id, 'upload-0001', 'test', items());
    expect(summary.created).toBe(600);
    expect(seen).toEqual([{ done: 250, finished: false }, null]);
    const admin = await env.as(env.a.users.admin.email);
    expect(await admin.kb.importProgress({ importId: 'upload-0001' })).toEqual({
      done: 600,
      finished: true,
    });
    expect(await admin.kb.importProgress({ importId: 'upload-9999' })).toBeNull();
    const adminB = await env.as(env.b.users.admin.email);
    expect(await adminB.kb.importProgress({ importId: 'upload-0001' })).toBeNull();
    const manager = await env.as(env.a.users.manager.email);
    await expect(manager.kb.importProgress({ importId: 'upload-0001' })).rejects.toThrow(/admin/i);
    await expect(admin.kb.importProgress({ importId: 'x' })).rejects.toThrow();
  });
});

describe('upload sources', () => {
  const file = (name: string, text: string) => ({
    name,
    base64: Buffer.from(text).toString('base64'),
  });

  it('keep two sources apart however their files are named, and keep folder paths as keys', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.kb.import({
      source: 'billing',
      files: [file('faq/faq.md', '# Billing FAQ\n\nInvoices are monthly.')],
    });
    const second = await admin.kb.import({
      source: 'hr',
      files: [file('faq/faq.md', '# HR FAQ\n\nHolidays are 25 days.')],
    });
    expect(second).toMatchObject({ created: 1, updated: 0, duplicates: [] });
    expect(
      (await rows('SELECT source, source_key, title FROM kb_articles ORDER BY source')).map((r) => [
        r.source,
        r.source_key,
        r.title,
      ]),
    ).toEqual([
      ['billing', 'faq/faq.md', 'Billing FAQ'],
      ['hr', 'faq/faq.md', 'HR FAQ'],
    ]);
  });

  it("take a vendor export's own source when none is named, and report the same article under another", async () => {
    const admin = await env.as(env.a.users.admin.email);
    const zendesk = JSON.stringify({
      articles: [{ id: 7, title: 'VPN', body: '<p>Install the client.</p>' }],
    });
    expect(
      await admin.kb.import({ files: [file('export.json', zendesk), file('a.md', '# A\n\nB')] }),
    ).toMatchObject({
      created: 1,
      rejected: [
        { ref: 'a.md', reason: 'no source name: say which source these articles come from' },
      ],
    });
    expect(await rows('SELECT source, source_key FROM kb_articles')).toMatchObject([
      { source: 'zendesk', source_key: 'zendesk:7' },
    ]);
    expect(
      await admin.kb.import({ source: 'copy', files: [file('export.json', zendesk)] }),
    ).toMatchObject({
      created: 0,
      duplicates: [{ ref: 'export.json #1', of: 'zendesk/zendesk:7' }],
    });
    expect(await count('SELECT count(*) FROM kb_articles')).toBe(1);
  });

  it('archive what the source no longer has when asked, with a count', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.kb.import({
      source: 'help',
      files: [file('a.md', '# A\n\nOne.'), file('b.md', '# B\n\nTwo.')],
    });
    expect(
      await admin.kb.import({
        source: 'help',
        archiveMissing: true,
        files: [file('a.md', '# A\n\nOne.')],
      }),
    ).toMatchObject({ unchanged: 1, archived: 1 });
    expect(
      (await rows("SELECT source_key FROM kb_articles WHERE state = 'archived'")).map(
        (r) => r.source_key,
      ),
    ).toEqual(['b.md']);
  });
});

describe('the search index', () => {
  it('follows inserts, updates and deletes of articles in the same transaction', async () => {
    write('kb/reset.md', RESET);
    await importPath(join(dir, 'kb'));
    const match = (q: string) => count('SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?', [q]);
    expect(await match('forgot')).toBe(1);
    write('kb/reset.md', RESET.replace('Forgot password', 'Lost credentials'));
    await importPath(join(dir, 'kb'));
    expect(await match('forgot')).toBe(0);
    expect(await match('credentials')).toBe(1);
    await env.client.execute('DELETE FROM kb_article_versions');
    await env.client.execute("DELETE FROM kb_articles WHERE source_key = 'reset.md'");
    expect(await match('credentials')).toBe(0);
    // The FTS5 integrity check compares the index with the articles it indexes.
    await env.client.execute("INSERT INTO kb_fts(kb_fts, rank) VALUES ('integrity-check', 1)");
  });
});

describe('suggestions', () => {
  const seed = async (workspace: string) => {
    write(`${workspace}/reset.md`, RESET);
    write(
      `${workspace}/sso.md`,
      '# Set up single sign-on\n\nSSO with Okta or Azure AD: add the app, paste the metadata URL.',
    );
    write(
      `${workspace}/invoice.md`,
      '# Download an invoice as PDF\n\nInvoices are under Billing → History. A PDF that spins forever needs a fresh sign-in.',
    );
    write(
      `${workspace}/pdf-export.md`,
      '# Export reports\n\nReports export as CSV or PDF; a download that fails or spins is retried automatically. Password protected PDF too.',
    );
    return importPath(join(dir, workspace), workspace === 'a' ? env.a.id : env.b.id);
  };

  it('answer the ticket from its subject and latest customer message, title first, with marked snippets', async () => {
    await seed('a');
    const agent = await env.as(env.a.users.agent.email, 'token');
    const res = await agent.kb.suggest({
      subject: 'Invoice PDF will not download',
      message:
        'Hi team,\n\nThe invoice PDF spins forever.\n\nThanks,\nMaria\n\nOn Mon, Support wrote:\n> reset your password here',
    });
    expect(res.map((s) => s.title)).toEqual(['Download an invoice as PDF', 'Export reports']);
    expect(res[0]!.why).toEqual({
      titleTerms: ['invoice', 'pdf', 'download'],
      bodyTerms: ['invoice', 'pdf', 'spins', 'forever'],
      similarTicketLinks: 0,
    });
    expect(res[0]!.snippet.some((p) => p.mark && /invoice|pdf/i.test(p.text))).toBe(true);
    const text = res[0]!.snippet.map((p) => p.text).join('');
    for (const c of ['\u0002', '\u0003', '<']) expect(text).not.toContain(c);
    // The quoted "reset your password" did not bring the password article in.
    expect(res.some((s) => s.title === 'Reset your password')).toBe(false);
  });

  it('match words written apart or together as the articles write them, and weigh the other words less', async () => {
    write(
      'w/username.md',
      '# Which username to use\n\nSign in with your work address, not DOMAIN\\jsmith.',
    );
    write(
      'w/mail.md',
      '# Read work e-mail on your phone\n\nAdd the account in the phone mail app.',
    );
    write('w/track.md', '# Track your parcel\n\nSee where your parcel is on the carrier map.');
    write(
      'w/damaged.md',
      '# Parcel arrived damaged\n\nA parcel that arrived broken is replaced; keep the parcel box.',
    );
    write('w/where.md', '# Where things are\n\nWhere is where it is; my desk is where I left it.');
    await importPath(join(dir, 'w'));
    const agent = await env.as(env.a.users.agent.email, 'token');
    const first = async (subject: string, message = '') =>
      (await agent.kb.suggest({ subject, message }))[0];
    // "user name" as the article's "username"; "email" as its "e-mail".
    const username = await first('What is my user name?');
    expect(username?.title).toBe('Which username to use');
    expect(username?.why.titleTerms).toContain('username');
    expect((await first('Email stopped'))?.title).toBe('Read work e-mail on your phone');
    // "where" is no topic, but it says tracking: the parcel articles tie on "parcel" (the
    // damaged one holds it more often), and the one that also says "where" comes first...
    const res = await agent.kb.suggest({ subject: 'Where is my parcel?', message: '' });
    expect(res.map((s) => s.title)).toEqual(['Track your parcel', 'Parcel arrived damaged']);
    // ...yet an article holding only such words is never suggested, and they are not marked.
    expect(res[0]!.snippet.filter((p) => p.mark).map((p) => p.text.toLowerCase())).toEqual([
      'parcel',
    ]);
    expect(
      await agent.kb.suggest({ subject: 'Where is it?', message: 'How do I do this?' }),
    ).toEqual([]);
  });

  it('come from the caller workspace only, and only published articles', async () => {
    await seed('b');
    write('a/draft.md', '---\ntitle: Invoice draft\nstate: draft\n---\nInvoice PDF notes.');
    await importPath(join(dir, 'a'));
    const agentA = await env.as(env.a.users.agent.email, 'token');
    expect(await agentA.kb.suggest({ subject: 'Invoice PDF', message: '' })).toEqual([]);
    expect(await agentA.kb.search({ q: 'single sign-on' })).toEqual([]);
    const agentB = await env.as(env.b.users.agent.email, 'token');
    expect((await agentB.kb.search({ q: 'single sign-on' }))[0]!.title).toBe(
      'Set up single sign-on',
    );
    const article = (await agentB.kb.search({ q: 'okta' }))[0]!;
    await expect(agentA.kb.article({ id: article.id })).rejects.toThrow(/No such article/);
  });

  it('find the workspace articles when another workspace holds many better-ranked ones, and new ones at once', async () => {
    // Workspace B's 80 invoice articles outrank A's one in the shared index.
    for (let i = 0; i < 80; i++)
      write(
        `b/invoice-${i}.md`,
        `# Invoice PDF download ${i}\n\nInvoice PDF download invoice PDF.`,
      );
    await importPath(join(dir, 'b'), env.b.id);
    write('a/invoice.md', '# Invoices\n\nA PDF invoice that will not download: sign in again.');
    await importPath(join(dir, 'a'));
    const agent = await env.as(env.a.users.agent.email, 'token');
    expect(
      (await agent.kb.suggest({ subject: 'Invoice PDF download', message: '' })).map(
        (s) => s.title,
      ),
    ).toEqual(['Invoices']);
    // A term no article had a moment ago is searched again, not remembered as absent.
    expect(await agent.kb.search({ q: 'zeppelin' })).toEqual([]);
    write('a2/zeppelin.md', '# Zeppelin integration\n\nConnect Zeppelin notebooks.');
    await importPath(join(dir, 'a2'));
    expect((await agent.kb.search({ q: 'zeppelin' })).map((s) => s.title)).toEqual([
      'Zeppelin integration',
    ]);
  });

  it('find a word searched before its article existed right after the article is added, from the app or another instance', async () => {
    write('w/other.md', '# Reset your password\n\nChoose Forgot password.');
    await importPath(join(dir, 'w'));
    const engine = env.services.kb.engine;
    await engine.warm(); // as at server start
    const agent = await env.as(env.a.users.agent.email, 'token');
    const titles = async (subject: string) =>
      (await agent.kb.suggest({ subject, message: '' })).map((s) => s.title);
    // "user name" is tried as "username", which no article holds yet.
    expect(await titles('What is my user name?')).toEqual([]);
    const admin = await env.as(env.a.users.admin.email);
    await admin.kb.import({
      source: 'help',
      files: [
        {
          name: 'username.md',
          base64: Buffer.from('# Which username to use\n\nYour username is your e-mail.').toString(
            'base64',
          ),
        },
      ],
    });
    expect(await titles('What is my user name?')).toEqual(['Which username to use']);

    // An import by another process (the CLI) into the same database, while this one runs.
    expect(await titles('My wi fi drops')).toEqual([]);
    const cli = await env.secondInstance();
    await cli.kb.articles.import(env.a.id, 'help', [
      {
        ref: 'wifi.md',
        data: {
          sourceKey: 'wifi.md',
          title: 'Wifi keeps dropping',
          body: 'Forget the wifi network.',
        },
      },
    ]);
    expect(await titles('My wi fi drops')).toEqual(['Wifi keeps dropping']);
  });

  it('still answer when every term is in more articles than the budget, whatever compounds are tried', async () => {
    const { MATCH_BUDGET } = await import('./suggest.js');
    const n = MATCH_BUDGET + 100;
    await env.services.kb.articles.import(
      env.a.id,
      'gen',
      Array.from({ length: n }, (_, i) => ({
        ref: `p${i}`,
        data: {
          sourceKey: `p${i}`,
          title: `Printer ${i}`,
          body: `The printer toner on floor ${i}.`,
        },
      })),
    );
    // "printer" and "toner" are both past the budget; "printertoner", tried as a compound, is in
    // no article and must not become the search.
    const res = await env.services.kb.engine.suggest(env.a.id, {
      subject: 'Printer toner',
      message: '',
    });
    expect(res.suggestions).toHaveLength(5);
    expect(res.suggestions[0]!.why.titleTerms).toEqual(['printer']);
  });

  it('take common terms counts from the index vocabulary once warmed, with the same results', async () => {
    // 120 printer articles: "printer" is common, "jammed" in one of them.
    for (let i = 0; i < 120; i++)
      write(
        `w/p${i}.md`,
        `# Printer ${i}\n\nThe printer on floor ${i} ${i === 7 ? 'jammed' : 'works'}.`,
      );
    await importPath(join(dir, 'w'));
    const engine = env.services.kb.engine;
    const ask = async () =>
      (await engine.suggest(env.a.id, { subject: 'Printer jammed', message: '' })).suggestions.map(
        (s) => s.title,
      );
    const before = await ask();
    expect(before[0]).toBe('Printer 7');
    expect(await engine.warm()).toBeGreaterThan(0);
    const counted: string[] = [];
    const execute = env.client.execute.bind(env.client);
    env.client.execute = (async (q: InStatement) => {
      if (typeof q !== 'string' && q.sql.includes('count(*)') && Array.isArray(q.args))
        counted.push(...q.args.map(String));
      return execute(q);
    }) as typeof env.client.execute;
    onTestFinished(() => {
      env.client.execute = execute;
    });
    env.clock.advance(11 * 60_000); // past the counts remembered from the first search
    expect(await ask()).toEqual(before);
    // The rare term is still counted each time (a new article is found at once); the common one is not.
    expect(counted).toContain('"jammed"');
    expect(counted).not.toContain('"printer"');
    // "printerjammed", tried as a compound, is in no article's words: not even counted.
    expect(counted).not.toContain('"printerjammed"');
  });

  it('lift articles agents linked to similar tickets, and record the best score for the gap report', async () => {
    await seed('a');
    const agent = await env.as(env.a.users.agent.email, 'token');
    const ask = async () =>
      Object.fromEntries(
        (await agent.kb.suggest({ subject: 'PDF download spins', message: '' })).map((s) => [
          s.title,
          s,
        ]),
      );
    const before = await ask();
    expect(before['Download an invoice as PDF']!.why.similarTicketLinks).toBe(0);
    // Two earlier tickets about invoice PDFs were answered with the invoice article.
    const invoice = (await agent.kb.search({ q: 'invoice' }))[0]!;
    for (const [i, subject] of [
      'Invoice PDF download spins',
      'PDF invoice download stuck',
    ].entries()) {
      const { ticket } = await agent.tickets.observe({
        snapshot: snapshot({
          externalId: `l${i}`,
          url: `http://127.0.0.1:8787/demo/tickets/${i}`,
          subject,
        }),
      });
      await agent.kb.link({ ticketId: ticket.id, articleId: invoice.id });
    }
    const after = await ask();
    expect(after['Download an invoice as PDF']!.why.similarTicketLinks).toBe(2);
    // Lifted by half its score at most; articles nobody linked keep theirs.
    expect(
      after['Download an invoice as PDF']!.score / before['Download an invoice as PDF']!.score,
    ).toBeCloseTo(1.5, 2);
    expect(after['Export reports']!.score).toBe(before['Export reports']!.score);

    const { ticket } = await agent.tickets.observe({
      snapshot: snapshot({ subject: 'Printer jams' }),
    });
    await agent.kb.suggest({
      ticketId: ticket.id,
      subject: 'Printer jams',
      message: 'Paper jams on floor 3',
    });
    const [q] = await rows('SELECT terms, best_score FROM kb_queries WHERE ticket_id = ?', [
      ticket.id,
    ]);
    // Only the subject's terms are kept: the message text is searched with, never stored.
    expect(q!.terms).toBe('printer jams');
    expect(q!.best_score).toBeNull();
  });

  it('reject bad input and another workspace article or ticket, writing nothing', async () => {
    await seed('a');
    const agentB = await env.as(env.b.users.agent.email, 'token');
    const agentA = await env.as(env.a.users.agent.email, 'token');
    const article = (await agentA.kb.search({ q: 'okta' }))[0]!;
    const { ticket } = await agentB.tickets.observe({ snapshot: snapshot() });
    await expect(agentB.kb.link({ ticketId: ticket.id, articleId: article.id })).rejects.toThrow(
      /No such/,
    );
    await expect(agentB.kb.record({ articleId: article.id, kind: 'helpful' })).rejects.toThrow(
      /No such/,
    );
    await expect(
      agentA.kb.record({ articleId: article.id, kind: 'flagged_outdated' }),
    ).rejects.toThrow(/Say what is outdated/);
    await expect(agentA.kb.suggest({ subject: 'x'.repeat(501), message: '' })).rejects.toThrow();
    expect(await count('SELECT count(*) FROM kb_links')).toBe(0);
    expect(await count('SELECT count(*) FROM kb_events')).toBe(0);
    // Imports are for admins.
    await expect(
      agentA.kb.import({
        files: [{ name: 'a.md', base64: Buffer.from('# A\n\nB').toString('base64') }],
      }),
    ).rejects.toThrow(/admin/i);
    const admin = await env.as(env.a.users.admin.email);
    expect(
      await admin.kb.import({
        source: 'help',
        files: [{ name: 'a.md', base64: Buffer.from('# A\n\nB').toString('base64') }],
      }),
    ).toMatchObject({ created: 1 });
  });
});

describe('the demo knowledge base', () => {
  it('has over 200 published articles on the Demo Desk topics and a month of use, seeded once however often the server starts', async () => {
    const { seedDemo, seedDemoKb } = await import('../seed.js');
    const { createServices } = await import('../services/index.js');
    const { loadOrCreateVapidKeys } = await import('../services/push.js');
    const { openDb } = await import('../db/client.js');
    // A fresh database with the demo seeded, as npm start makes it.
    const { db, client } = await openDb({ url: `file:${join(dir, 'demo.db')}` });
    const services = createServices({
      db,
      client,
      vapid: await loadOrCreateVapidKeys(db),
      publicUrl: () => 'http://demo',
    });
    onTestFinished(() => client.close());
    expect(await seedDemo(db, services)).toBe(true);
    const first = await seedDemoKb(db, services);
    expect(first!.created).toBeGreaterThanOrEqual(200);
    expect(first!.rejected).toEqual([]);
    expect(await seedDemoKb(db, services)).toMatchObject({ created: 0, updated: 0 });
    // The seeded tickets' topics find their articles.
    const ws = (await client.execute("SELECT id FROM workspaces WHERE name = 'Acme Support'"))
      .rows[0]!.id as string;
    const top = async (subject: string) =>
      (await services.kb.engine.suggest(ws, { subject, message: '' })).suggestions[0]?.title;
    expect(await top('Cannot log in after password reset')).toBe(
      'Cannot log in after a password reset',
    );
    expect(await top('VPN disconnects every 10 minutes')).toBe('VPN disconnects every few minutes');
    expect(await top('Invoice shows the wrong VAT number')).toBe(
      'Add or correct the VAT number on invoices',
    );
    expect(await top('Printer on floor 3 prints blank pages')).toBe('Printer prints blank pages');

    // The engine's Porter stems are the index's: every word of the demo articles, stemmed here,
    // is a term of the index's vocabulary (the warm-up looks counts up by these stems).
    const { stem, words } = await import('./query.js');
    const { demoArticles } = await import('./demo-kb.js');
    const vocab = new Set(
      (await client.execute('SELECT term FROM kb_vocab')).rows.map((r) => String(r.term)),
    );
    const demoWords = new Set(
      demoArticles()
        .flatMap((a) => words(`${a.title} ${a.body}`))
        .filter((w) => /^[a-z]+$/.test(w)),
    );
    expect(demoWords.size).toBeGreaterThan(1000);
    expect([...demoWords].filter((w) => !vocab.has(stem(w)))).toEqual([]);

    // A month of history, once, so the insights screen of a fresh demo has something to show.
    const { seedDemoKbHistory } = await import('../seed.js');
    expect(await seedDemoKbHistory(db, services)).toBe(true);
    expect(await seedDemoKbHistory(db, services)).toBe(false);
    const e = await services.kb.insights.effectiveness(ws, 30);
    // Every seeded article exists: 16 questions, three tickets each, two answered with it.
    expect(e.current.counts.ticketsShown).toBe(16 * 3 + 6);
    expect(e.current.counts.ticketsLinked).toBe(32);
    expect(e.current.resolved).toMatchObject({ withArticle: 32, without: 16 + 9 });
    expect(e.current.resolved.medianMsWithArticle!).toBeLessThan(
      e.current.resolved.medianMsWithout!,
    );
    expect(e.topArticles.length).toBe(10);
    const gaps = await services.kb.insights.gaps(ws, 30, 0.5);
    expect(gaps.clusters.slice(0, 2).map((c) => [c.tickets, c.label.slice(0, 2)])).toEqual([
      [4, ['toner', 'printer']],
      [3, ['parking', 'permit']],
    ]);
    expect(gaps.clusters[0]!.reasons).toEqual({ no_article: 0, weak_match: 4, not_relevant: 0 });
    // They raise no alert and hold no clock: no SLA state at all.
    expect(
      Number(
        (
          await client.execute(
            "SELECT count(*) FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id WHERE t.source = 'demo-history'",
          )
        ).rows[0]![0],
      ),
    ).toBe(0);
  });
});

describe('the demo evaluation set', () => {
  it('has at least 150 labelled queries, each judging an article of the demo knowledge base, in step with it', async () => {
    const { readFileSync } = await import('node:fs');
    const { demoArticles } = await import('./demo-kb.js');
    const folder = new URL('../../../bench/kb-eval/demo/', import.meta.url);
    const jsonl = (f: string, at = folder) =>
      readFileSync(new URL(f, at), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(jsonl('articles.jsonl')).toEqual(
      demoArticles().map((a) => ({ id: a.sourceKey, title: a.title, body: a.body })),
    );
    const queries = jsonl('queries.jsonl');
    const qrels = jsonl('qrels.jsonl');
    expect(queries.length).toBeGreaterThanOrEqual(150);
    const ids = new Set(demoArticles().map((a) => a.sourceKey));
    for (const q of queries) {
      const judged = qrels.filter((r) => r.query === q.id);
      expect(judged.length, String(q.id)).toBeGreaterThan(0);
      for (const r of judged) expect(ids.has(r.article as string), String(r.article)).toBe(true);
    }
    const src = readFileSync(new URL('queries.src.tsv', folder), 'utf8').trim().split('\n');
    expect(src.length).toBe(queries.length);
    // The same queries as received (greeting, signature, quoted thread around the customer's words).
    const received = new URL('../demo-received/', folder);
    expect(jsonl('articles.jsonl', received)).toEqual(jsonl('articles.jsonl'));
    expect(jsonl('qrels.jsonl', received)).toEqual(qrels);
    const wrapped = jsonl('queries.jsonl', received);
    expect(wrapped.map((q) => [q.id, q.subject])).toEqual(queries.map((q) => [q.id, q.subject]));
    wrapped.forEach((q, i) => {
      expect(q.body).toContain(queries[i]!.body);
      expect(String(q.body).length).toBeGreaterThan(String(queries[i]!.body).length + 20);
    });
    // The held-out tickets: one per article of the knowledge base, each judging its article first.
    const held = new URL('../demo-tickets/', folder);
    expect(jsonl('articles.jsonl', held)).toEqual(jsonl('articles.jsonl'));
    const tickets = jsonl('queries.jsonl', held);
    const ticketRels = jsonl('qrels.jsonl', held);
    const lines = readFileSync(new URL('tickets.src.txt', held), 'utf8').trim().split('\n');
    expect(tickets.length).toBe(lines.length);
    const answers = ticketRels.filter((r) => r.relevance === 2);
    expect(answers.map((r) => r.query)).toEqual(tickets.map((t) => t.id));
    expect(new Set(answers.map((r) => r.article))).toEqual(ids);
    for (const r of ticketRels) expect(ids.has(r.article as string), String(r.article)).toBe(true);
  });
});

describe('drafts and flags', () => {
  it('let agents start drafts and flag articles, and managers review, publish and archive them', async () => {
    write('a/reset.md', RESET);
    await importPath(join(dir, 'a'));
    const agent = await env.as(env.a.users.agent.email, 'token');
    const manager = await env.as(env.a.users.manager.email);
    const { ticket } = await agent.tickets.observe({
      snapshot: snapshot({ subject: 'Badge reader offline' }),
    });
    const draft = await agent.kb.draft({
      ticketId: ticket.id,
      title: 'Badge reader offline',
      body: 'Power-cycle the reader at the door.',
    });
    expect(draft.state).toBe('draft');
    // Drafts are not suggested.
    expect(await agent.kb.search({ q: 'badge reader' })).toEqual([]);
    const reset = (await agent.kb.search({ q: 'forgot password' }))[0]!;
    await agent.kb.record({
      articleId: reset.id,
      kind: 'flagged_outdated',
      comment: 'The link now lasts 30 minutes',
    });
    const review = await manager.kb.review();
    expect(review.drafts.map((d) => d.title)).toEqual(['Badge reader offline']);
    expect(review.flags).toMatchObject([
      { articleId: reset.id, comment: 'The link now lasts 30 minutes' },
    ]);
    await expect(agent.kb.review()).rejects.toThrow();
    expect(await (await env.as(env.b.users.manager.email)).kb.review()).toEqual({
      drafts: [],
      flags: [],
    });

    expect(await manager.kb.setState({ id: draft.id, state: 'published' })).toMatchObject({
      state: 'published',
      version: 2,
    });
    expect((await agent.kb.search({ q: 'badge reader' }))[0]!.title).toBe('Badge reader offline');
    await manager.kb.setState({ id: reset.id, state: 'archived' });
    expect(await agent.kb.search({ q: 'forgot password' })).toEqual([]);
    await expect(
      (await env.as(env.b.users.manager.email)).kb.setState({ id: draft.id, state: 'archived' }),
    ).rejects.toThrow(/No such/);
  });
});

describe('marks on a ticket', () => {
  it("keep each article's link, and the caller's latest rating and flag, scoped to the workspace", async () => {
    for (const [name, body] of [
      ['reset.md', RESET],
      ['sso.md', '# Set up single sign-on\n\nSSO with Okta.'],
    ] as const)
      write(`a/${name}`, body);
    await importPath(join(dir, 'a'));
    const agent = await env.as(env.a.users.agent.email, 'token');
    const manager = await env.as(env.a.users.manager.email, 'token');
    const reset = (await agent.kb.search({ q: 'password' }))[0]!;
    const sso = (await agent.kb.search({ q: 'okta' }))[0]!;
    const { ticket } = await agent.tickets.observe({ snapshot: snapshot() });
    expect(await agent.kb.marks({ ticketId: ticket.id })).toEqual([]);

    await agent.kb.link({ ticketId: ticket.id, articleId: reset.id });
    // Rating another article keeps the first one's link.
    await agent.kb.record({ ticketId: ticket.id, articleId: sso.id, kind: 'helpful' });
    await agent.kb.record({ ticketId: ticket.id, articleId: sso.id, kind: 'not_relevant' });
    await agent.kb.record({
      ticketId: ticket.id,
      articleId: reset.id,
      kind: 'flagged_outdated',
      comment: 'The link now lasts 30 minutes',
    });
    const byArticle = async (caller: typeof agent) =>
      Object.fromEntries(
        (await caller.kb.marks({ ticketId: ticket.id })).map((m) => [m.articleId, m]),
      );
    expect(await byArticle(agent)).toEqual({
      [reset.id]: { articleId: reset.id, linked: true, rating: null, flagged: true },
      [sso.id]: { articleId: sso.id, linked: false, rating: 'not_relevant', flagged: false },
    });
    // The link is the ticket's; ratings are each person's own.
    expect(await byArticle(manager)).toEqual({
      [reset.id]: { articleId: reset.id, linked: true, rating: null, flagged: false },
    });
    // Another workspace's agent learns nothing about the ticket; bad input is refused.
    const agentB = await env.as(env.b.users.agent.email, 'token');
    expect(await agentB.kb.marks({ ticketId: ticket.id })).toEqual([]);
    await expect(agentB.kb.marks({ ticketId: '' })).rejects.toThrow();
    await expect(
      agentB.kb.marks({ ticketId: ticket.id, extra: 1 } as unknown as { ticketId: string }),
    ).rejects.toThrow();
  });
});
