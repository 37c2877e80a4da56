/**
 * Single sign-on in a real browser, against a real OpenID Connect provider (`oidc-provider`)
 * started on loopback: the admin sets it up in Settings › Single sign-on (desktop and
 * 390x844), then a colleague of the allowed domain signs in with "Sign in with SSO" and lands
 * in the app as an agent; an address of no workspace is told why, on the sign-in screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestOidcProvider, TEST_OIDC_CLIENT } from '../../server/src/testing-oidc';
import { launchPhone, requireBuilt, ROOT, startServer, type ServerProcess } from './harness';

let server: ServerProcess;
let idp: Awaited<ReturnType<typeof startTestOidcProvider>>;
let phone: { browser: Browser; context: BrowserContext };
let desktop: BrowserContext;
beforeAll(async () => {
  requireBuilt();
  server = await startServer({
    SEED_DEMO: 'false',
    SCHEDULER: 'off',
    CONNECTOR_SECRET_KEY: 'e2e-connector-key-0123456789abcdef',
    SSO_ALLOW_HTTP: 'true',
  });
  idp = await startTestOidcProvider(`${server.url}/sso/callback`);
  phone = await launchPhone();
  desktop = await phone.browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 120_000);
afterAll(async () => {
  await phone?.browser.close();
  await idp?.close();
  await server?.stop();
});

const SHOTS = join(ROOT, 'docs/screenshots');
async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

async function fillSso(page: Page) {
  await page.getByLabel('Issuer URL').fill(idp.issuer);
  await page.getByLabel('Client id').fill(TEST_OIDC_CLIENT.id);
  await page.getByLabel(/^Client secret/).fill(TEST_OIDC_CLIENT.secret);
  await page.getByLabel(/may join/).fill('initech.example');
}

it('sets up single sign-on in a form and signs a colleague in through the provider', async () => {
  // A fresh server: the first admin sets up the workspace.
  const admin = await desktop.newPage();
  await admin.goto(`${server.url}/`);
  await admin.getByLabel('Workspace name').fill('Initech Support');
  await admin.getByLabel('Your name').fill('Bill Admin');
  await admin.getByLabel('Email').fill('bill@initech.example');
  await admin.getByLabel('Password').fill('initech-admin-pw');
  await admin.getByRole('button', { name: 'Create workspace' }).click();
  await admin.getByRole('navigation').waitFor();

  await admin.getByRole('link', { name: 'Settings' }).click();
  await admin.getByRole('link', { name: 'Single sign-on' }).click();
  expect(await admin.getByTestId('sso-redirect-uri').textContent()).toBe(
    `${server.url}/sso/callback`,
  );
  // The schema the server uses checks the form as it is typed.
  await admin.getByLabel(/may join/).fill('not a domain');
  await admin.getByLabel('Client id').click();
  await admin.getByText('Enter a domain such as example.com').waitFor();
  await admin.getByText('Enter the client id').waitFor();
  await fillSso(admin);
  await shot(admin, 'admin-sso-desktop');
  await admin.getByRole('button', { name: 'Save single sign-on' }).click();
  await admin.getByTestId('sso-saved').waitFor();
  // The secret is never sent back: the field is empty and says it is kept.
  await admin.reload();
  await admin.getByLabel(/leave empty to keep it/).waitFor();
  expect(await admin.getByLabel('Issuer URL').inputValue()).toBe(idp.issuer);

  // The same form on a phone.
  const adminPhone = await phone.context.newPage();
  await adminPhone.goto(`${server.url}/`);
  await adminPhone.getByLabel('Email').fill('bill@initech.example');
  await adminPhone.getByLabel('Password').fill('initech-admin-pw');
  await adminPhone.getByRole('button', { name: 'Sign in', exact: true }).click();
  await adminPhone.getByRole('navigation').waitFor();
  await adminPhone.goto(`${server.url}/settings/sso`);
  await adminPhone.getByLabel('Issuer URL').waitFor();
  expect(await adminPhone.getByLabel('Issuer URL').inputValue()).toBe(idp.issuer);
  const width = await adminPhone.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await shot(adminPhone, 'admin-sso');

  // A colleague, in a browser of their own, with an address of the allowed domain.
  const colleague = await phone.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await colleague.newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel('Email').fill('peter@initech.example');
  await shot(page, 'sign-in-sso');
  await page.getByRole('button', { name: 'Sign in with SSO' }).click();
  // Through the provider (on loopback) and back, signed in.
  await page.getByRole('navigation').waitFor({ timeout: 30_000 });
  expect(new URL(page.url()).origin).toBe(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  expect(await page.getByText('Administration').count()).toBe(0); // an agent, the default role

  // The admin sees them in People, joined by single sign-on.
  await admin.goto(`${server.url}/settings/people`);
  await admin.locator('[data-testid="person"][data-email="peter@initech.example"]').waitFor();
  await admin.goto(`${server.url}/settings/audit`);
  await admin.locator('[data-testid="audit-entry"][data-action="sso.settings"]').waitFor();

  // An address of no workspace with single sign-on: told so, on the sign-in screen.
  const stranger = await (
    await phone.browser.newContext({ viewport: { width: 390, height: 844 } })
  ).newPage();
  await stranger.goto(`${server.url}/`);
  await stranger.getByLabel('Email').fill('someone@elsewhere.example');
  await stranger.getByRole('button', { name: 'Sign in with SSO' }).click();
  await stranger
    .getByTestId('sso-error')
    .getByText('Single sign-on is not set up for this address')
    .waitFor();
  await colleague.close();
});
