import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@deskwatch/server';
import {
  launchProfile,
  launchWithExtension,
  pairExtension,
  requireBuilt,
  ROOT,
  startServer,
  type ServerProcess,
} from './harness';

// A ticketing site the user turned on (the SPA desk fixture, read by the Demo Desk adapter),
// served as http://localhost:<port>: the paired server is on 127.0.0.1, so only the site's own
// registration (http://localhost/*) puts the overlay there, not the Demo Desk's.
let site: Server;
let siteUrl: string;
let server: ServerProcess;
let profile: string;
const contexts: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  requireBuilt();
  const shell = readFileSync(join(ROOT, 'tests/fixtures/spa-desk/index.html'));
  site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(shell);
  }).listen(0, '127.0.0.1');
  await once(site, 'listening');
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
  server = await startServer({ SCHEDULER: 'off' });
  profile = mkdtempSync(join(tmpdir(), 'deskwatch-profile-'));
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await server?.stop();
  site?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

it('keeps an enabled site across a browser restart: the overlay appears without enabling it again', async () => {
  const first = await launchWithExtension({ profile });
  contexts.push(first);
  const { extensionId } = first;
  const options = await pairExtension(
    first.context,
    extensionId,
    server.url,
    'agent@acme.test',
    DEMO_PASSWORD,
  );
  await options.getByLabel('Site address').fill(`${siteUrl}/demo/tickets/3`);
  await options.getByRole('button', { name: 'Enable on this site' }).click();
  await options.getByTestId('sites').getByText('http://localhost/*').waitFor();
  const before = await first.context.newPage();
  await before.goto(`${siteUrl}/demo/tickets/3`);
  await before
    .locator('deskwatch-overlay [data-ticket="3"] [data-metric="first_response"]')
    .waitFor({ timeout: 30_000 });
  await first.close();

  // The same profile again, as after quitting and reopening the browser.
  const second = await launchProfile(profile);
  contexts.push(second);
  const page = await second.newPage();
  await page.goto(`${siteUrl}/demo/tickets/3`);
  // Registrations are restored when the worker starts; a page opened before that has no overlay
  // yet, so reload until it shows (the upper bound is generous, not a wait for correctness).
  const overlay = page.locator(
    'deskwatch-overlay [data-ticket="3"] [data-metric="first_response"]',
  );
  const end = Date.now() + 60_000;
  while (!(await overlay.count())) {
    if (Date.now() > end) throw new Error('no overlay after the restart');
    await page.reload();
    await overlay.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  // Still listed, and still one overlay.
  const again = await second.newPage();
  await again.goto(`chrome-extension://${extensionId}/options.html`);
  await again.getByTestId('sites').getByText('http://localhost/*').waitFor();
  expect(await page.locator('deskwatch-overlay').count()).toBe(1);
}, 240_000);
