import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchPhone,
  requireBuilt,
  signInToApp,
  startServer,
  until,
  type ServerProcess,
} from './harness';
import { api, ticket } from './phone-helpers';
import { startPushService } from './push-service';

/**
 * The glance's other cards and a red flag on a 390x844 phone (issue #18): the manager turns on the aging-tickets rule with a
 * threshold from the flags screen, the flag is raised with its numbers, and its push reaches the
 * manager's device (a loopback push service, as in oncall-push.test.ts) and shows as a
 * notification that opens the flags.
 */

let push: Awaited<ReturnType<typeof startPushService>>;
let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;

beforeAll(async () => {
  requireBuilt();
  push = await startPushService('redflags');
  server = await startServer({ ...push.env, SEED_DEMO_HISTORY: 'false' });
  phone = await launchPhone();
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
  push?.close();
});

/** The red-flag pushes received so far, decrypted. */
const flagPushes = () =>
  push.pushed
    .map((b) => push.decrypt(b))
    .filter((plain) => (JSON.parse(plain) as { kind?: string }).kind === 'red_flag');

it('raises an aging-tickets flag set from the phone, lists its numbers and pushes it once', async () => {
  const origin = new URL(server.url).origin;
  await phone.context.grantPermissions(['notifications'], { origin });
  await api(manager, 'push.subscribe', push.subscription);
  // Three days old and still new: over a threshold of 2 days.
  await api(
    manager,
    'tickets.observe',
    ticket('aging-1', 'Monitor flickers since Monday', { ageMin: 3 * 24 * 60, priority: 'low' }),
  );

  await manager.getByRole('navigation').getByRole('link', { name: 'Metrics' }).click();
  // The other cards sit below the glance, within the phone's width.
  const more = manager.getByTestId('more-cards');
  await more.waitFor({ timeout: 30_000 });
  expect(await manager.getByTestId('card-csat').textContent()).toContain('No satisfaction ratings');
  expect(await manager.getByTestId('card-backlog-breakdown').textContent()).toMatch(/\d+ open/);
  for (const id of ['card-escalations', 'card-agents', 'card-recurring']) {
    const b = (await manager.getByTestId(id).boundingBox())!;
    expect(b.x + b.width, id).toBeLessThanOrEqual(390);
  }
  await manager.getByRole('link', { name: 'Red flags and weekly digest' }).click();
  const rules = manager.getByTestId('flag-rules');
  await rules.waitFor();
  const aging = rules.locator('fieldset').filter({ hasText: 'Aging tickets' });
  await aging.getByRole('checkbox').check();
  await aging.getByLabel('Open over days').fill('2');
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect
    .poll(async () => manager.getByRole('status').first().textContent(), { timeout: 30_000 })
    .toMatch(/Saved; 1 flag\(s\) raised now/);

  // Listed with the numbers that raised it, readable at phone width.
  const flag = manager.getByTestId('flag-list').locator('li.flag').first();
  await expect
    .poll(async () => flag.textContent(), { timeout: 30_000 })
    .toMatch(/ticket(s)? open over 2 days/);
  expect(await flag.locator('dt').allTextContents()).toEqual(['tickets', 'days', 'oldestDays']);
  expect(await flag.locator('dd').nth(1).textContent()).toBe('2');
  const box = (await flag.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);

  // Its push reaches the device, once.
  const plain = await until('the red-flag push', async () => flagPushes()[0]);
  const payload = JSON.parse(plain) as { title: string; body: string; flagId: string };
  expect(payload.title).toMatch(/^Red flag: \d+ tickets? open over 2 days$/);
  expect(payload.body).toContain('days 2');

  // Shown by the service worker as a notification.
  const cdp = await phone.context.newCDPSession(manager);
  const registrations = new Map<string, string>();
  cdp.on(
    'ServiceWorker.workerRegistrationUpdated',
    ({
      registrations: regs,
    }: {
      registrations: { registrationId: string; scopeURL: string }[];
    }) => {
      for (const r of regs) registrations.set(r.scopeURL, r.registrationId);
    },
  );
  await cdp.send('ServiceWorker.enable');
  await manager.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const registrationId = await until('the service worker registration', async () =>
    registrations.get(`${origin}/`),
  );
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: plain });
  const shown = await until('the notification', () =>
    manager.evaluate(async (title) => {
      const all = await (await navigator.serviceWorker.ready).getNotifications();
      return all.find((n) => n.title === title)?.title ?? null;
    }, payload.title),
  );
  expect(shown).toBe(payload.title);

  // Saving the same rules again raises nothing new: one push per occurrence.
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect
    .poll(async () => manager.getByRole('status').first().textContent(), { timeout: 30_000 })
    .toMatch(/Saved; 0 flag\(s\) raised now/);
  expect(flagPushes()).toHaveLength(1);
});
