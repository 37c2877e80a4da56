import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@deskwatch/server';
import {
  freePort,
  launchPhone,
  launchWithExtension,
  pairExtension,
  parseRemaining,
  remainingBounds,
  requireBuilt,
  ROOT,
  script,
  signInToApp,
  startServer,
  type ServerProcess,
} from './harness';

/**
 * A real ticketing tool: Redmine 5 from Debian's packages under Puma on loopback (tests/redmine/),
 * with seeded issues whose creation times are known, and the built extension in Chromium
 * showing the right timers on its issue pages.
 */
interface SeededIssue {
  key: string;
  id: number;
  url: string;
  created: string;
  status: string;
  priority: string;
}

const HARNESS = join(ROOT, 'tests/redmine');
const state = mkdtempSync(join(tmpdir(), 'deskwatch-redmine-'));
const env = {
  REDMINE_STATE_DIR: state,
  REDMINE_INSTANCE: `deskwatch${process.pid}`,
  REDMINE_TIMEZONE: 'UTC',
  // An upper bound for a loaded machine: Rails boots in seconds on an idle one.
  REDMINE_START_TIMEOUT: '600',
};
let issues: Map<string, SeededIssue>;
let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
let redmineBase: string;

beforeAll(async () => {
  requireBuilt();
  const PORT = String(await freePort());
  await script(join(HARNESS, 'start.sh'), [PORT], env);
  const seeded = JSON.parse(await script(join(HARNESS, 'seed.sh'), [PORT], env)) as {
    baseUrl: string;
    issues: SeededIssue[];
  };
  redmineBase = seeded.baseUrl;
  issues = new Map(seeded.issues.map((i) => [i.key, i]));
  server = await startServer({ SCHEDULER: 'off' });
  // The Redmine users see times in UTC; so does this browser, as an agent's would match their Redmine profile.
  ext = await launchWithExtension({ timezoneId: 'UTC' });
  // Redmine marks no one as staff: the workspace's agent list says who is. The admin gives the
  // names the agents go by in Redmine (its admin changes statuses) before the extension pairs.
  const admin = await ext.context.newPage();
  await signInToApp(admin, server.url, 'admin@acme.test');
  await admin.goto(`${server.url}/settings/agents`);
  const alex = admin.locator('[data-testid="agent"][data-email="agent@acme.test"]');
  for (const [i, name] of ['Alice Agent', 'Bob Builder', 'Redmine Admin'].entries()) {
    await alex.getByRole('button', { name: /^Add an alias of / }).click();
    await alex.getByLabel(new RegExp(`^Tool of alias ${i + 1} of `)).fill('redmine');
    await alex.getByLabel(new RegExp(`^Name of alias ${i + 1} of `)).fill(name);
  }
  await alex.getByRole('button', { name: 'Save aliases' }).click();
  await alex.getByRole('status').getByText('Saved.').waitFor();
  // Signed out, so that the agent signs in next in this browser.
  await admin.goto(`${server.url}/settings`);
  await admin.getByRole('button', { name: 'Sign out' }).click();
  await admin.getByLabel('Email').waitFor();
  await admin.close();
  const options = await pairExtension(
    ext.context,
    ext.extensionId,
    server.url,
    'agent@acme.test',
    DEMO_PASSWORD,
  );
  await options.getByLabel('Site address').fill(`${redmineBase}/issues/1`);
  await options.getByRole('button', { name: 'Enable on this site' }).click();
  await options.getByTestId('sites').getByText('http://127.0.0.1/*').waitFor();
  await options.close();
}, 600_000);

afterAll(async () => {
  await ext?.close();
  await server?.stop();
  await script(join(HARNESS, 'stop.sh'), ['--purge'], env).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
});

async function openIssue(page: Page, key: string) {
  const issue = issues.get(key)!;
  await page.goto(issue.url);
  if (page.url().includes('/login')) {
    await page.locator('#username').fill('alice');
    await page.locator('#password').fill('password');
    await page.locator('#login-submit').click();
    await page.waitForURL(issue.url);
  }
  return issue;
}

/** The Deskwatch server's tRPC over HTTP, signed in as `email`, as the app calls it. */
async function api(email: string) {
  const res = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const headers = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1', cookie };
  return {
    async query(procedure: string, input: unknown) {
      const r = await fetch(
        `${server.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers },
      );
      expect(r.status).toBe(200);
      return ((await r.json()) as { result: { data: unknown } }).result.data;
    },
    async mutate(procedure: string, input: unknown) {
      const r = await fetch(`${server.url}/trpc/${procedure}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input),
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { result: { data: unknown } }).result.data;
    },
  };
}

/** Sets a Redmine user's language preference through Redmine's REST API (admin). */
async function redmineLanguage(login: string, language: string) {
  const auth = { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` };
  const users = (await (
    await fetch(`${redmineBase}/users.json?limit=100`, { headers: auth })
  ).json()) as {
    users: { id: number; login: string }[];
  };
  const id = users.users.find((u) => u.login === login)!.id;
  const r = await fetch(`${redmineBase}/users/${id}.json`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { language } }),
  });
  expect(r.status).toBeLessThan(300);
}

// Runs first, so the issue it opens has never been seen by anyone.
describe('Redmine seen from another zone', () => {
  let ny: Awaited<ReturnType<typeof launchWithExtension>>;
  beforeAll(async () => {
    // Redmine's profiles show UTC; this agent's browser is in New York.
    ny = await launchWithExtension({ timezoneId: 'America/New_York' });
    const options = await pairExtension(
      ny.context,
      ny.extensionId,
      server.url,
      'agent@acme.test',
      DEMO_PASSWORD,
    );
    await options.getByLabel('Site address').fill(`${redmineBase}/issues/1`);
    await options.getByRole('button', { name: 'Enable on this site' }).click();
    await options.getByTestId('sites').getByText('http://127.0.0.1/*').waitFor();
    await options.close();
  }, 600_000);
  afterAll(async () => {
    await ny?.close();
  });

  it('reports times off by 5 h and stores nothing, then reads right once the workspace sets the zone', async () => {
    const agent = await api('agent@acme.test');
    const page = await ny.context.newPage();
    const issue = await openIssue(page, 'support-normal-new');
    const trouble = page.locator('deskwatch-overlay [data-trouble="times"]');
    await trouble.waitFor({ timeout: 15_000 });
    expect(await trouble.textContent()).toMatch(
      /The Redmine adapter needs attention: times off by 5 h \(created: /,
    );
    // Nothing reached the server for this issue.
    expect(
      await agent.query('tickets.badges', { source: 'redmine', externalIds: [String(issue.id)] }),
    ).toEqual([]);

    // The admin says, in the app, which zone the tool shows; the same browser now reads right.
    const phone = await launchPhone();
    const app = await phone.context.newPage();
    await signInToApp(app, server.url, 'admin@acme.test');
    await app.goto(`${server.url}/settings/adapters`);
    const dates = app.getByTestId('tool-dates');
    await dates.getByLabel('Adapter id').fill('redmine');
    await dates.getByLabel('Time zone').selectOption('UTC');
    await dates.getByRole('button', { name: 'Save dates' }).click();
    await dates.getByTestId('tool-dates-row').getByText('UTC').waitFor();
    await phone.browser.close();
    const admin = await api('admin@acme.test');
    await page.reload();
    const fr = page.locator('deskwatch-overlay [data-metric="first_response"]');
    await fr.waitFor({ timeout: 15_000 });
    expect(Number(await fr.getAttribute('data-due'))).toBe(
      Date.parse(issue.created) + 240 * 60_000,
    );
    await admin.mutate('adapters.setValues', {
      tool: 'redmine',
      values: { status: {}, priority: {} },
    });
    await page.close();
  });
});

describe('Redmine in German and French', () => {
  afterAll(async () => {
    await redmineLanguage('alice', 'en').catch(() => undefined);
  });

  it.each([
    ['de', /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/],
    ['fr', /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/],
  ])('reads the times of an issue shown in %s', async (language, shape) => {
    await redmineLanguage('alice', language);
    const page = await ext.context.newPage();
    const issue = await openIssue(page, 'incident-urgent-inprogress'); // Alice replied 10 min after creation
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(
      await page.locator('div.issue.details p.author a[title]').first().getAttribute('title'),
    ).toMatch(shape);
    const fr = page.locator('deskwatch-overlay [data-metric="first_response"]');
    await fr.waitFor({ timeout: 15_000 });
    expect(await fr.getAttribute('data-status')).toBe('met');
    expect(await fr.getByTestId('remaining').textContent()).toBe('took 10m 00s');
    expect(
      Number(
        await page.locator('deskwatch-overlay [data-metric="resolution"]').getAttribute('data-due'),
      ),
    ).toBe(Date.parse(issue.created) + 240 * 60_000);
    await page.close();
  });
});

describe('Redmine', () => {
  it('shows the first-response timer of a new issue from its real creation time', async () => {
    const page = await ext.context.newPage();
    const opened = Date.now();
    const issue = await openIssue(page, 'support-normal-new'); // Normal: first response 240 min, resolution 1440 min
    const fr = page.locator('deskwatch-overlay [data-metric="first_response"]');
    await fr.waitFor({ timeout: 15_000 });
    const created = Date.parse(issue.created);
    expect(Number(await fr.getAttribute('data-due'))).toBe(created + 240 * 60_000);
    expect(await fr.getAttribute('data-status')).toBe('running');
    const shown = parseRemaining((await fr.getByTestId('remaining').textContent())!);
    const { min, max } = remainingBounds(created + 240 * 60_000, opened, Date.now());
    expect(shown).toBeGreaterThanOrEqual(min);
    expect(shown).toBeLessThanOrEqual(max);
    expect(
      Number(
        await page.locator('deskwatch-overlay [data-metric="resolution"]').getAttribute('data-due'),
      ),
    ).toBe(created + 1440 * 60_000);

    // The KB panel answers the issue from its subject and description (the author's words).
    const first = page.locator('deskwatch-overlay [data-testid="kb-panel"] .kb-list li').first();
    await first.waitFor({ timeout: 10_000 });
    expect(await first.locator('.kb-article').textContent()).toBe('Reset your password');
    expect(await first.locator('[data-testid="kb-snippet"] mark').count()).toBeGreaterThan(0);
    // "Insert in reply" writes into Redmine's own notes box.
    await first.getByRole('button', { name: 'Insert in reply' }).click();
    expect(await page.locator('#issue_notes').inputValue()).toMatch(/^Reset your password: http/);
    await page.close();
  });

  it('counts an agent note as the first response and keeps the resolution clock running', async () => {
    const page = await ext.context.newPage();
    const issue = await openIssue(page, 'incident-urgent-inprogress'); // Urgent; Alice replied 10 min after creation
    const fr = page.locator('deskwatch-overlay [data-metric="first_response"]');
    await fr.waitFor({ timeout: 15_000 });
    expect(await fr.getAttribute('data-status')).toBe('met');
    expect(await fr.getByTestId('remaining').textContent()).toBe('took 10m 00s');
    const res = page.locator('deskwatch-overlay [data-metric="resolution"]');
    expect(await res.getAttribute('data-status')).toBe('running');
    expect(Number(await res.getAttribute('data-due'))).toBe(
      Date.parse(issue.created) + 240 * 60_000,
    );
    await page.close();
  });

  it("counts another customer's note as the customer's: no agent answered, first response runs", async () => {
    const page = await ext.context.newPage();
    const issue = await openIssue(page, 'support-normal-second-customer'); // Normal: 240 min; Frank wrote 20 min after Dana opened it
    const fr = page.locator('deskwatch-overlay [data-metric="first_response"]');
    await fr.waitFor({ timeout: 15_000 });
    expect(await fr.getAttribute('data-status')).toBe('running');
    expect(Number(await fr.getAttribute('data-due'))).toBe(
      Date.parse(issue.created) + 240 * 60_000,
    );
    await page.close();
  });

  it("takes a closed issue's resolution from its status history, and shows nothing on pages that are not issues", async () => {
    const page = await ext.context.newPage();
    await openIssue(page, 'support-immediate-closed'); // Immediate (urgent: 240 min), created 5 h ago, closed 1 h ago
    const res = page.locator('deskwatch-overlay [data-metric="resolution"]');
    await res.waitFor({ timeout: 15_000 });
    // Closed exactly at its due instant, as the history shows, even though first seen an hour later.
    expect(await res.getAttribute('data-status')).toBe('met');
    expect(await res.getByTestId('remaining').textContent()).toBe('took 4h 00m 00s');
    await page.goto(`${redmineBase}/projects/support/issues`);
    await page.locator('table.issues').waitFor();
    expect(await page.locator('deskwatch-overlay').count()).toBe(0);
    await page.close();
  });
});
