import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';
import { api, screenshotPath, ticket } from './phone-helpers';

let server: ServerProcess;
let phone: { browser: Browser; context: BrowserContext };
beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SCHEDULER: 'off' });
  phone = await launchPhone();
});
afterAll(async () => {
  await phone?.browser.close();
  await server?.stop();
});

const MIN = 60_000;
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Deskwatch e2e//EN',
  'BEGIN:VEVENT',
  'UID:new-year@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20270101',
  'RRULE:FREQ=YEARLY',
  "SUMMARY:New Year's Day",
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:kings-day@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260427',
  'DTEND;VALUE=DATE:20260428',
  "SUMMARY:King's Day",
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

interface TicketView {
  sla: { targets: { metric: string; dueAt: number | null }[] };
}
const firstResponseDue = async (page: Page, ticketId: string) =>
  (await api<TicketView>(page, 'tickets.get', { ticketId }, 'query')).sla.targets.find(
    (t) => t.metric === 'first_response',
  )!.dueAt;

it("changes an open ticket's first-response due time and time left once a new policy is saved", async () => {
  const page = await phone.context.newPage();
  await signInToApp(page, server.url, 'admin@acme.test');

  // An open high-priority ticket, 10 minutes old, no reply: the Standard policy's 60 business
  // minutes run on the demo calendar.
  const createdAt = Date.now() - 10 * MIN;
  const t = await api<{ ticket: { id: string } }>(
    page,
    'tickets.observe',
    ticket('policy-change', 'VPN drops every hour', { createdAt, priority: 'high' }),
  );
  const esc = await api<{ id: string }>(page, 'escalations.request', {
    ticketId: t.ticket.id,
    type: 'tier2',
    severity: 'high',
    reason: 'Needs the network team.',
  });
  const dueBefore = await firstResponseDue(page, t.ticket.id);
  expect(dueBefore).not.toBeNull();

  const timer = page.locator('[data-testid="sla-timer"][data-metric="first_response"]');
  const dueShown = (at: number) =>
    page.evaluate(
      (at) =>
        `due ${new Date(at).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`,
      at,
    );
  await page.goto(`${server.url}/escalations/${esc.id}`);
  await timer.getByTestId('due').waitFor({ timeout: 30_000 });
  expect(await timer.getByTestId('due').textContent()).toBe(await dueShown(dueBefore!));

  // The calendar form, with holidays from a file previewed before they are added (screenshot).
  await page.goto(`${server.url}/settings/sla`);
  await page.getByRole('button', { name: 'New calendar' }).click();
  await page.getByLabel('Calendar name').fill('Amsterdam office');
  await page.getByLabel('Time zone').fill('Europe/Amsterdam');
  await page.getByLabel('Import holidays from an iCalendar file (.ics)').setInputFiles({
    name: 'holidays.ics',
    mimeType: 'text/calendar',
    buffer: Buffer.from(ICS),
  });
  const preview = page.getByTestId('ical-preview');
  await preview.waitFor();
  expect(await preview.locator('li').allTextContents()).toEqual([
    "every year on 01-01: New Year's Day",
    "2026-04-27: King's Day",
  ]);
  await preview.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('admin-sla-calendar') });
  await preview.getByRole('button', { name: 'Add these 2 holidays' }).click();
  expect(await page.getByLabel('Holiday 1 every year on (MM-DD)').inputValue()).toBe('01-01');
  expect(await page.getByLabel('Holiday 2 date').inputValue()).toBe('2026-04-27');
  expect(await preview.count()).toBe(0);

  // The policy: first response for high priority in 4 h of calendar time, what-if, save.
  const policy = page.getByTestId('policy').first();
  await policy.getByLabel('First response high', { exact: true }).fill('240');
  await policy.getByLabel('Clock of first response high').selectOption('calendar');
  await page.getByRole('button', { name: 'What if?' }).last().click();
  const whatIf = page.getByTestId('what-if');
  await whatIf.waitFor();
  expect(await whatIf.locator('p').textContent()).toMatch(
    /^Had this applied over the last 30 days \(\d+ tickets\): compliance/,
  );
  // The policy's last targets, its buttons and the what-if's verdict in one screen.
  await page
    .getByRole('button', { name: 'Save policies' })
    .evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('admin-sla-policy') });
  await page.getByRole('button', { name: 'Save policies' }).click();
  await page.getByText(/^Saved; [1-9]\d* open tickets recomputed\./).waitFor();

  // The open ticket was recomputed: due exactly 240 minutes after creation, shown so in the app.
  const dueAfter = await firstResponseDue(page, t.ticket.id);
  expect(dueAfter).toBe(Date.parse(new Date(createdAt).toISOString()) + 240 * MIN);
  expect(dueAfter).not.toBe(dueBefore);
  await page.goto(`${server.url}/escalations/${esc.id}`);
  await timer.getByTestId('due').waitFor({ timeout: 30_000 });
  expect(await timer.getByTestId('due').textContent()).toBe(await dueShown(dueAfter!));
  expect(await timer.getByTestId('due').textContent()).not.toBe(await dueShown(dueBefore!));
  // Time left on the wall clock: under 230 minutes (10 were gone at creation), not by much.
  const left = (await timer.locator('strong').textContent())!;
  const m = left.match(/^(\d+)h (\d\d)m left$/);
  expect(m, left).not.toBeNull();
  const minutesLeft = Number(m![1]) * 60 + Number(m![2]);
  expect(minutesLeft).toBeLessThan(230);
  expect(minutesLeft).toBeGreaterThan(230 - (Date.now() - createdAt - 10 * MIN) / MIN - 2);
});
