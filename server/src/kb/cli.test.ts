import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { createAccounts } from '../services/accounts.js';
import { main } from './cli.js';

let dir: string;
const saved = process.env.DATABASE_URL;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-cli-'));
  process.env.DATABASE_URL = `file:${join(dir, 'kb.db')}`;
  const { db, client } = await openDb({ url: process.env.DATABASE_URL });
  await createAccounts(db, Date.now).createWorkspace('Acme Support');
  client.close();
});
afterEach(() => {
  process.env.DATABASE_URL = saved;
  rmSync(dir, { recursive: true, force: true });
});

it('imports a folder given relative to where it was run, with a summary, and again without duplicates', async () => {
  mkdirSync(join(dir, 'articles'));
  for (let i = 0; i < 1203; i++)
    writeFileSync(join(dir, 'articles', `a${i}.md`), `# Article ${i}\n\nAbout topic ${i}.`);
  writeFileSync(join(dir, 'articles', 'broken.md'), '---\ntitle: [unclosed\n---\nx');
  const lines: string[] = [];
  expect(await main(['articles', '--source', 'help'], dir, (l) => lines.push(l))).toBe(0);
  expect(lines[0]).toBe(`Importing ${join(dir, 'articles')} into "Acme Support" as source help…`);
  expect(lines.some((l) => /^ {2}1000 items: /.test(l))).toBe(true);
  expect(lines.at(-2)).toMatch(
    /^Done in [\d.]+ s: 1203 created, 0 updated, 0 unchanged, 0 archived, 0 duplicates, 1 rejected\.$/,
  );
  expect(lines.at(-1)).toMatch(/^ {2}rejected broken\.md: could not be read: /);

  const again: string[] = [];
  expect(await main([join(dir, 'articles'), '--source=help'], '/', (l) => again.push(l))).toBe(0);
  expect(again.at(-2)).toMatch(
    /: 0 created, 0 updated, 1203 unchanged, 0 archived, 0 duplicates, 1 rejected\.$/,
  );
});

it('says what is wrong with its arguments', async () => {
  const lines: string[] = [];
  expect(await main([], dir, (l) => lines.push(l))).toBe(2);
  expect(await main(['nowhere'], dir, (l) => lines.push(l))).toBe(2);
  expect(
    await main([dir, '--workspace', 'Other', '--source', 'x'], dir, (l) => lines.push(l)),
  ).toBe(2);
  writeFileSync(join(dir, 'faq.md'), '# FAQ\n\nText.');
  expect(await main(['faq.md'], dir, (l) => lines.push(l))).toBe(2);
  expect(await main(['faq.md', '--source', 'My Docs'], dir, (l) => lines.push(l))).toBe(2);
  expect(lines).toEqual([
    expect.stringMatching(/^usage: npm run kb:import -- /),
    `No such file or folder: ${join(dir, 'nowhere')}`,
    expect.stringMatching(/^No workspace "Other" in file:/),
    expect.stringMatching(/^Say which source these articles come from with --source <name>/),
    'A source name is lower-case letters, digits and : . _ - (got "My Docs")',
  ]);
});

it("takes a vendor export's source from its ids, and finds the same export read as a file and as a folder", async () => {
  const zendesk = {
    articles: [1, 2].map((id) => ({
      id,
      title: `Article ${id}`,
      body: `<p>Body ${id}.</p>`,
      html_url: `https://acme.zendesk.com/hc/en-us/articles/${id}`,
    })),
  };
  mkdirSync(join(dir, 'export'));
  writeFileSync(join(dir, 'export', 'articles.json'), JSON.stringify(zendesk));
  const lines: string[] = [];
  expect(await main(['export/articles.json'], dir, (l) => lines.push(l))).toBe(0);
  expect(lines[0]).toMatch(/ as source zendesk…$/);
  expect(lines.at(-1)).toMatch(/: 2 created, .* 0 duplicates, 0 rejected\.$/);
  const again: string[] = [];
  expect(await main(['export'], dir, (l) => again.push(l))).toBe(0);
  expect(again.at(-1)).toMatch(/: 0 created, 0 updated, 2 unchanged, /);
  // The same vendor articles under a source of another name are reported, not created.
  const other: string[] = [];
  expect(await main(['export', '--source', 'old-helpdesk'], dir, (l) => other.push(l))).toBe(0);
  expect(other.slice(-3)).toEqual([
    expect.stringMatching(
      /: 0 created, 0 updated, 0 unchanged, 0 archived, 2 duplicates, 0 rejected\.$/,
    ),
    '  duplicate articles.json #1: the same article as zendesk/zendesk:1',
    '  duplicate articles.json #2: the same article as zendesk/zendesk:2',
  ]);
});

it('archives what the source no longer has when asked, and nothing when an item was rejected', async () => {
  mkdirSync(join(dir, 'kb'));
  for (const n of ['a', 'b', 'c'])
    writeFileSync(join(dir, 'kb', `${n}.md`), `# ${n}\n\nAbout ${n}.`);
  const run = async (...args: string[]) => {
    const lines: string[] = [];
    expect(await main(['kb', '--source', 'help', ...args], dir, (l) => lines.push(l))).toBe(0);
    return lines;
  };
  await run();
  rmSync(join(dir, 'kb', 'b.md'));
  expect((await run()).at(-1)).toMatch(/ 2 unchanged, 0 archived, /);
  writeFileSync(join(dir, 'kb', 'broken.md'), '---\ntitle: [unclosed\n---\nx');
  const skipped = await run('--archive-missing');
  expect(skipped).toContain(
    '  nothing archived: 1 items were rejected: an article they hold would be archived by mistake',
  );
  rmSync(join(dir, 'kb', 'broken.md'));
  expect((await run('--archive-missing')).at(-1)).toMatch(/ 2 unchanged, 1 archived, /);
  const { client } = await openDb({ url: process.env.DATABASE_URL! });
  const states = await client.execute(
    'SELECT source_key, state, version FROM kb_articles ORDER BY 1',
  );
  client.close();
  expect(states.rows.map((r) => [r.source_key, r.state, r.version])).toEqual([
    ['a.md', 'published', 1],
    ['b.md', 'archived', 2],
    ['c.md', 'published', 1],
  ]);
  // Back at the source: published again by the next import.
  writeFileSync(join(dir, 'kb', 'b.md'), '# b\n\nAbout b.');
  expect((await run('--archive-missing')).at(-1)).toMatch(
    /: 0 created, 1 updated, 2 unchanged, 0 archived, /,
  );
});
