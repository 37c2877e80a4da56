import { afterAll, beforeAll, expect, it } from 'vitest';
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
