/**
 * An admin sets up a generic JSON webhook on the phone-sized (390x844) app: pastes a sample,
 * previews the events its JSONata mapping produces, fixes a mapping error the preview reports,
 * connects it, and the tool's signed delivery applies.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

const SECRET = 'generic-webhook-secret-e2e';
const fixture = (name: string) =>
  readFileSync(join(ROOT, 'server/src/connectors/fixtures/generic', name), 'utf8');

it('maps a pasted sample with JSONata, previews its events, connects, and takes a signed delivery', async () => {
  const sample = fixture('sample.json');
  const mapping = fixture('mapping.jsonata');
  const page = await phone.context.newPage();
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.goto(`${server.url}/settings/connectors`);
  await page.getByRole('heading', { name: 'Connectors', level: 1 }).waitFor();
  await page.locator('select[name="connector-tool"]').selectOption('generic');
  await page.locator('input[name="connector-name"]').fill('Acme desk');
  await page.locator('input[name="generic-header"]').fill('X-Acme-Signature');
  await page.locator('textarea[name="generic-sample"]').fill(sample);
  // A mistake first: the preview says which field is wrong.
  await page
    .locator('textarea[name="generic-mapping"]')
    .fill(mapping.replace('"url": request.link', '"url": request.title'));
  await page.getByRole('button', { name: 'Preview events' }).click();
  await page.getByTestId('generic-preview').getByText(/url/).waitFor();
  await page.locator('textarea[name="generic-mapping"]').fill(mapping);
  await page.getByRole('button', { name: 'Preview events' }).click();
  const preview = page.getByTestId('generic-preview');
  await preview.getByText('REQ-88').waitFor();
  expect(await preview.locator('li li').allTextContents()).toEqual([
    'created at 2026-03-27T08:40:00.000Z → New (new)',
    'status at 2026-03-27T09:10:00.000Z → waiting (pending_customer)',
    'priority at 2026-03-27T09:10:00.000Z → high',
    'message at 2026-03-27T09:10:00.000Z by agent',
  ]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.locator('input[name="connector-secret"]').fill(SECRET);
  await page.getByRole('button', { name: 'Connect' }).click();
  const url = (await page.getByTestId('new-webhook-url').textContent())!;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-acme-signature': createHmac('sha256', SECRET).update(sample).digest('hex'),
    },
    body: sample,
  });
  expect(res.status).toBe(200);
  await until(
    'the card to count the delivery',
    async () => {
      await page.reload();
      const received = await page.getByTestId('received').textContent({ timeout: 30_000 });
      return received === '1 (1 applied, 0 duplicates)';
    },
    60_000,
    500,
  );
});
