import { describe, expect, it } from 'vitest';
import type { ImportItem } from './articles.js';
import { htmlToMarkdown, itemsFromFiles, type SourceFile } from './sources.js';

/** Bytes of a text in Windows-1252 (Latin-1 plus the typographic quotes, dashes and euro sign). */
function cp1252(text: string): Uint8Array {
  const extra: Record<string, number> = {
    '€': 0x80,
    '‘': 0x91,
    '’': 0x92,
    '“': 0x93,
    '”': 0x94,
    '–': 0x96,
  };
  return Uint8Array.from([...text].map((c) => extra[c] ?? c.charCodeAt(0)));
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const read = (...files: SourceFile[]) => [...itemsFromFiles(files)];
const data = (items: ImportItem[]) =>
  items.map((i) => ('data' in i ? (i.data as Record<string, unknown>) : { error: i.error }));

describe('links of imported articles', () => {
  it('are the help-centre page of a Zendesk article, never its API address', () => {
    const zendesk = {
      articles: [
        {
          id: 1,
          title: 'Okta',
          body: '<p>Set up.</p>',
          url: 'https://acme.zendesk.com/api/v2/help_center/en-us/articles/1.json',
          html_url: 'https://acme.zendesk.com/hc/en-us/articles/1-Okta',
        },
        {
          id: 2,
          title: 'Only the API',
          body: '<p>Text.</p>',
          url: 'https://acme.zendesk.com/api/v2/help_center/en-us/articles/2.json',
        },
      ],
    };
    const got = data(read({ name: 'z.json', bytes: utf8(JSON.stringify(zendesk)) }));
    expect(got.map((d) => d.externalUrl)).toEqual([
      'https://acme.zendesk.com/hc/en-us/articles/1-Okta',
      null,
    ]);
  });

  it('ignore a relative canonical link of an HTML page rather than reject the page', () => {
    const page =
      '<html><head><title>Returns</title><link rel="canonical" href="/returns"></head><body><p>Send it back within 30 days.</p></body></html>';
    expect(data(read({ name: 'returns.html', bytes: utf8(page) }))).toEqual([
      { sourceKey: 'returns.html', title: 'Returns', body: 'Send it back within 30 days.' },
    ]);
  });
});

describe('files not in UTF-8', () => {
  it('are decoded from Latin-1 Markdown, Windows-1252 CSV and HTML declaring its charset', () => {
    const got = data(
      read(
        {
          name: 'café.md',
          bytes: cp1252('# Réinitialiser le mot de passe\n\nOuvrez « Paramètres ».'),
        },
        {
          name: 'faq.csv',
          bytes: cp1252('id,title,body\nf1,Prix en €,“Deux” façons – payer ou résilier\n'),
        },
        {
          name: 'page.html',
          bytes: cp1252(
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Größe ändern</title></head><body><p>Die Größe – jederzeit.</p></body></html>',
          ),
        },
      ),
    );
    expect(got).toEqual([
      {
        sourceKey: 'café.md',
        title: 'Réinitialiser le mot de passe',
        body: 'Ouvrez « Paramètres ».',
        tags: [],
        externalUrl: null,
        author: '',
      },
      {
        sourceKey: 'f1',
        title: 'Prix en €',
        body: '“Deux” façons – payer ou résilier',
        tags: [],
        externalUrl: null,
        author: '',
      },
      { sourceKey: 'page.html', title: 'Größe ändern', body: 'Die Größe – jederzeit.' },
    ]);
    expect(JSON.stringify(got)).not.toContain('\uFFFD');
  });

  it('are rejected with their name when their bytes do not fit the charset they declare', () => {
    const bad = Uint8Array.from([
      ...utf8('<meta charset="utf-8"><title>x</title><p>caf'),
      0xe9,
      ...utf8('</p>'),
    ]);
    expect(read({ name: 'bad.html', bytes: bad })).toEqual([
      {
        ref: 'bad.html',
        error: 'could not be read: it is not valid utf-8 as it declares: save it as UTF-8',
      },
    ]);
  });

  it('keep a UTF-16 file with its byte-order mark', () => {
    const text = '# Überblick\n\nAlles gut.';
    const bytes = Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(data(read({ name: 'u.md', bytes }))[0]).toMatchObject({
      title: 'Überblick',
      body: 'Alles gut.',
    });
  });
});

describe('HTML to Markdown', () => {
  it('keeps table cells as a GFM table', () => {
    expect(
      htmlToMarkdown(
        '<table><tr><th>Step</th><th>Light</th></tr><tr><td>Reset</td><td>Blinks amber</td></tr></table>',
      ),
    ).toBe('| Step  | Light        |\n| ----- | ------------ |\n| Reset | Blinks amber |');
  });

  it('keeps the paragraphs, line breaks, list items and images of a cell apart', () => {
    expect(
      htmlToMarkdown(
        '<table><tr><th>Step</th><th>How</th></tr><tr><td><p>Unplug</p><p>Wait</p></td><td>Hold<br>reset <img src="x.png" alt="the button"></td></tr><tr><td>Check</td><td><ul><li>green</li><li>steady</li></ul></td></tr></table>',
      ),
    ).toBe(
      '| Step        | How                   |\n| ----------- | --------------------- |\n| Unplug Wait | Hold reset the button |\n| Check       | green steady          |',
    );
  });

  it('fences a <pre> without <code> too, its markup-looking text kept as written', () => {
    expect(htmlToMarkdown('<p>Run:</p><pre>vpn status\n  ok &lt;b&gt;</pre><p>Then.</p>')).toBe(
      'Run:\n\n```\nvpn status\n  ok <b>\n```\n\nThen.',
    );
  });

  it('keeps the lines of code blocks in a fence, with no markup left', () => {
    expect(
      htmlToMarkdown(
        '<p>Run:</p><pre><code>sudo systemctl restart vpn\nvpn status\n  ok</code></pre>',
      ),
    ).toBe('Run:\n\n```\nsudo systemctl restart vpn\nvpn status\n  ok\n```');
  });

  it('keeps text the page shows as markup as text, and drops scripts, styles and frames', () => {
    const md = htmlToMarkdown(
      '<p>Remove the &lt;script&gt; tag from the &lt;head&gt;.</p><script>alert(1)</script><style>p{}</style><iframe src="https://evil.test"></iframe>',
    );
    expect(md).toBe('Remove the \\<script> tag from the \\<head>.');
  });

  it('keeps images with their alt text, and the alt text alone when the image has no web address', () => {
    expect(
      htmlToMarkdown(
        '<p><img src="https://cdn.acme.test/router.png" alt="Back of the router"></p><p><img src="data:image/png;base64,AAAA" alt="Reset button"></p>',
      ),
    ).toBe('![Back of the router](https://cdn.acme.test/router.png)\n\nReset button');
  });
});

describe('CSV and JSON Lines', () => {
  it('reject a bad CSV row alone, and read the rows around it, multi-line bodies included', () => {
    const csv = 'id,title,body\nc1,First,"Line one\nline two"\nc2,"Bad"quote,body\nc3,Third,Fine\n';
    const items = read({ name: 'faq.csv', bytes: utf8(csv) });
    expect(items.map((i) => ('error' in i ? [i.ref, i.error] : [i.ref]))).toEqual([
      ['faq.csv row 2'],
      ['faq.csv row 3', expect.stringMatching(/^could not be read \(line 4\): /)],
      ['faq.csv row 4'],
    ]);
    expect(data(items)[0]).toMatchObject({ body: 'Line one\nline two' });
  });

  it('read .jsonl one article per line, a bad line rejected alone', () => {
    const jsonl = [
      '{"id":"a","title":"Alpha","body":"First."}',
      '{"id":"b","title":',
      '',
      '{"id":"c","title":"Gamma","body":"Third."}',
    ].join('\n');
    const items = read({ name: 'articles.jsonl', bytes: utf8(jsonl) });
    expect(items.map((i) => [i.ref, 'error' in i])).toEqual([
      ['articles.jsonl line 1', false],
      ['articles.jsonl line 2', true],
      ['articles.jsonl line 4', false],
    ]);
    expect(data(items)[2]).toMatchObject({ sourceKey: 'c', title: 'Gamma', body: 'Third.' });
  });
});
