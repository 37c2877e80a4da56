import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';

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

it('lets an admin set the desk hours and a policy in the app, with the linter speaking up', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'SLA calendars and policies' }).click();

  const calendar = {
    name: 'Amsterdam desk',
    timeZone: 'Europe/Amsterdam',
    hours: { mon: [{ start: '09:00', end: '17:00' }] },
    holidays: [{ yearly: '12-25' }],
  };
  await page.getByLabel('New calendar').fill(JSON.stringify(calendar));
  await page.getByRole('button', { name: 'Save calendar' }).click();
  await page.getByText(/^Saved as /).waitFor();
  const id = (await page.getByText(/^Saved as /).textContent())!.match(/Saved as (\S+);/)![1]!;
  await expect.poll(() => page.locator('li', { hasText: 'Amsterdam desk' }).count()).toBe(1);

  const policy = {
    name: 'Office',
    calendarId: 'not-a-calendar',
    targets: { first_response: { high: 60 } },
  };
  await page.locator('textarea[name="policies"]').fill(JSON.stringify([policy]));
  await page.getByRole('button', { name: 'Save policies' }).click();
  await expect
    .poll(() => page.getByRole('alert').textContent())
    .toBe('Policy "Office": uses an unknown calendar "not-a-calendar"');

  await page
    .locator('textarea[name="policies"]')
    .fill(JSON.stringify([{ ...policy, calendarId: id }]));
  await page.getByRole('button', { name: 'Save policies' }).click();
  await page.getByText(/^Saved; \d+ open tickets recomputed\./).waitFor();
});

it('lets an admin import articles in the app and a manager publish a draft an agent started', async () => {
  // A browser profile of its own: the first test's admin session is not this one's.
  const context = await browser.browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Knowledge base' }).click();
  await page.getByLabel('Files').setInputFiles([
    {
      name: 'kiosk.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '---\ntitle: Restart the lobby kiosk\ntags: [kiosk]\n---\nHold the power button for 10 s.',
      ),
    },
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"articles": [') },
  ]);
  await page.getByLabel('Source name').fill('facilities');
  await page.getByRole('button', { name: 'Import' }).click();
  const summary = page.getByTestId('import-summary');
  await summary.waitFor();
  expect(await summary.locator('p').textContent()).toBe(
    '1 created, 0 updated, 0 unchanged, 1 rejected.',
  );
  expect(await summary.locator('li').textContent()).toMatch(/^broken\.json: not valid JSON/);

  // An agent's draft, reviewed and published by a manager in the app.
  await page.evaluate(async () => {
    const res = await fetch('/trpc/kb.draft', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
      body: JSON.stringify({ title: 'Kiosk shows a black screen', body: 'Check the HDMI cable.' }),
    });
    if (!res.ok) throw new Error(await res.text());
  });
  await page.reload();
  const draft = page
    .getByTestId('kb-drafts')
    .locator('li', { hasText: 'Kiosk shows a black screen' });
  await draft.getByRole('button', { name: 'Publish' }).click();
  await expect.poll(() => page.getByTestId('kb-drafts').locator('li').count()).toBe(0);
  const found = await page.evaluate(async () => {
    const res = await fetch(
      `/trpc/kb.search?input=${encodeURIComponent(JSON.stringify({ q: 'kiosk black screen' }))}`,
    );
    return ((await res.json()).result.data as { title: string }[]).map((s) => s.title);
  });
  expect(found[0]).toBe('Kiosk shows a black screen');
  expect(found).toContain('Restart the lobby kiosk');
});
