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
  expect(await main(['articles'], dir, (l) => lines.push(l))).toBe(0);
  expect(lines[0]).toBe(
    `Importing ${join(dir, 'articles')} into "Acme Support" as source import:articles…`,
  );
  expect(lines.some((l) => /^ {2}1000 items: /.test(l))).toBe(true);
  expect(lines.at(-2)).toMatch(
    /^Done in [\d.]+ s: 1203 created, 0 updated, 0 unchanged, 1 rejected\.$/,
  );
  expect(lines.at(-1)).toMatch(/^ {2}rejected broken\.md: could not be read: /);

  const again: string[] = [];
  expect(await main([join(dir, 'articles')], '/', (l) => again.push(l))).toBe(0);
  expect(again.at(-2)).toMatch(/: 0 created, 0 updated, 1203 unchanged, 1 rejected\.$/);
});

it('says what is wrong with its arguments', async () => {
  const lines: string[] = [];
  expect(await main([], dir, (l) => lines.push(l))).toBe(2);
  expect(await main(['nowhere'], dir, (l) => lines.push(l))).toBe(2);
  expect(await main([dir, '--workspace', 'Other'], dir, (l) => lines.push(l))).toBe(2);
  expect(lines).toEqual([
    expect.stringMatching(/^usage: npm run kb:import -- /),
    `No such file or folder: ${join(dir, 'nowhere')}`,
    expect.stringMatching(/^No workspace "Other" in file:/),
  ]);
});
