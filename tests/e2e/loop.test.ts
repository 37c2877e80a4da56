import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { escalationPushPayload, type EscalationPushPayload } from '@deskwatch/shared';
import {
  launchPhone,
  launchWithExtension,
  parseRemaining,
  remainingBounds,
  requireBuilt,
  startServer,
  until,
  type ServerProcess,
  signInToApp,
} from './harness';
import { startPushService } from './push-service';

/**
 * The whole loop in real browsers: the built extension paired through the PWA, the overlay on
 * a Demo Desk ticket, an escalation approved from a phone-sized PWA, and a push delivered to
 * the PWA's service worker whose Approve action decides on the server.
 */

let pushService: Awaited<ReturnType<typeof startPushService>>;

let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
let phone: { browser: Browser; context: BrowserContext };

beforeAll(async () => {
  requireBuilt();
  pushService = await startPushService('e2e');
  server = await startServer({
    // The loopback push service is a self-hosted one to the server: allowed by the operator.
    ...pushService.env,
    // The insights checked below are exactly this loop's: no seeded month of history.
    SEED_DEMO_HISTORY: 'false',
  });
  ext = await launchWithExtension();
  phone = await launchPhone();
});

afterAll(async () => {
  await ext?.close();
  await phone?.browser.close();
  await server?.stop();
  pushService?.close();
});

const signIn = (page: Page, email: string) => signInToApp(page, server.url, email);

function decryptPush(body: Buffer): EscalationPushPayload {
  return escalationPushPayload.parse(JSON.parse(pushService.decrypt(body)));
}

describe('the whole loop', () => {
  let ticketPage: Page;
  let managerPage: Page;

  it('pairs the extension with a code from the PWA', async () => {
    const pwa = await ext.context.newPage();
    await signIn(pwa, 'agent@acme.test');
    await pwa.getByRole('link', { name: 'Connect extension' }).click();
    await pwa.getByRole('button', { name: 'Get a pairing code' }).click();
    const code = await pwa.getByTestId('pairing-code').getAttribute('data-code');
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(await pwa.getByTestId('server-url').textContent()).toBe(server.url);

    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.getByLabel('Server URL').fill(server.url);
    await options.getByLabel('Pairing code').fill(`${code!.slice(0, 4)}-${code!.slice(4)}`);
    await options.getByRole('button', { name: 'Pair' }).click();
    await expect
      .poll(() => options.getByTestId('connection').getAttribute('data-connected'))
      .toBe('true');
    expect(await options.getByTestId('connection').textContent()).toContain(
      'as Alex Agent (agent)',
    );
    // The code is single use.
    await options.getByLabel('Pairing code').fill(code!);
    await options.getByRole('button', { name: 'Pair again' }).click();
    await expect
      .poll(() => options.getByRole('alert').textContent())
      .toMatch(/wrong, expired or already used/);
    await pwa.close();
    await options.close();
  });

  it('shows the SLA timer for the seeded ticket, ticking from its creation time and policy', async () => {
    ticketPage = await ext.context.newPage();
    const opened = Date.now();
    await ticketPage.goto(`${server.url}/demo/tickets/1`); // "Cannot log in…", High: first response 60 min, resolution 8 h
    const created = Date.parse(
      (await ticketPage.locator('[data-field="created"] time').getAttribute('datetime'))!,
    );
    const firstResponse = ticketPage.locator('deskwatch-overlay [data-metric="first_response"]');
    await firstResponse.waitFor({ timeout: 15_000 });
    expect(Number(await firstResponse.getAttribute('data-due'))).toBe(created + 60 * 60_000);
    expect(await firstResponse.getAttribute('data-status')).toBe('running');
    const shown = parseRemaining((await firstResponse.getByTestId('remaining').textContent())!);
    const { min, max } = remainingBounds(created + 60 * 60_000, opened, Date.now());
    expect(shown).toBeGreaterThanOrEqual(min);
    expect(shown).toBeLessThanOrEqual(max);
    // It ticks locally, every second.
    await expect
      .poll(
        async () => parseRemaining((await firstResponse.getByTestId('remaining').textContent())!),
        { timeout: 30_000 },
      )
      .toBeLessThan(shown);
    const resolution = ticketPage.locator('deskwatch-overlay [data-metric="resolution"]');
    expect(Number(await resolution.getAttribute('data-due'))).toBe(created + 8 * 3600_000);
    expect(await ticketPage.locator('deskwatch-overlay').count()).toBe(1);
    // On demand, the overlay explains the clock: counting since the ticket was created.
    await ticketPage
      .locator('deskwatch-overlay')
      .getByRole('button', { name: 'Why these times?' })
      .click();
    const explanation = ticketPage.locator('deskwatch-overlay').getByTestId('explanation');
    await explanation.waitFor();
    expect(await explanation.textContent()).toContain('Policy: Standard');
    expect(await explanation.locator('li[data-kind="running"]').first().textContent()).toContain(
      'Counting',
    );
    await ticketPage
      .locator('deskwatch-overlay')
      .getByRole('button', { name: 'Hide explanation' })
      .click();
  });

  it('suggests the articles that answer the ticket, and links, inserts and rates them', async () => {
    const panel = ticketPage.locator('deskwatch-overlay [data-testid="kb-panel"]');
    const first = panel.locator('.kb-list li').first();
    await first.waitFor({ timeout: 10_000 });
    // Ticket 1 is "Cannot log in after password reset": its article comes first.
    expect(await first.locator('.kb-article').textContent()).toBe(
      'Cannot log in after a password reset',
    );
    expect(await panel.locator('.kb-list li').count()).toBeLessThanOrEqual(5);
    // The snippet is text with the matching terms marked, never the article's HTML.
    const marks = await first.locator('[data-testid="kb-snippet"] mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(await first.locator('.kb-why').textContent()).toMatch(/^Matched .*password/);
    // Open it in the app, where articles without an address of their own live.
    expect(await first.locator('.kb-article').getAttribute('href')).toMatch(
      new RegExp(`^${server.url}/kb/[\\w-]+$`),
    );

    // Insert the link in the Demo Desk's reply box, link the article to the ticket, rate it.
    await first.getByRole('button', { name: 'Insert in reply' }).click();
    expect(await ticketPage.locator('form.reply textarea').inputValue()).toMatch(
      new RegExp(`^Cannot log in after a password reset: ${server.url}/kb/`),
    );
    await first.getByRole('button', { name: 'Link to ticket' }).click();
    await first.getByRole('button', { name: 'Linked' }).waitFor();
    await first.getByRole('button', { name: 'Helpful' }).click();
    expect(await first.getByRole('button', { name: 'Helpful' }).getAttribute('aria-pressed')).toBe(
      'true',
    );

    // Flag it as outdated, with what is wrong; start a draft from the ticket and the reply.
    await first.getByRole('button', { name: 'Outdated?' }).click();
    await first.getByLabel('What is out of date').fill('The reset link now lasts 30 minutes');
    await first.getByRole('button', { name: 'Flag', exact: true }).click();
    await first.getByRole('button', { name: 'Flagged' }).waitFor();
    await panel.getByRole('button', { name: 'Start an article from this ticket' }).click();
    expect(await panel.getByLabel('Article title').inputValue()).toBe(
      await ticketPage.locator('.ticket-subject').textContent(),
    );
    expect(await panel.getByLabel('Article text').inputValue()).toMatch(
      /^Cannot log in after a password reset: /,
    );
    await panel.getByRole('button', { name: 'Save draft' }).click();
    await panel.getByText(/^Draft “.+” sent for review$/).waitFor();

    // Search for anything else.
    await panel.getByLabel('Search the knowledge base').fill('vpn keeps dropping');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => panel.locator('.kb-list li .kb-article').first().textContent())
      .toBe('VPN disconnects every few minutes');
    await panel.getByRole('button', { name: 'Suggested' }).click();
    await expect
      .poll(() => panel.locator('.kb-list li .kb-article').first().textContent())
      .toBe('Cannot log in after a password reset');
  });

  it('puts a compact SLA badge on the list row of each ticket Deskwatch has seen', async () => {
    const list = await ext.context.newPage();
    await list.goto(`${server.url}/demo`);
    const row = list.locator('tr[data-ticket-id="1"]');
    const badge = row.locator('deskwatch-badge');
    await expect
      .poll(() => badge.evaluate((el) => !(el as HTMLElement).hidden), { timeout: 15_000 })
      .toBe(true);
    const created = Date.parse((await row.locator('time').getAttribute('datetime'))!);
    const span = badge.locator('span');
    const text = (await span.textContent())!;
    // First response, due 60 minutes after creation: the minutes left, and "due soon" in the last quarter.
    const minutes = Math.floor((created + 60 * 60_000 - Date.now()) / 60_000);
    expect(text).toMatch(/^FR (\d+)m$/);
    expect(Math.abs(Number(text.match(/(\d+)m/)![1]) - minutes)).toBeLessThanOrEqual(1);
    expect(await span.getAttribute('data-state')).toBe(minutes <= 15 ? 'soon' : 'ok');
    expect(await span.getAttribute('aria-label')).toMatch(/^First response due in \d+m$/);
    // Tickets nobody opened with Deskwatch have no badge; every row has exactly one badge host.
    const rows = await list.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(1);
    expect(await list.locator('deskwatch-badge').count()).toBe(rows);
    expect(await list.locator('deskwatch-badge:not([hidden])').count()).toBe(1);
    expect(await list.locator('deskwatch-overlay').count()).toBe(0);
    await list.close();
  });

  it('escalates from the overlay and shows the phone approval live', async () => {
    const phonePage = (managerPage = await phone.context.newPage());
    await signIn(phonePage, 'manager@acme.test');
    // Subscribe this manager to pushes as the app does after pushManager.subscribe (Chromium
    // here has no push service to subscribe with, so the endpoint is the loopback receiver).
    const subscribed = await phonePage.evaluate(async (sub) => {
      const res = await fetch('/trpc/push.subscribe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
        body: JSON.stringify(sub),
      });
      return res.status;
    }, pushService.subscription);
    expect(subscribed).toBe(200);

    const overlay = ticketPage.locator('deskwatch-overlay');
    await overlay.getByRole('button', { name: 'Escalate' }).click();
    await overlay.getByRole('combobox', { name: 'Type' }).selectOption('manager_approval');
    await overlay
      .getByPlaceholder('Why does this need escalating?')
      .fill('Customer locked out before a board meeting');
    await overlay.getByRole('button', { name: 'Send escalation' }).click();
    await overlay.locator('[data-testid="escalation"][data-state="pending"]').waitFor();

    const push = decryptPush(
      await until('the push to the manager', async () => pushService.pushed[0]),
    );
    expect(push).toMatchObject({
      ticketSubject: 'Cannot log in after password reset',
      reason: 'Customer locked out before a board meeting',
      requestedBy: 'Alex Agent',
    });

    await phonePage.reload();
    const card = phonePage
      .getByTestId('escalation-card')
      .filter({ hasText: 'Cannot log in after password reset' });
    await card.click();
    await phonePage.getByRole('button', { name: 'Approve' }).click();
    // Live: the overlay is never reloaded. Usually well under a second; the bound is for a loaded machine.
    await overlay
      .locator('[data-testid="escalation"][data-state="approved"]')
      .waitFor({ timeout: 30_000 });
    expect(await overlay.getByTestId('escalation').first().textContent()).toContain(
      'Approved by Mia Manager',
    );
    await expect
      .poll(() => phonePage.getByTestId('state').textContent())
      .toBe('Approved by Mia Manager');
  });

  it('delivers a pushed escalation to the PWA service worker, whose Approve action decides it', async () => {
    const origin = new URL(server.url).origin;
    await phone.context.grantPermissions(['notifications'], { origin });
    const cdp = await phone.context.newCDPSession(managerPage);
    const registrations = new Map<string, string>();
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      ({
        registrations: regs,
      }: {
        registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[];
      }) => {
        for (const r of regs) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
      },
    );
    await cdp.send('ServiceWorker.enable');
    await managerPage.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const registrationId = await until('the PWA service worker registration', async () =>
      registrations.get(`${origin}/`),
    );

    // A second escalation, pushed to the manager like the first.
    const overlay = ticketPage.locator('deskwatch-overlay');
    await overlay.getByRole('button', { name: 'Escalate' }).click();
    await overlay
      .getByPlaceholder('Why does this need escalating?')
      .fill('Still locked out after the fix');
    await overlay.getByRole('button', { name: 'Send escalation' }).click();
    await overlay.locator('[data-testid="escalation"][data-state="pending"]').waitFor();
    const body = await until('the second push', async () => pushService.pushed[1]);
    const payload = decryptPush(body);

    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId,
      data: JSON.stringify(payload),
    });
    const notification = await until('the notification', () =>
      managerPage.evaluate(async (tag) => {
        const [n] = await (await navigator.serviceWorker.ready).getNotifications({ tag });
        return n
          ? {
              title: n.title,
              body: n.body,
              actions:
                (n as Notification & { actions?: { action: string }[] }).actions?.map(
                  (a) => a.action,
                ) ?? [],
              maxActions: (Notification as unknown as { maxActions: number }).maxActions,
            }
          : null;
      }, `escalation-${payload.escalationId}`),
    );
    expect(notification.title).toBe('Escalation: Cannot log in after password reset');
    expect(notification.body).toBe('Alex Agent (Normal): Still locked out after the fix');
    if (notification.maxActions >= 2) expect(notification.actions).toEqual(['approve', 'deny']);

    // Press Approve: the worker's own notificationclick handler runs, with the notification it showed.
    const worker = phone.context.serviceWorkers().find((w) => w.url().startsWith(origin))!;
    await worker.evaluate(async (tag) => {
      const sw = self as unknown as ServiceWorkerGlobalScope;
      const [n] = await sw.registration.getNotifications({ tag });
      sw.dispatchEvent(
        new NotificationEvent('notificationclick', { notification: n!, action: 'approve' }),
      );
    }, `escalation-${payload.escalationId}`);
    const newest = overlay.getByTestId('escalation').first();
    expect(await newest.textContent()).toContain('Still locked out after the fix');
    await expect
      .poll(() => newest.getAttribute('data-state'), { timeout: 30_000 })
      .toBe('approved');
    expect(await newest.textContent()).toContain('Approved by Mia Manager');
    expect(await overlay.locator('[data-testid="escalation"][data-state="approved"]').count()).toBe(
      2,
    );
  });

  it('shows the manager what the knowledge base did, and the article formatted', async () => {
    await managerPage.goto(`${server.url}/`);
    await managerPage.getByRole('link', { name: 'KB insights' }).click();
    const cards = managerPage.getByTestId('kb-effectiveness');
    await cards.waitFor();
    // The agent linked the first suggestion to the ticket, inserted it and rated it helpful.
    expect(await cards.textContent()).toContain('Helpful 100%');
    expect(await cards.textContent()).toMatch(/Link rate \d+%/);
    const top = managerPage.getByTestId('kb-top').locator('li').first();
    expect(await top.textContent()).toBe(
      'Cannot log in after a password reset linked 1 · inserted 1 · helpful 1',
    );
    await managerPage.getByTestId('kb-gaps').waitFor({ state: 'attached' });
    // The article page formats its Markdown: headings and numbered steps, not raw marks.
    await top.getByRole('link').click();
    const body = managerPage.locator('.article-body');
    await body.locator('h2', { hasText: 'What to do' }).waitFor();
    expect(await body.locator('ol li').count()).toBe(3);
    expect(await body.textContent()).not.toContain('## ');
  });

  it('opens offline in the phone with the last data it saw', async () => {
    await managerPage.goto(`${server.url}/`);
    // Both escalations, once the app has refreshed what it showed from its cache.
    await expect.poll(() => managerPage.getByTestId('escalation-card').count()).toBe(2);
    // The app saves what it shows within a second (throttled); wait for that, not for a fixed time.
    await until('the app to save its data', () =>
      managerPage.evaluate(() =>
        localStorage.getItem('deskwatch-cache')?.includes('Still locked out after the fix'),
      ),
    );
    await phone.context.setOffline(true);
    try {
      await managerPage.reload();
      await managerPage.getByTestId('offline').waitFor();
      expect(await managerPage.getByTestId('escalation-card').count()).toBe(2);
      expect(await managerPage.getByTestId('escalation-card').first().textContent()).toContain(
        'Cannot log in after password reset',
      );
    } finally {
      await phone.context.setOffline(false);
    }
  });
});
