import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';
import { screenshotPath } from './phone-helpers';

let server: ServerProcess;
let browser: { browser: Browser; context: BrowserContext };
beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SCHEDULER: 'off' });
  browser = await launchPhone();
});
afterAll(async () => {
  await browser?.browser.close();
  await server?.stop();
});

async function newContext(viewport: 'phone' | 'desktop') {
  if (viewport === 'phone') return browser.context;
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
  onTestFinished(() => context.close());
  return context;
}

describe.each([
  ['phone', 'manager@acme.test'],
  ['desktop', 'admin@acme.test'],
] as const)("an agent's aliases as a form, on a %s", (viewport, email) => {
  it('adds aliases by field, shows the schema inline, refuses a bad save unchanged, and exports JSON', async () => {
    const page = await (await newContext(viewport)).newPage();
    onTestFinished(() => page.close());
    await signInToApp(page, server.url, 'admin@acme.test');
    await page.goto(`${server.url}/settings/agents`);
    const row = page.locator(`[data-testid="agent"][data-email="${email}"]`);
    const name = (await row.locator('strong').first().textContent())!;
    const of = `of ${name}`;

    await row.getByRole('button', { name: `Add an alias ${of}` }).click();
    await row.getByLabel(`Tool of alias 1 ${of}`).fill('redmine');
    await row.getByLabel(`Name of alias 1 ${of}`).fill('Red Mine Name');
    await row.getByRole('button', { name: `Add an alias ${of}` }).click();
    await row.getByLabel(`Tool of alias 2 ${of}`).fill('Not A Tool');
    await row.getByLabel(`E-mail of alias 2 ${of}`).fill('not-an-email');
    // The server's schema, next to each field, as one types.
    const second = row.getByTestId('alias').nth(1);
    await second.getByText('tool is a lower-case adapter id').waitFor();
    await second.getByText(/Invalid email/i).waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    if (viewport === 'phone') {
      await second.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.screenshot({ path: screenshotPath('admin-agents') });
    }
    // The server refuses it too, and nothing is stored.
    await row.getByRole('button', { name: 'Save aliases' }).click();
    await row.getByRole('alert').waitFor();
    await page.reload();
    await row.getByRole('button', { name: `Add an alias ${of}` }).waitFor();
    expect(await row.getByTestId('alias').count()).toBe(0);

    // A good one is kept.
    await row.getByRole('button', { name: `Add an alias ${of}` }).click();
    await row.getByLabel(`Tool of alias 1 ${of}`).fill('redmine');
    await row.getByLabel(`Name of alias 1 ${of}`).fill('Red Mine Name');
    await row.getByRole('button', { name: `Add an alias ${of}` }).click();
    await row.getByLabel(`E-mail of alias 2 ${of}`).fill('someone@tools.example');
    await row.getByRole('button', { name: 'Save aliases' }).click();
    await row.getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    await row.getByLabel(`Name of alias 1 ${of}`).waitFor();
    expect(await row.getByLabel(`Tool of alias 1 ${of}`).inputValue()).toBe('redmine');
    expect(await row.getByLabel(`E-mail of alias 2 ${of}`).inputValue()).toBe(
      'someone@tools.example',
    );

    // JSON for sharing: exported as the schema has it, and a bad import changes nothing.
    await row.getByText('JSON import and export').click();
    await row.getByRole('button', { name: 'Export to JSON' }).click();
    const box = row.getByLabel(`Aliases ${of} as JSON`);
    expect(JSON.parse(await box.inputValue())).toEqual([
      { tool: 'redmine', name: 'Red Mine Name' },
      { email: 'someone@tools.example' },
    ]);
    await box.fill('[{"tool":"redmine"}]');
    await row.getByRole('button', { name: 'Import from JSON' }).click();
    await row.getByText(/an alias has a name or an e-mail/).waitFor();
    expect(await row.getByTestId('alias').count()).toBe(2);
    await box.fill('[{"name":"Only Name"}]');
    await row.getByRole('button', { name: 'Import from JSON' }).click();
    await expect.poll(() => row.getByTestId('alias').count()).toBe(1);
    expect(await row.getByLabel(`Name of alias 1 ${of}`).inputValue()).toBe('Only Name');
  });
});
