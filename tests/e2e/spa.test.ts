import { readFileSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@deskwatch/server';
import {
  launchWithExtension,
  pairExtension,
  requireBuilt,
  ROOT,
  startServer,
  type ServerProcess,
} from './harness';

/** A single-page ticketing app on its own port (tests/fixtures/spa-desk), covered by the Demo Desk's host pattern. */
let spa: Server;
let spaUrl: string;
let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;

beforeAll(async () => {
  requireBuilt();
  const html = readFileSync(join(ROOT, 'tests/fixtures/spa-desk/index.html'));
  spa = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(html),
  ).listen(0, '127.0.0.1');
  await once(spa, 'listening');
  spaUrl = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
  server = await startServer({ SCHEDULER: 'off' });
  ext = await launchWithExtension();
  await (
    await pairExtension(ext.context, ext.extensionId, server.url, 'agent@acme.test', DEMO_PASSWORD)
  ).close();
}, 120_000);

afterAll(async () => {
  await ext?.close();
  await server?.stop();
  spa?.close();
});

it('follows in-page navigation through 20 tickets with exactly one overlay, and keeps ticket text out of the server', async () => {
  const page = await ext.context.newPage();
  await page.goto(`${spaUrl}/demo/tickets/1`);
  const overlay = page.locator('deskwatch-overlay');
  for (let i = 1; i <= 20; i++) {
    if (i > 1) await page.locator(`[data-ticket-link="${i}"]`).click();
    await overlay
      .locator(`[data-ticket="${i}"] [data-metric="first_response"]`)
      .waitFor({ timeout: 5000 });
    expect(await page.locator('deskwatch-overlay').count()).toBe(1);
    expect(await overlay.locator('[data-testid="deskwatch-overlay"]').count()).toBe(1);
  }
  // Back to an earlier ticket by the browser's history.
  await page.goBack();
  await overlay.locator('[data-ticket="19"]').waitFor();
  expect(await page.locator('deskwatch-overlay').count()).toBe(1);

  // The page's aggressive global CSS does not reach into the overlay.
  const style = await overlay
    .locator('[data-testid="deskwatch-overlay"] .name')
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, font: s.fontFamily };
    });
  expect(style.color).not.toBe('rgb(255, 0, 255)');
  expect(style.font).toBe('system-ui, sans-serif'); // the overlay's own, not the page's serif

  // Only the snapshot left the browser: message bodies never reach the database.
  const files = ['e2e.db', 'e2e.db-wal'].map((f) => join(server.dir, f)).filter(existsSync);
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(readFileSync(f).includes('SECRET-BODY')).toBe(false);
  expect(files.some((f) => readFileSync(f).includes('SPA ticket 7 <b>not bold</b>'))).toBe(true);
});
