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
 * A manager on a phone that loses its connection (issue #17, item 1): decisions taken offline
 * are queued on the device and sent when it is back online, a decision someone else took first
 * is told as such, and screens with no data on the device say so instead of loading forever.
 * Phone-sized (390x844) Chromium against the built PWA and its service worker, real server.
 */

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let page: Page;
let admin: Page;
let agent: Page;
const ids: Record<'vpn' | 'refund' | 'export' | 'licence', string> = {
  vpn: '',
  refund: '',
  export: '',
  licence: '',
};

interface Esc {
  id: string;
  state: string;
  decidedBy: string | null;
  comment: string | null;
}

beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  phone = await launchPhone();
  // The agent and a second approver work from their own (online) browsers.
  const desk = await phone.browser.newContext();
  agent = await desk.newPage();
  await signInToApp(agent, server.url, 'agent@acme.test');
  const other = await phone.browser.newContext();
  admin = await other.newPage();
  await signInToApp(admin, server.url, 'admin@acme.test');
  for (const [key, subject] of [
    ['vpn', 'VPN disconnects every 10 minutes'],
    ['refund', 'Refund above the approval limit'],
    ['export', 'Export to CSV times out'],
    ['licence', 'Extra licence for a contractor'],
  ] as const) {
    const t = await api<{ ticket: { id: string } }>(agent, 'tickets.observe', ticket(key, subject));
    const e = await api<{ id: string }>(agent, 'escalations.request', {
      ticketId: t.ticket.id,
      type: 'manager_approval',
      severity: 'high',
      reason: `Please approve: ${subject}`,
    });
    ids[key] = e.id;
  }
  page = await phone.context.newPage();
  await signInToApp(page, server.url, 'manager@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.context.setOffline(false).catch(() => undefined);
  await phone?.browser.close();
  await server?.stop();
});

const get = (id: string) => api<Esc>(admin, 'escalations.get', { escalationId: id }, 'query');

describe('phone offline', () => {
  it('keeps the inbox on the device before the connection goes', async () => {
    await expect
      .poll(() => page.getByTestId('escalation-card').count(), { timeout: 30_000 })
      .toBe(4);
    await waitForServiceWorker(page);
    await until(
      "the app to save the inbox and the pending tickets' SLA on the device",
      () =>
        page.evaluate(() => {
          const saved = localStorage.getItem('deskwatch-cache') ?? '';
          return (
            saved.includes('Refund above the approval limit') &&
            (saved.match(/"first_response"/g) ?? []).length >= 4
          );
        }),
      30_000,
    );
  });

  it('says a screen never opened is not available offline, instead of loading forever', async () => {
    await phone.context.setOffline(true);
    await page.getByRole('link', { name: 'KB insights' }).click();
    const notice = page.getByTestId('not-available-offline');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/^Not available offline\./);
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByTestId('escalation-card').first().waitFor();
  });

  it('queues an approval taken offline and shows it as queued, from a screen never opened', async () => {
    await page.getByTestId('escalation-card').filter({ hasText: 'VPN disconnects' }).click();
    await page.getByTestId('escalation').waitFor();
    // The inbox kept the ticket's SLA on the device: its clocks show offline too.
    await page
      .getByTestId('ticket-sla')
      .locator('[data-testid="sla-timer"][data-metric="first_response"]')
      .waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    const queued = page.getByTestId('queued-decision');
    await queued.waitFor();
    expect(await queued.textContent()).toContain('Approval queued, will send');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByText('Failed to fetch').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('phone-offline-approval') });
    expect((await get(ids.vpn)).state).toBe('pending'); // nothing reached the server
  });

  it('queues a denial with its reason, and keeps the queue across a restart of the app', async () => {
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByTestId('escalation-card').filter({ hasText: 'Refund above' }).click();
    await page.getByRole('button', { name: 'Deny…' }).click();
    await page.getByLabel('Reason for denying').fill('Offer a credit note instead');
    await page.getByRole('button', { name: 'Deny', exact: true }).click();
    await page.getByTestId('queued-decision').filter({ hasText: 'Denial queued' }).waitFor();
    // Closed and opened again, still offline: the service worker serves the app, the queue stays.
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.getByTestId('queued-pill').count(), { timeout: 30_000 }).toBe(2);
    // Meanwhile another approver, online, decides the refund first.
    await api(admin, 'escalations.decide', { escalationId: ids.refund, decision: 'approve' });
  });

  it('sends the queue once back online and tells who decided first', async () => {
    await phone.context.setOffline(false);
    const conflict = page.getByTestId('decision-conflict');
    await conflict.waitFor({ timeout: 30_000 });
    expect(await conflict.textContent()).toContain(
      'Refund above the approval limit: Ada Admin decided first (approved); your denial was not sent.',
    );
    await until('the approval to reach the server', async () =>
      (await get(ids.vpn)).state === 'approved' ? true : null,
    );
    expect(await get(ids.vpn)).toMatchObject({ state: 'approved', decidedBy: 'Mia Manager' });
    expect(await get(ids.refund)).toMatchObject({ state: 'approved', decidedBy: 'Ada Admin' });
    // The inbox shows what the server now holds: two left to decide, nothing queued.
    await expect.poll(() => page.getByTestId('queued-pill').count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="escalation-card"][data-state="pending"]').count(), {
        timeout: 30_000,
      })
      .toBe(2);
    await conflict.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => conflict.count()).toBe(0);
  });

  it('decides at once when online, with no queue in the way', async () => {
    await page.getByTestId('escalation-card').filter({ hasText: 'Export to CSV' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('[data-testid="escalation"][data-state="approved"]').waitFor({
      timeout: 30_000,
    });
    expect(await page.getByTestId('queued-decision').count()).toBe(0);
    expect((await get(ids.export)).state).toBe('approved');
  });

  it('online too, tells who decided first when someone else did meanwhile', async () => {
    await page.goto(`${server.url}/escalations/${ids.licence}`);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    // The two decisions cross: the manager's leaves the phone while the page still shows the
    // escalation pending, and reaches the server only after the admin's. Holding the request
    // (rather than deciding first and clicking fast) keeps the page's own refresh, which would
    // take the buttons away, out of the race on a loaded machine.
    const decideUrl = /\/trpc\/[^?]*escalations\.decide\b/;
    await page.route(decideUrl, async (route) => {
      await api(admin, 'escalations.decide', {
        escalationId: ids.licence,
        decision: 'deny',
        comment: 'Use a pool licence',
      });
      await route.continue();
    });
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByTestId('decide-error').textContent(), { timeout: 30_000 })
      .toBe('Ada Admin decided first (denied); your decision was not recorded.');
    expect(await page.getByTestId('state').textContent()).toBe(
      'Denied by Ada Admin: Use a pool licence',
    );
    expect((await get(ids.licence)).state).toBe('denied');
    await page.unroute(decideUrl);
  });
});
