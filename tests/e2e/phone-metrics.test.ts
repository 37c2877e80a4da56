import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchPhone,
  requireBuilt,
  signInToApp,
  startServer,
  until,
  type ServerProcess,
} from './harness';
import { api, screenshotPath, ticket, waitForServiceWorker } from './phone-helpers';

/**
 * The manager's metric glances on a 390x844 phone (issue #18): the demo opens with a month of
 * history, glance -> chart -> drill-down -> the ticket in its own tool.
 */

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;
let agent: Page;

beforeAll(async () => {
  requireBuilt();
  server = await startServer({}); // the demo with its month of history
  phone = await launchPhone();
  agent = await (
    await phone.browser.newContext({ viewport: { width: 390, height: 844 } })
  ).newPage();
  await signInToApp(agent, server.url, 'agent@acme.test');
  // Today's ticket, answered 5 minutes after it came in: it is behind today's first response.
  await api(
    agent,
    'tickets.observe',
    ticket('m18', 'Laptop will not dock', { ageMin: 30, priority: 'normal', replyAtMin: 25 }),
  );
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
}, 180_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

describe('metrics glance on a phone', () => {
  it('opens from the tab bar with a card per metric and real numbers from the demo month', async () => {
    await manager.getByRole('navigation').getByRole('link', { name: 'Metrics' }).click();
    const glance = manager.getByTestId('metrics-glance');
    await glance.waitFor();
    await manager.getByTestId('metric-first_response').waitFor({ timeout: 30_000 });
    await manager.getByRole('button', { name: '30 days' }).click();
    await until('the 30-day glance', async () =>
      /\d/.test((await manager.getByTestId('metric-created').textContent()) ?? ''),
    );
    for (const m of ['first_response', 'resolution', 'compliance', 'backlog', 'created']) {
      const text = (await manager.getByTestId(`metric-${m}`).locator('.value').textContent())!;
      expect(text, m).toMatch(/\d/);
    }
    expect(await manager.locator('.glance .card').count()).toBe(10);
    expect(await manager.locator('.glance .card .sparkline polyline').count()).toBeGreaterThan(5);
    expect(await manager.getByTestId('metrics-as-of').textContent()).toMatch(/^As of /);
    // Readable at 390 px: nothing wider than the screen.
    const width = await manager.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await manager.screenshot({ path: screenshotPath('phone-metrics-glance') });
  });

  it('taps through to the chart and the tickets behind the number, each linking to its tool', async () => {
    // Still on 30 days: today's ticket is among the month's.
    await manager.getByTestId('metric-first_response').click();
    await manager.getByTestId('metric-detail').waitFor();
    // uPlot arrives on demand and draws on a canvas.
    await manager.locator('[data-testid="metric-chart"] canvas').waitFor({ timeout: 30_000 });
    const list = manager.getByTestId('metric-tickets');
    const link = list.getByRole('link', { name: 'Laptop will not dock' });
    await link.waitFor({ timeout: 30_000 });
    expect(await link.getAttribute('href')).toBe('https://acme.zendesk.example/agent/tickets/m18');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(
      await list.locator('li').filter({ hasText: 'Laptop will not dock' }).textContent(),
    ).toContain('5 min business');
    await manager.screenshot({ path: screenshotPath('phone-metrics-detail'), fullPage: false });
    const download = manager.waitForEvent('download');
    await manager.getByTestId('csv').click();
    const csv = await (await download).createReadStream();
    let text = '';
    for await (const chunk of csv) text += String(chunk);
    expect(text.split('\r\n')[0]).toBe(
      'tool,ticket,subject,priority,assignee,at,business_ms,calendar_ms,note,url',
    );
    expect(text).toContain('Laptop will not dock');
  });

  it('keeps the last glance readable offline, with its "as of" time', async () => {
    await manager.getByRole('link', { name: '← All metrics' }).click();
    await manager.getByTestId('metric-created').waitFor();
    await waitForServiceWorker(manager);
    await until(
      'the app to save the glance on the device',
      () =>
        manager.evaluate(() =>
          (localStorage.getItem('deskwatch-cache') ?? '').includes('"metric":"reopened"'),
        ),
      30_000,
    );
    // What the screen shows as the connection goes (the app saves each answer as it arrives).
    const asOf = (await manager.getByTestId('metrics-as-of').textContent())!;
    await phone.context.setOffline(true);
    try {
      await manager.goto(`${server.url}/metrics?period=30d`);
      await manager.getByTestId('offline').waitFor({ timeout: 30_000 });
      await manager.getByTestId('metric-created').waitFor();
      // The last answer the device saved: the one on screen, or the one before it when a refresh
      // landed between saving and going offline (a refresh comes every 15 s).
      const at = (text: string | null) => Date.parse(text!.replace(/^As of /, ''));
      const offlineAt = at(await manager.getByTestId('metrics-as-of').textContent());
      expect(offlineAt).toBeLessThanOrEqual(at(asOf));
      expect(at(asOf) - offlineAt).toBeLessThan(120_000);
      expect(
        await manager.getByTestId('metric-first_response').locator('.value').textContent(),
      ).toMatch(/\d/);
    } finally {
      await phone.context.setOffline(false);
    }
  });

  it('keeps the glance from agents', async () => {
    expect(await agent.getByRole('navigation').getByRole('link', { name: 'Metrics' }).count()).toBe(
      0,
    );
    await expect(
      api(agent, 'metrics.glance', { period: '7d', timeZone: 'UTC' }, 'query'),
    ).rejects.toThrow(/403|FORBIDDEN/);
  });
});
