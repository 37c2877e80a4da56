/**
 * A new team on a fresh server (no demo), in real browsers: the first admin sets up the
 * workspace in the app, invites an agent by link, the agent joins and pairs the extension, and
 * when the admin deactivates them their extension stops at once. Phone-sized (390x844) admin.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchPhone,
  launchWithExtension,
  requireBuilt,
  ROOT,
  startServer,
  until,
  type ServerProcess,
} from './harness';

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO: 'false', SCHEDULER: 'off' });
  phone = await launchPhone();
  ext = await launchWithExtension();
}, 120_000);
afterAll(async () => {
  await ext?.close();
  await phone?.browser.close();
  await server?.stop();
});

const SHOTS = join(ROOT, 'docs/screenshots');
async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

it('takes a new team from an empty server to an invited agent whose extension stops when deactivated', async () => {
  // The first start asks for the workspace and its first admin.
  const admin = await phone.context.newPage();
  await admin.goto(`${server.url}/`);
  await admin.getByRole('heading', { name: 'Set up Deskwatch' }).waitFor();
  await admin.getByLabel('Workspace name').fill('Globex Support');
  await admin.getByLabel('Your name').fill('Gina Admin');
  await admin.getByLabel('Email').fill('gina@globex.example');
  await admin.getByLabel('Password').fill('short');
  await admin.getByLabel('Workspace name').click(); // leaving the field shows its message
  await admin.getByText('A password has at least 10 characters').waitFor();
  await shot(admin, 'admin-setup');
  await admin.getByLabel('Password').fill('globex-admin-pw');
  await admin.getByRole('button', { name: 'Create workspace' }).click();
  await admin.getByRole('navigation').waitFor();

  // Invite an agent.
  await admin.getByRole('link', { name: 'Settings' }).click();
  await admin.getByRole('link', { name: 'People and invitations' }).click();
  await admin.getByLabel('Their e-mail').fill('sam@globex.example');
  await admin.locator('select[name="invite-role"]').selectOption('agent');
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const link = (await admin.getByTestId('invitation-link').getAttribute('data-link'))!;
  expect(link).toMatch(new RegExp(`^${server.url}/join#[A-Za-z0-9_-]{40,}$`));

  // The agent opens the link in their own browser (with the extension), joins and pairs.
  const pwa = await ext.context.newPage();
  await pwa.goto(link);
  await pwa.getByRole('heading', { name: 'Join Globex Support' }).waitFor();
  await pwa.getByText('sam@globex.example').waitFor();
  await pwa.getByLabel('Your name').fill('Sam Agent');
  await pwa.getByLabel('Choose a password').fill('sam-agent-pw-1');
  await pwa.getByRole('button', { name: 'Join' }).click();
  await pwa.getByRole('navigation').waitFor();
  await pwa.getByRole('link', { name: 'Connect extension' }).click();
  await pwa.getByRole('button', { name: 'Get a pairing code' }).click();
  const code = (await pwa.getByTestId('pairing-code').getAttribute('data-code'))!;
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.getByLabel('Server URL').fill(server.url);
  await options.getByLabel('Pairing code').fill(code);
  await options.getByRole('button', { name: 'Pair' }).click();
  await options.locator('[data-testid="connection"][data-connected="true"]').waitFor();
  expect(await options.getByTestId('connection').textContent()).toContain('Sam Agent');

  // A ticket in the Demo Desk: the new workspace's standard policy times it.
  const ticket = await ext.context.newPage();
  await ticket.goto(`${server.url}/demo`);
  await ticket.getByPlaceholder('Subject').fill('Printer on fire');
  await ticket.getByPlaceholder('requester@example.com').fill('ana@customer.example');
  await ticket.getByPlaceholder('What the customer wrote').fill('It is smoking.');
  await ticket.getByRole('button', { name: 'Create ticket' }).click();
  const firstResponse = ticket.locator('deskwatch-overlay [data-metric="first_response"]');
  await firstResponse.waitFor({ timeout: 30_000 });

  // The admin sees Sam, and deactivates them.
  await admin.reload();
  const sam = admin.locator('[data-testid="person"][data-email="sam@globex.example"]');
  await sam.waitFor();
  await sam.getByRole('button', { name: 'Deactivate Sam Agent' }).click();
  await shot(admin, 'admin-people');
  await sam.getByRole('button', { name: 'Confirm deactivation' }).click();
  await sam.getByText(/deactivated/).waitFor();

  // At once: the extension's next request is refused, and the app signs Sam out.
  await ticket.reload();
  await ticket
    .locator('deskwatch-overlay [data-testid="overlay-error"]')
    .waitFor({ timeout: 30_000 });
  expect(await ticket.locator('deskwatch-overlay [data-metric]').count()).toBe(0);
  await options.reload();
  await until(
    'the options page to show the extension disconnected',
    async () =>
      (await options.getByTestId('connection').getAttribute('data-connected')) === 'false',
    30_000,
  );
  await pwa.reload();
  await pwa.getByRole('button', { name: 'Sign in', exact: true }).waitFor();

  // TODO(#20): the Audit screen did not show its entries in this test (2026-12-01, not yet
  // diagnosed); the audit log itself is checked in server/src/routers/people.test.ts.
}, 240_000);
