/**
 * An admin connects Zendesk from the phone-sized (390x844) app: creates the connector, copies its
 * webhook URL, sends a test event, and watches the health card count what the tool sends: a
 * delivery signed with the right secret is applied, one signed with another is refused with
 * its reason. Then Zendesk with its API backfill: a token without its account e-mail, or bad
 * days, are said under the fields and cannot be sent; saved, the card says the API is read.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  launchPhone,
  requireBuilt,
  ROOT,
  signInToApp,
  startServer,
  until,
  type ServerProcess,
} from './harness';

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
beforeAll(async () => {
  requireBuilt();
  server = await startServer({
    SCHEDULER: 'off',
    CONNECTOR_SECRET_KEY: 'e2e-connector-key-0123456789abcdef',
  });
  phone = await launchPhone();
}, 120_000);
afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

const SECRET = 'zendesk-signing-secret-e2e';

/** Posts a Zendesk fixture signed as Zendesk signs: base64 HMAC-SHA256 of timestamp + body. */
async function deliver(url: string, secret: string) {
  const body = readFileSync(
    join(ROOT, 'server/src/connectors/fixtures/zendesk/ticket-created.json'),
    'utf8',
  );
  const ts = new Date().toISOString();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-signature': createHmac('sha256', secret)
        .update(ts + body)
        .digest('base64'),
    },
    body,
  });
  return res.status;
}

it('connects Zendesk on a phone: webhook URL, test event, and health as deliveries arrive', async () => {
  const page = await phone.context.newPage();
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Connectors' }).click();
  await page.getByRole('heading', { name: 'Connectors', level: 1 }).waitFor();
  await page.getByText('No tool is connected yet.').waitFor();

  await page.locator('select[name="connector-tool"]').selectOption('zendesk');
  await page.locator('input[name="connector-name"]').fill('Acme Zendesk');
  await page.locator('input[name="connector-setting"]').fill('acme');
  await page.locator('input[name="connector-secret"]').fill(SECRET);
  await page.getByRole('button', { name: 'Connect' }).click();
  const url = (await page.getByTestId('new-webhook-url').textContent())!;
  expect(url).toMatch(new RegExp(`^${server.url}/hooks/[\\w-]{8,32}$`));
  const card = page.getByTestId('connector');
  await card.waitFor();
  expect(await card.getByText(url).count()).toBe(1);
  // The secret is never shown back.
  expect(await page.content()).not.toContain(SECRET);
  await expect(card.locator('[data-testid="received"]').textContent()).resolves.toBe(
    '0 (0 applied, 0 duplicates)',
  );

  await card.getByRole('button', { name: 'Send a test event' }).click();
  await card
    .getByTestId('test-result')
    .getByText(/^Test event passed: signature verified, read as .+, would update 1 ticket\.$/)
    .waitFor();

  // The tool sends a delivery signed with the secret, then someone sends one with another.
  expect(await deliver(url, SECRET)).toBe(200);
  expect(await deliver(url, 'not-the-secret')).toBe(401);
  await until(
    'the health card to count both deliveries',
    async () => {
      await page.reload();
      const received = await page.getByTestId('received').textContent({ timeout: 30_000 });
      return received === '2 (1 applied, 0 duplicates)';
    },
    60_000,
    500,
  );
  expect(await page.getByTestId('refused').textContent()).toBe('1');
  await page
    .getByTestId('last-error')
    .getByText(/Refused a request: /)
    .waitFor();
  expect(await page.getByTestId('connector-health').getByText('none yet').count()).toBe(0);

  // Nothing is wider than the phone: the long webhook URL wraps.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ROOT, 'docs/screenshots/admin-connectors.png') });
}, 120_000);

it('connects Zendesk with an API backfill on a phone: inline errors first, the token never shown', async () => {
  const TOKEN = 'zendesk-api-token-e2e';
  // A phone of its own, signed in afresh (the first test's session lives in its context).
  const own = await phone.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const page = await own.newPage();
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Connectors' }).click();
  await page.getByRole('heading', { name: 'Connectors', level: 1 }).waitFor();
  const form = page.locator('form').first();

  // Only a tool that sends webhooks and is read through its API offers the section.
  await page.locator('select[name="connector-tool"]').selectOption('github');
  expect(await page.getByTestId('api-backfill').count()).toBe(0);
  await page.locator('select[name="connector-tool"]').selectOption('zendesk');
  const section = page.getByTestId('api-backfill');
  await section.waitFor();

  await page.locator('input[name="connector-name"]').fill('Acme Zendesk API');
  await page.locator('input[name="connector-setting"]').fill('acme');
  await page.locator('input[name="connector-secret"]').fill(SECRET);
  await page.locator('input[name="connector-api-token"]').fill(TOKEN);
  // A token without its account: said under the field, and nothing can be sent.
  await section.getByText('Enter the e-mail of the account the token belongs to').waitFor();
  expect(await form.getByRole('button', { name: 'Connect' }).isDisabled()).toBe(true);
  await page.locator('input[name="connector-api-email"]').fill('admin@acme.example');
  await page.locator('input[name="connector-backfill-days"]').fill('-1');
  await section.getByText('Enter 0 or more days').waitFor();
  expect(await form.getByRole('button', { name: 'Connect' }).isDisabled()).toBe(true);
  await page.locator('input[name="connector-backfill-days"]').fill('14');
  expect(await section.locator('.field-message').allTextContents()).toEqual(['', '', '']);

  await form.getByRole('button', { name: 'Connect' }).click();
  await page
    .getByTestId('created-connector')
    .getByText(/its past tickets are being read through its API/)
    .waitFor();
  const card = page.getByTestId('connector').filter({ hasText: 'Acme Zendesk API' });
  await card.waitFor();
  expect(await card.locator('code.webhook-url').textContent()).toMatch(
    new RegExp(`^${server.url}/hooks/[\\w-]{8,32}$`),
  );
  expect(await card.getByTestId('api-intake').textContent()).toBe(
    "Backfilled from Zendesk's API with its token (admin@acme.example).",
  );
  // Either secret can be replaced from the card; neither is ever shown back.
  await card.locator('select[name="connector-rotate-which"]').selectOption('apiToken');
  await card.getByText('New API token for Acme Zendesk API').waitFor();
  expect(await page.content()).not.toContain(TOKEN);
  expect(await page.content()).not.toContain(SECRET);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await own.close();
}, 120_000);
