import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pagePushPayload } from '@deskwatch/shared';
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
 * An SLA warning paged down the default path reaches the on-call manager's phone as a
 * notification whose Acknowledge button (the service worker's own notificationclick handler)
 * stops the page (issue #19). Pushes go to a loopback push service, as in loop.test.ts.
 */

let push: Awaited<ReturnType<typeof startPushService>>;
let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;

beforeAll(async () => {
  requireBuilt();
  push = await startPushService('oncall');
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

it("acknowledges an SLA page from the notification's button, which stops the path", async () => {
  const origin = new URL(server.url).origin;
  await phone.context.grantPermissions(['notifications'], { origin });
  await api(manager, 'push.subscribe', push.subscription);
  // The manager alone is on call, on a default path: the on-call person, then the admins.
  const admin = await (await phone.browser.newContext()).newPage();
  await signInToApp(admin, server.url, 'admin@acme.test');
  const { people } = await api<{ people: { userId: string; email: string }[] }>(
    admin,
    'people.list',
    undefined,
    'query',
  );
  const managerId = people.find((p) => p.email === 'manager@acme.test')!.userId;
  const { id: scheduleId } = await api<{ id: string }>(admin, 'oncall.saveSchedule', {
    name: 'Manager only',
    timeZone: 'UTC',
    layers: [
      {
        id: 'l1',
        name: 'Always',
        start: '2026-01-05T00:00',
        turn: 'weekly',
        participants: [managerId],
      },
    ],
  });
  await api(admin, 'oncall.savePath', {
    name: 'Default',
    isDefault: true,
    levels: [
      { targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 },
      { targets: [{ kind: 'role', role: 'admin' }], timeoutMinutes: 10 },
    ],
  });
  // High priority, 40 min old: its first response (60 min) is past the 50% warning at once.
  await api(admin, 'tickets.observe', ticket('slow', 'Printer queue stuck', { ageMin: 40 }));

  const body = await until('the page pushed to the manager', async () => push.pushed[0]);
  const plain = push.decrypt(body);
  const payload = pagePushPayload.parse(JSON.parse(plain));
  expect(payload.title).toContain('Printer queue stuck');

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
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin,
    registrationId,
    data: plain,
  });
  const tag = `page-${payload.pageId}`;
  const shown = await until('the notification', () =>
    manager.evaluate(async (tag) => {
      const [n] = await (await navigator.serviceWorker.ready).getNotifications({ tag });
      return n ? { title: n.title } : null;
    }, tag),
  );
  expect(shown.title).toBe(payload.title);

  // Press Acknowledge: the worker's own notificationclick handler runs.
  const worker = phone.context.serviceWorkers().find((w) => w.url().startsWith(origin))!;
  await worker.evaluate(async (tag) => {
    const sw = self as unknown as ServiceWorkerGlobalScope;
    const [n] = await sw.registration.getNotifications({ tag });
    sw.dispatchEvent(
      new NotificationEvent('notificationclick', { notification: n!, action: 'acknowledge' }),
    );
  }, tag);
  await expect
    .poll(
      async () =>
        (
          await api<{ id: string; state: string; acknowledgedBy: string | null }[]>(
            manager,
            'oncall.pages',
            undefined,
            'query',
          )
        ).find((p) => p.id === payload.pageId),
      { timeout: 30_000 },
    )
    .toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Mia Manager' });
});
