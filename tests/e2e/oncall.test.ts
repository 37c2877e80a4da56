import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';
import { api, ticket } from './phone-helpers';

/**
 * The On-call screen (issue #19) at 390x844 against the built PWA and a real server: who is on
 * call now and next, my next shifts, acknowledging a page, taking a shift.
 */

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;
let agent: Page;
let escalationId = '';

beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  phone = await launchPhone();
  // The admin sets up in a context of their own (its session cookie stays there).
  const setup = await phone.browser.newContext();
  const admin = await setup.newPage();
  await signInToApp(admin, server.url, 'admin@acme.test');
  const { people } = await api<{ people: { userId: string; email: string }[] }>(
    admin,
    'people.list',
    undefined,
    'query',
  );
  const id = (email: string) => people.find((p) => p.email === email)!.userId;
  // A daily rota in UTC whose first turn (the manager's) began an hour ago; the agent is next.
  const start = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16);
  const { id: scheduleId } = await api<{ id: string }>(admin, 'oncall.saveSchedule', {
    name: 'Primary',
    timeZone: 'UTC',
    layers: [
      {
        id: 'l1',
        name: 'Daily',
        start,
        turn: 'daily',
        participants: [id('manager@acme.test'), id('agent@acme.test')],
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
  await setup.close();

  const desk = await phone.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  agent = await desk.newPage();
  await signInToApp(agent, server.url, 'agent@acme.test');
  const t = await api<{ ticket: { id: string } }>(
    agent,
    'tickets.observe',
    ticket('vpn', 'VPN down for the whole office', { ageMin: 5, priority: 'high' }),
  );
  escalationId = (
    await api<{ id: string }>(agent, 'escalations.request', {
      ticketId: t.ticket.id,
      type: 'incident',
      severity: 'critical',
      reason: 'Nobody can reach the VPN',
    })
  ).id;
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

describe('On-call screen at phone size', () => {
  it('shows who is on call now and next, and my next shifts', async () => {
    await manager.getByRole('link', { name: 'On call' }).click();
    const schedule = manager.locator('[data-testid="schedule"][data-schedule="Primary"]');
    await schedule.waitFor();
    expect(await schedule.getByTestId('on-now').textContent()).toMatch(/^Now: Mia Manager until /);
    expect(await schedule.getByTestId('on-next').textContent()).toMatch(/^Next: Alex Agent /);
    await expect
      .poll(() => manager.getByTestId('my-shift').allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/^Primary: /));
    // The demo's own two-layer schedule is there too.
    await manager.locator('[data-testid="schedule"][data-schedule="Support on call"]').waitFor();
    // Everything fits the phone's width: no sideways scrolling.
    expect(
      await manager.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
  });

  it('acknowledges the page of an escalation, which stops its path and shows on its timeline', async () => {
    // (SLA alerts of the demo tickets may page too: this one is found by its title.)
    const page = manager
      .getByTestId('page')
      .filter({ hasText: 'Escalation: VPN down for the whole office' });
    await page.waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    // Generous waits: a loaded two-core box takes seconds for a mutation and its refetch.
    await expect.poll(() => page.count(), { timeout: 15_000 }).toBe(0);
    const pages = await api<{ id: string; sourceId: string; state: string }[]>(
      manager,
      'oncall.pages',
      undefined,
      'query',
    );
    const mine = pages.find((p) => p.sourceId === escalationId)!;
    expect(mine.state).toBe('acknowledged');
    const timeline = await api<{ type: string; userName: string | null }[]>(
      manager,
      'oncall.timeline',
      { pageId: mine.id },
      'query',
    );
    expect(timeline.map((e) => `${e.type} ${e.userName}`)).toEqual([
      'notified Mia Manager',
      'acknowledged Mia Manager',
    ]);
  });

  it('lets the agent take the next hours of the schedule from the phone', async () => {
    await agent.goto(`${server.url}/`);
    await agent.getByRole('link', { name: 'On call' }).click();
    const schedule = agent.locator('[data-testid="schedule"][data-schedule="Primary"]');
    await schedule.getByTestId('on-now').waitFor();
    expect(await schedule.getByTestId('on-now').textContent()).toMatch(/^Now: Mia Manager/);
    await schedule.getByRole('button', { name: 'Take the next 4 hours' }).click();
    await expect
      .poll(() => schedule.getByTestId('on-now').textContent(), { timeout: 15_000 })
      .toMatch(/^Now: Alex Agent until /);
    expect(await agent.getByTestId('my-shift').first().textContent()).toContain('(taken over)');
  });
});
