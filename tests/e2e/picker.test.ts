import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@deskwatch/server';
import {
  launchWithExtension,
  pairExtension,
  requireBuilt,
  ROOT,
  startServer,
  type ServerProcess,
} from './harness';

// Teaching Deskwatch a tool it has never seen, with the mouse only: the picker is injected from
// the toolbar popup, each field is picked on the page, the status is mapped, and the adapter
// saved to the workspace runs the overlay on that tool.

let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
let tool: Server;
let toolUrl: string;

beforeAll(async () => {
  requireBuilt();
  const html = readFileSync(join(ROOT, 'tests/fixtures/orbit-support/ticket.html'));
  tool = createServer((_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end(html));
  tool.listen(0, '127.0.0.1');
  await once(tool, 'listening');
  toolUrl = `http://127.0.0.1:${(tool.address() as AddressInfo).port}`;
  server = await startServer();
  ext = await launchWithExtension({ timezoneId: 'UTC' });
  await (
    await pairExtension(ext.context, ext.extensionId, server.url, 'admin@acme.test', DEMO_PASSWORD)
  ).close();
});

afterAll(async () => {
  await ext?.close();
  await server?.stop();
  tool?.close();
});

/** Picks a field: its Pick button in the picker, then the element on the page. */
async function pick(page: Page, field: string, target: string) {
  const row = page.locator(`deskwatch-picker [data-field="${field}"]`);
  await row.getByRole('button', { name: 'Pick' }).click();
  await page.locator(target).first().click();
  return {
    selector: await row.getByRole('textbox').inputValue(),
    count: await row.getByTestId('match-count').getAttribute('data-count'),
    text: await row.getByTestId('match-count').textContent(),
  };
}

/**
 * Clicks "Teach Deskwatch this page" in the toolbar popup for `tabId`. The popup closes itself
 * once the picker is injected: that close is what this waits for, never a second click into a
 * closing page.
 */
async function teachFromPopup(tabId: number) {
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  await popup
    .getByRole('button', { name: 'Teach Deskwatch this page' })
    .click()
    .catch((e: unknown) => {
      // The popup may close while the click is still being reported: that is its success.
      if (!popup.isClosed()) throw e;
    });
  await closed;
}

it('teaches an unknown tool by pointing and clicking, for the whole workspace', async () => {
  const page = await ext.context.newPage();
  await page.goto(`${toolUrl}/requests/555`);
  const clicks: string[] = [];
  await page.exposeFunction('pageSawClick', (t: string) => clicks.push(t));
  await page.evaluate(() =>
    document.addEventListener('click', (e) =>
      (window as unknown as { pageSawClick(t: string): void }).pageSawClick(
        (e.target as Element).localName,
      ),
    ),
  );
  expect(await page.locator('deskwatch-overlay').count()).toBe(0);

  // The toolbar popup, for this tab: "Teach Deskwatch this page".
  const worker = ext.context.serviceWorkers()[0]!;
  const tabId = await worker.evaluate(async (url) => {
    // The extension's service worker: `chrome` is its global there.
    type Tabs = { query(q: { url: string }): Promise<{ id?: number }[]> };
    const { tabs } = (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome;
    return (await tabs.query({ url }))[0]!.id!;
  }, `${toolUrl}/requests/555`);
  await teachFromPopup(tabId);
  await teachFromPopup(tabId); // twice: still one picker

  const picker = page.getByRole('dialog', { name: 'Teach Deskwatch this page' });
  await picker.waitFor();
  expect(await page.locator('deskwatch-picker').count()).toBe(1);
  expect(await picker.getByTestId('url-pattern').inputValue()).toBe(`${toolUrl}/requests/:id`);
  expect(await picker.getByTestId('url-match').textContent()).toBe(
    'This page matches: ticket 555.',
  );

  // Most robust first: a data-* hook, then an id, then ARIA, then structure; each matches once.
  expect(await pick(page, 'subject', 'h1')).toEqual({
    selector: '[data-qa="ticket-title"]',
    count: '1',
    text: '1 match: “Badge reader rejects my card”',
  });
  expect((await pick(page, 'status', '#state')).selector).toBe('#state');
  expect((await pick(page, 'priority', 'text=Sev 2')).selector).toBe('span[aria-label="Severity"]');
  const requester = await pick(page, 'requester', '.who');
  expect(requester.count).toBe('1');
  expect(requester.text).toContain('kim@example.com');
  // A time written for people: read from its title attribute.
  const created = await pick(page, 'created', '.opened');
  expect(created.selector).toMatch(/ @title$/);
  expect(created.count).toBe('1');
  // The conversation: one message generalises to all of them; its parts are relative to it.
  const message = await pick(page, 'message', 'li.from-customer');
  expect(message).toMatchObject({ selector: 'li.msg', count: '2' });
  expect((await pick(page, 'messageTime', 'li.from-customer time')).selector).toBe(
    'time @datetime',
  );
  expect((await pick(page, 'messageAuthor', 'li.from-customer .author')).selector).toBe('.author');
  // The page's own click handlers never saw the picking clicks.
  expect(clicks).toEqual([]);

  // Mappings: the picked values are there with a guess; "Waiting for us" is the agents' turn.
  const statuses = picker.getByTestId('map-statuses');
  expect(await statuses.getByRole('textbox').first().inputValue()).toBe('Waiting for us');
  await statuses.getByRole('combobox').first().selectOption('open');
  await statuses.getByRole('button', { name: 'Add a status' }).click();
  await statuses.getByRole('textbox').nth(1).fill('Waiting for customer');
  await statuses.getByRole('combobox').nth(1).selectOption('pending_customer');
  const priorities = picker.getByTestId('map-priorities');
  expect(await priorities.getByRole('textbox').first().inputValue()).toBe('Sev 2');
  expect(await priorities.getByRole('combobox').first().inputValue()).toBe('high');

  await expect
    .poll(() => picker.getByTestId('preview').textContent())
    .toMatch(
      /^Reads ticket 555: “Badge reader rejects my card”, open, high, created .+, 2 messages$/,
    );
  await picker.getByLabel('Tool name').fill('Orbit Support');
  // Save waits for the check on other tickets; this tool links to none, and says so.
  expect(await picker.getByRole('button', { name: 'Save to workspace' }).isDisabled()).toBe(true);
  await picker.getByRole('button', { name: 'Check on other tickets' }).click();
  await picker.getByText('Found 0 other tickets linked from here.', { exact: false }).waitFor();
  await picker.getByRole('button', { name: 'Save to workspace' }).click();
  await expect
    .poll(() => picker.getByRole('status').last().textContent())
    .toMatch(/^Saved to your workspace as “Orbit Support”. Every agent/);

  // Loopback is always allowed, so the site is on: after a reload the overlay reads the page
  // with the taught adapter, from the saved workspace copy.
  await page.reload();
  const firstResponse = page.locator('deskwatch-overlay [data-metric="first_response"]');
  await firstResponse.waitFor({ timeout: 15_000 });
  expect(await page.locator('deskwatch-picker').count()).toBe(0);
  expect(
    await page.locator('deskwatch-overlay [data-ticket="555"] [data-metric]').count(),
  ).toBeGreaterThan(0);
  // The messages were read with their authors: Dev Patel answered kim at 09:40, so the first
  // response is met.
  expect(await firstResponse.getAttribute('data-status')).toBe('met');
});
