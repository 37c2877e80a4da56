import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';
import { api } from './phone-helpers';

/**
 * Escalation paths, their conditions, routes, automatic rules and quiet hours as forms (issue
 * #19), at 390x844 against the built PWA and a real server.
 */

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;

const fits = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  phone = await launchPhone();
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

describe('escalation path forms at phone size', () => {
  it('saves a path that pages only in its own office hours, with a second level', async () => {
    await manager.goto(`${server.url}/oncall/paths`);
    const form = manager.getByTestId('path-form');
    await form.waitFor();
    await form.getByLabel('Name').fill('Office hours');
    await form.getByRole('button', { name: 'Add level' }).click();
    await expect.poll(() => form.getByTestId('path-level').count(), { timeout: 15_000 }).toBe(2);
    await form.getByLabel('Only at certain hours').check();
    await form.getByRole('textbox', { name: 'Time zone' }).fill('Europe/Amsterdam');
    // A zone that does not exist is refused before anything is sent.
    await form.getByRole('textbox', { name: 'Time zone' }).fill('Mars/Olympus');
    await expect
      .poll(() => form.getByRole('button', { name: 'Save path' }).isDisabled(), {
        timeout: 15_000,
      })
      .toBe(true);
    await form.getByRole('textbox', { name: 'Time zone' }).fill('Europe/Amsterdam');
    await form.getByLabel('high', { exact: true }).first().check(); // urgency high only
    await form.getByRole('button', { name: 'Save path' }).click();
    await manager.getByText('Path saved.').waitFor({ timeout: 30_000 });
    expect(await fits(manager)).toBe(true);

    const paths = await api<
      { name: string; levels: unknown[]; conditions: { urgencies?: string[]; hours?: unknown } }[]
    >(manager, 'oncall.paths', undefined, 'query');
    const saved = paths.find((p) => p.name === 'Office hours')!;
    expect(saved.levels).toHaveLength(2);
    expect(saved.conditions).toEqual({
      urgencies: ['high'],
      hours: {
        timeZone: 'Europe/Amsterdam',
        windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
        during: 'inside',
      },
    });
  });

  it('routes incidents to that path and saves an automatic rule', async () => {
    const routes = manager.getByTestId('routes-form');
    await routes.getByRole('button', { name: 'Add route' }).click();
    const route = routes.getByTestId('route').first();
    await route.getByLabel('incident').check();
    await route.getByLabel('Path').selectOption({ label: 'Office hours' });
    await routes.getByRole('button', { name: 'Save routes' }).click();
    await routes.getByText('Routes saved.').waitFor({ timeout: 30_000 });

    const rule = manager.getByTestId('rule-form').last();
    await rule.getByLabel('Name').fill('Stale for two days');
    await rule.getByRole('spinbutton').fill('48');
    await rule.getByRole('button', { name: 'Save rule' }).click();
    await expect
      .poll(
        async () =>
          (await api<{ name: string }[]>(manager, 'oncall.autoRules', undefined, 'query')).map(
            (r) => r.name,
          ),
        { timeout: 30_000 },
      )
      .toEqual(['Stale for two days']);
    const saved = await api<{ match: unknown }[]>(manager, 'oncall.routes', undefined, 'query');
    expect(saved.map((r) => r.match)).toEqual([{ escalationTypes: ['incident'] }]);
    expect(await fits(manager)).toBe(true);
  });

  it('sets my quiet hours', async () => {
    await manager.goto(`${server.url}/oncall/quiet-hours`);
    const form = manager.getByTestId('quiet-hours-form');
    await form.waitFor();
    await form.getByLabel('I have quiet hours').check();
    await form.getByRole('textbox', { name: 'Time zone' }).fill('America/New_York');
    await form.getByRole('button', { name: 'Save quiet hours' }).click();
    await form.getByText('Quiet hours saved.').waitFor({ timeout: 30_000 });
    const { quietHours } = await api<{ quietHours: { timeZone: string } | null }>(
      manager,
      'oncall.quietHours',
      undefined,
      'query',
    );
    expect(quietHours?.timeZone).toBe('America/New_York');
    expect(await fits(manager)).toBe(true);
  });

  it('sets how long before my shifts I am reminded, refusing a lead over a day', async () => {
    await manager.goto(`${server.url}/oncall/quiet-hours`);
    const form = manager.getByTestId('shift-reminder-form');
    const lead = form.getByRole('spinbutton', { name: /minutes before each of my shifts/ });
    await lead.waitFor();
    expect(await lead.inputValue()).toBe('60');
    await lead.fill('2000');
    await form.getByText('at most 1,440 minutes (a day)').waitFor();
    expect(await form.getByRole('button', { name: 'Save reminder' }).isDisabled()).toBe(true);
    await lead.fill('30');
    await form.getByRole('button', { name: 'Save reminder' }).click();
    await form.getByText('Reminder saved.').waitFor({ timeout: 30_000 });
    expect(await api(manager, 'shifts.reminder', undefined, 'query')).toEqual({ leadMinutes: 30 });
    expect(await fits(manager)).toBe(true);
  });
});
