import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';
import { api } from './phone-helpers';

/**
 * The schedule editor and shift changes (issue #19) at 390x844 against the built PWA and a real
 * server: a manager creates and edits a schedule from the phone (a rejected save writes
 * nothing), and an agent asks someone to cover their shift.
 */

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;
let agent: Page;
let scheduleId = '';

type ScheduleView = {
  id: string;
  name: string;
  layers: { turn: unknown; participants: string[] }[];
};
const schedules = (page: Page) => api<ScheduleView[]>(page, 'oncall.schedules', undefined, 'query');
const fitsPhone = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  phone = await launchPhone();
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
  const desk = await phone.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  agent = await desk.newPage();
  await signInToApp(agent, server.url, 'agent@acme.test');
}, 120_000);

afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

describe('schedule editor at phone size', () => {
  it('refuses a schedule without participants, saving nothing, then saves it once complete', async () => {
    await manager.getByRole('link', { name: 'On call' }).click();
    await manager.getByRole('link', { name: 'New schedule' }).click();
    await manager.getByLabel('Name', { exact: true }).fill('Weekend rota');
    await manager.getByLabel('Time zone').selectOption('Europe/Amsterdam');
    await manager.getByLabel('Layer 1 rotation').selectOption('daily');
    // Yesterday 09:00 local: the rota is under way.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await manager.getByLabel('Layer 1 first handoff (local time)').fill(`${yesterday}T09:00`);
    const before = (await schedules(manager)).length;

    await manager.getByRole('button', { name: 'Save schedule' }).click();
    const issues = manager.getByTestId('schedule-issues');
    await issues.waitFor();
    expect(await issues.textContent()).toMatch(/Layer 1, participants/);
    expect((await schedules(manager)).length).toBe(before);

    const add = manager.getByLabel('Add to layer 1');
    await add.selectOption({ label: 'Mia Manager' });
    await add.selectOption({ label: 'Alex Agent' });
    // Participants in order: Alex first.
    await manager.getByRole('button', { name: 'Move Alex Agent up in layer 1' }).click();
    expect(
      await manager.getByTestId('participants').locator('li > span').allTextContents(),
    ).toEqual(['Alex Agent', 'Mia Manager']);
    // Only weekdays 09:00-17:00 (the default window), on phones too.
    await manager.getByRole('button', { name: 'Add a window to layer 1' }).click();
    await manager.getByTestId('window').waitFor();
    expect(await fitsPhone(manager)).toBe(true);

    await manager.getByRole('button', { name: 'Save schedule' }).click();
    await manager.getByRole('heading', { name: 'Weekend rota' }).waitFor();
    const saved = (await schedules(manager)).find((s) => s.name === 'Weekend rota')!;
    scheduleId = saved.id;
    expect(saved.layers[0]).toMatchObject({ turn: 'daily' });
    expect(saved.layers[0]!.participants).toHaveLength(2);
    await manager.getByTestId('shift').first().waitFor();
    expect(await fitsPhone(manager)).toBe(true);
  });

  it('edits the schedule: a weekly rotation, without the window', async () => {
    await manager.getByRole('link', { name: 'Edit schedule' }).click();
    await manager.getByLabel('Layer 1 rotation').selectOption('weekly');
    await manager.getByRole('button', { name: 'Remove window 1' }).click();
    // A rejected edit (an empty name) changes nothing on the server.
    await manager.getByLabel('Name', { exact: true }).fill('');
    await manager.getByRole('button', { name: 'Save schedule' }).click();
    await manager.getByTestId('schedule-issues').waitFor();
    expect((await schedules(manager)).find((s) => s.id === scheduleId)?.layers[0]).toMatchObject({
      turn: 'daily',
    });
    await manager.getByLabel('Name', { exact: true }).fill('Weekend rota');
    await manager.getByRole('button', { name: 'Save schedule' }).click();
    await manager.getByRole('link', { name: 'Edit schedule' }).waitFor();
    await expect
      .poll(async () => (await schedules(manager)).find((s) => s.id === scheduleId)?.layers[0])
      .toMatchObject({ turn: 'weekly', restrictions: [] });
  });
});

describe('shift changes from the phone', () => {
  it('lets the agent ask someone to cover their own shift, and shows the override', async () => {
    await agent.goto(`${server.url}/oncall/schedules/${scheduleId}`);
    const mine = agent.getByTestId('shift').filter({ hasText: 'Alex Agent' }).first();
    await mine.waitFor();
    // Not someone else's: Mia's shifts have no Cover button for the agent.
    const hers = agent.getByTestId('shift').filter({ hasText: 'Mia Manager' }).first();
    expect(await hers.getByRole('button', { name: 'Cover…' }).count()).toBe(0);
    await mine.getByRole('button', { name: 'Cover…' }).click();
    await mine.getByLabel('Who covers this shift').selectOption({ label: 'Ada Admin' });
    await mine.getByRole('button', { name: 'Confirm cover' }).click();
    const override = agent.getByTestId('override').filter({ hasText: 'Ada Admin' });
    await override.waitFor();
    expect(await override.textContent()).toContain('(by Alex Agent)');
    await agent.getByTestId('shift').filter({ hasText: 'Ada Admin' }).first().waitFor();
    expect(await fitsPhone(agent)).toBe(true);
  });

  it('shows the agent their own device status and a calendar address', async () => {
    await agent.goto(`${server.url}/oncall`);
    await agent.getByRole('button', { name: 'Make a calendar address' }).click();
    const url = await agent.getByTestId('feed-url').textContent();
    expect(url).toMatch(/\/ical\/[A-Za-z0-9_-]{20,}\.ics$/);
    const ics = await agent.evaluate(async (u) => (await fetch(u)).text(), url!);
    expect(ics).toContain('BEGIN:VCALENDAR');
    await agent.getByRole('link', { name: 'My devices' }).click();
    await agent.getByRole('heading', { name: 'My devices' }).waitFor();
  });
});
