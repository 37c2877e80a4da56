import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { DEMO_PASSWORD } from '@deskwatch/server';
import { parseRemaining, ROOT, startServer, until, type ServerProcess } from './harness';

/**
 * The Firefox build in Firefox: Debian's firefox-esr driven over WebDriver BiDi (puppeteer-core,
 * which never downloads a browser), the built add-on installed as a temporary add-on, paired
 * with a code from the app and showing the overlay on a Demo Desk ticket.
 */

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const EXTENSION = join(ROOT, 'extension/.output/firefox-mv3');
const ADDON_ID = 'deskwatch@deskwatch.dev';
// Firefox gives each add-on a random internal UUID per profile; fix it to open the options page.
const UUID = randomUUID();

let server: ServerProcess;
let browser: Browser;
let profile: string;

beforeAll(async () => {
  for (const f of [join(EXTENSION, 'manifest.json'), join(ROOT, 'pwa/dist/index.html'), FIREFOX])
    if (!existsSync(f))
      throw new Error(
        `${f} is missing: run \`npm test\` from the root, which builds and installs what end-to-end tests need`,
      );
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  profile = mkdtempSync(join(tmpdir(), 'deskwatch-firefox-'));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      // Nothing but loopback: every other address goes to a closed loopback port (a proxy that
      // is not there; loopback itself is never proxied), and nothing is fetched unasked.
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      'network.proxy.allow_hijacking_localhost': false,
      'network.dns.disablePrefetch': true,
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'extensions.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  expect(await browser.installExtension(EXTENSION)).toBe(ADDON_ID);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function pairingCode(page: Page): Promise<string> {
  await page.goto(`${server.url}/`);
  await page.locator('input[type="email"]').fill('agent@acme.test');
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('button.primary').click();
  await page.locator('nav a::-p-text(Connect extension)').click();
  await page
    .locator('button::-p-text(Get a pairing code)')
    .click()
    .catch(async (e: Error) => {
      throw new Error(
        `${e.message} at ${page.url()}: ${await page.$eval('body', (b) => b.innerText)}`,
      );
    });
  const code = await page.waitForSelector('[data-testid="pairing-code"][data-code]');
  return (await code!.evaluate((el) => el.getAttribute('data-code')))!;
}

it('pairs the Firefox add-on with a code and shows the SLA timer on a Demo Desk ticket', async () => {
  const app = await browser.newPage();
  const code = await pairingCode(app);
  expect(code).toMatch(/^[A-Z2-9]{8}$/);

  // WebDriver BiDi may not navigate to an add-on's pages ("not allowed in this context"); the
  // add-on opens its options itself on install, as it does for a person. Puppeteer may still
  // list that tab by its first address, so ask each tab where it is.
  const optionsUrl = `moz-extension://${UUID}/options.html`;
  const options = await until(
    'the options page the add-on opens on install',
    async () => {
      for (const p of await browser.pages())
        if ((await p.evaluate(() => location.href).catch(() => '')) === optionsUrl) return p;
      return null;
    },
    30_000,
  );
  // Puppeteer's locators wait for page events this tab does not report; element handles work.
  const serverField = (await options.$('input[name="serverUrl"]'))!;
  await serverField.evaluate((el) => el.select()); // typing replaces the suggested address
  await serverField.type(server.url);
  await (await options.$('input[name="code"]'))!.type(code);
  await (await options.$('form button'))!.click();
  await options
    .waitForSelector('[data-testid="connection"][data-connected="true"]', { timeout: 30_000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}: ${await options.$eval('main', (m) => m.innerText)}`);
    });
  expect(await options.$eval('[data-testid="connection"]', (el) => el.textContent)).toContain(
    'as Alex Agent (agent)',
  );

  const ticket = await browser.newPage();
  await ticket.goto(`${server.url}/demo/tickets/1`); // High: first response due 60 min after creation
  const created = Date.parse(
    (await ticket.$eval('[data-field="created"] time', (el) => el.getAttribute('datetime')))!,
  );
  const target = await ticket.waitForSelector(
    'deskwatch-overlay >>> [data-metric="first_response"]',
    { timeout: 30_000 },
  );
  const [due, status] = await target!.evaluate((el) => [
    el.getAttribute('data-due'),
    el.getAttribute('data-status'),
  ]);
  expect(Number(due)).toBe(created + 60 * 60_000);
  expect(status).toBe('running');
  // The timer ticks in the page, second by second.
  const remaining = () =>
    target!.evaluate((el) => el.querySelector('[data-testid="remaining"]')!.textContent!);
  const first = parseRemaining(await remaining());
  expect(first).toBeGreaterThan(0);
  await until('the timer to tick', async () => parseRemaining(await remaining()) < first, 30_000);
  expect(await ticket.$$eval('deskwatch-overlay', (els) => els.length)).toBe(1);
});
