import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchPhone,
  requireBuilt,
  ROOT,
  signInToApp,
  startServer,
  until,
  type ServerProcess,
} from './harness';
import { api } from './phone-helpers';
import { startPushService } from './push-service';

/**
 * A ticket nobody opened (issue #16): known only from GitLab's webhook, posted to the server on
 * loopback as GitLab sends it, it gets its first-response warning pushed to the manager's phone
 * at the warning's instant (from GitLab's creation time), neither before nor late.
 */

const SECRET = 'gitlab-secret-token-e2e';
const MIN = 60_000;
let push: Awaited<ReturnType<typeof startPushService>>;
let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;
let admin: Page;

beforeAll(async () => {
  requireBuilt();
  push = await startPushService('connector');
  server = await startServer({
    ...push.env,
    SEED_DEMO_HISTORY: 'false',
    CONNECTOR_SECRET_KEY: 'e2e-connector-key-0123456789abcdef0123',
  });
  phone = await launchPhone();
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
  admin = await (await phone.browser.newContext()).newPage();
  await signInToApp(admin, server.url, 'admin@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
  push?.close();
});

/** GitLab's time format: `2026-03-27 08:40:00 UTC`. */
const gitlabTime = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

it('pushes the warning of a webhook-only ticket to the phone at its instant', async () => {
  await phone.context.grantPermissions(['notifications'], { origin: new URL(server.url).origin });
  await api(manager, 'push.subscribe', push.subscription);
  // First response for high priority: 60 min, so the 50% warning falls 30 min after creation.
  await api(admin, 'sla.savePolicies', {
    policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
  });
  const { id } = await api<{ id: string }>(admin, 'connectors.create', {
    tool: 'gitlab',
    name: 'Acme GitLab',
    config: {},
    webhookSecret: SECRET,
  });

  // GitLab's own example "issue opened" (high priority label), created 29.5 min ago by GitLab's
  // clock: the warning is due 30 s from now.
  const createdAt = Date.now() - 29.5 * MIN;
  const warnAt = createdAt + 30 * MIN;
  const fixture = JSON.parse(
    readFileSync(join(ROOT, 'server/src/connectors/fixtures/gitlab/issue-open.json'), 'utf8'),
  ) as { object_attributes: Record<string, unknown> };
  fixture.object_attributes.created_at = gitlabTime(createdAt);
  fixture.object_attributes.updated_at = gitlabTime(createdAt);
  const res = await fetch(`${server.url}/hooks/${id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Issue Hook',
      'x-gitlab-event-uuid': `e2e-${createdAt}`,
      'x-gitlab-token': SECRET,
    },
    body: JSON.stringify(fixture),
  });
  expect(res.status).toBe(200);

  const body = await until(
    'the warning pushed to the manager',
    async () => push.pushed[0],
    120_000,
  );
  const arrived = push.arrivals[0]!;
  // Not before its instant, and within the minute the design allows.
  expect(arrived).toBeGreaterThanOrEqual(warnAt - 1_000);
  expect(arrived).toBeLessThan(warnAt + MIN);
  const payload = JSON.parse(push.decrypt(body)) as { title: string; body?: string };
  expect(`${payload.title} ${payload.body ?? ''}`).toContain('Widget crashes on save');
}, 180_000);
