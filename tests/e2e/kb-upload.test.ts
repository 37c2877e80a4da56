import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';

let server: ServerProcess;
let browser: { browser: Browser; context: BrowserContext };
let dir: string;
beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SCHEDULER: 'off' });
  browser = await launchPhone();
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-kb-upload-'));
});
afterAll(async () => {
  await browser?.browser.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('lets an admin upload a folder: its name is the source, each file keyed by its path in it as by the CLI, tables shown as tables', async () => {
  const folder = join(dir, 'Help Centre');
  const files: [string, string][] = [
    ['billing/faq.md', '# Billing FAQ\n\n| Plan | Price |\n| --- | --- |\n| Team | 10 € |'],
    ['hr/faq.md', '# HR FAQ\n\nHolidays are 25 days.'],
    ['.DS_Store', 'junk'],
  ];
  for (const [path, text] of files) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Knowledge base' }).click();
  await page.getByLabel('or a folder').setInputFiles(folder);
  expect(await page.getByLabel('Source name').inputValue()).toBe('help-centre');
  await page.getByRole('button', { name: 'Import' }).click();
  const summary = page.getByTestId('import-summary');
  await summary.waitFor();
  expect(await summary.locator('p').first().textContent()).toBe(
    '2 created, 0 updated, 0 unchanged, 0 rejected.',
  );

  const found = await page.evaluate(async () => {
    const call = async (path: string, input: unknown) =>
      (
        await (
          await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
        ).json()
      ).result.data;
    const hits = (await call('kb.search', { q: 'billing faq plan price' })) as { id: string }[];
    return (await call('kb.article', { id: hits[0]!.id })) as {
      source: string;
      sourceKey: string;
      id: string;
    };
  });
  expect(found).toMatchObject({ source: 'help-centre', sourceKey: 'billing/faq.md' });
  await page.goto(`${server.url}/kb/${found.id}`);
  await page.getByRole('table').waitFor();
  expect(await page.getByRole('cell', { name: '10 €' }).count()).toBe(1);
});
