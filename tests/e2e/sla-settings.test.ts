import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchPhone, requireBuilt, signInToApp, startServer, type ServerProcess } from './harness';

let server: ServerProcess;
let browser: { browser: Browser; context: BrowserContext };
beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SCHEDULER: 'off' });
  browser = await launchPhone();
});
afterAll(async () => {
  await browser?.browser.close();
  await server?.stop();
});

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Deskwatch e2e//EN',
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

async function newContext(viewport: 'phone' | 'desktop') {
  if (viewport === 'phone') return browser.context;
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
  onTestFinished(() => context.close());
  return context;
}

describe.each(['phone', 'desktop'] as const)(
  'SLA settings by clicking only, on a %s',
  (viewport) => {
    it('sets hours with a night shift and holidays, sees the linter inline, runs a what-if and saves; a bad save changes nothing', async () => {
      const page = await (await newContext(viewport)).newPage();
      onTestFinished(() => page.close());
      await signInToApp(page, server.url, 'admin@acme.test');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'SLA calendars and policies' }).click();
      const name = `Night desk ${viewport}`;

      // A calendar: Mon-Fri 09:00-12:00 and 13:30-18:00, a Saturday night shift, holidays.
      await page.getByRole('button', { name: 'New calendar' }).click();
      await page.getByLabel('Calendar name').fill(name);
      await page.getByLabel('Time zone').fill('Europe/Amsterdam');
      for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
        await page.getByLabel(`${day} opening 1 ends`).fill('12:00');
        await page.getByRole('button', { name: `Add opening on ${day}` }).click();
        await page.getByLabel(`${day} opening 2 starts`).fill('13:30');
        await page.getByLabel(`${day} opening 2 ends`).fill('18:00');
      }
      const saturday = page.getByTestId('day-sat');
      await page.getByRole('button', { name: 'Add opening on Saturday' }).click();
      await page.getByLabel('Saturday opening 1 starts').fill('17:00');
      await page.getByLabel('Saturday opening 1 ends').fill('09:00');
      // The linter asks, next to the opening, as one types.
      await expect
        .poll(() => saturday.locator('.field-message').first().textContent())
        .toBe(
          `Calendar "${name}": Saturday 17:00-09:00 runs overnight for 16 h; did you mean 09:00-17:00?`,
        );
      await page.getByLabel('Saturday opening 1 starts').fill('22:00');
      await page.getByLabel('Saturday opening 1 ends').fill('06:00');
      await expect
        .poll(() => saturday.locator('.overnight').textContent())
        .toBe('overnight, until 06:00 the next day');
      expect(await saturday.locator('.field-message').first().textContent()).toBe('');

      await page.getByRole('button', { name: 'Add a yearly date' }).click();
      await page.getByLabel('Holiday 1 every year on (MM-DD)').fill('12-25');
      await page.getByLabel('Name of holiday 1').fill('Christmas');
      await page.getByLabel('Import holidays from an iCalendar file (.ics)').setInputFiles({
        name: 'holidays.ics',
        mimeType: 'text/calendar',
        buffer: Buffer.from(ICS),
      });
      await page.getByText('1 holidays read from holidays.ics').waitFor();
      // Previewed before anything is added.
      expect(await page.getByLabel('Holiday 2 date').count()).toBe(0);
      await page.getByRole('button', { name: 'Add these 1 holidays' }).click();
      expect(await page.getByLabel('Holiday 2 date').inputValue()).toBe('2026-04-27');
      expect(await page.getByLabel('Name of holiday 2').inputValue()).toBe("King's Day");

      // The week grid fits the screen: nothing to scroll sideways, on a phone or a desktop.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await page.getByRole('button', { name: 'Save calendar' }).click();
      await page.getByText(/^Calendar saved; \d+ open tickets recomputed\.$/).waitFor();
      await page.locator('li', { hasText: `${name} (Europe/Amsterdam)` }).waitFor();

      // A bad save changes nothing: the form says why as one types, and the server refuses.
      await page.getByLabel('Time zone').fill('Mars/Base');
      await page.getByText('not an IANA time zone (like Europe/Amsterdam)').waitFor();
      await page.getByRole('button', { name: 'Save calendar' }).click();
      await page.getByRole('alert').waitFor();
      await page.reload();
      await page.locator('li', { hasText: `${name} (Europe/Amsterdam)` }).waitFor();
      // What was saved is what the form shows again.
      await page.getByRole('button', { name: `Edit ${name}` }).click();
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Amsterdam');
      expect(await page.getByLabel('Saturday opening 1 starts').inputValue()).toBe('22:00');
      expect(await page.getByLabel('Friday opening 2 starts').inputValue()).toBe('13:30');
      expect(await page.getByLabel('Holiday 1 every year on (MM-DD)').inputValue()).toBe('12-25');

      // The policy: on the new calendar, a linter warning inline, a what-if, then saved.
      const policy = page.getByTestId('policy').first();
      await policy.getByLabel('Calendar of policy 1').selectOption({ label: name });
      await policy.getByText('Warnings', { exact: true }).click();
      await policy.getByLabel('Warn minutes before due (policy 1)').fill('5000');
      await expect
        .poll(() => policy.getByText(/the warning 5000 minutes before due/).textContent())
        .toBe(
          'Policy "Standard": the warning 5000 minutes before due is longer than every target, so it fires at once',
        );
      await policy.getByLabel('Warn minutes before due (policy 1)').fill('');
      await policy.getByLabel('First response high', { exact: true }).fill('90');
      await page.getByRole('button', { name: 'What if?' }).last().click();
      const whatIf = page.getByTestId('what-if');
      await whatIf.waitFor();
      expect(await whatIf.locator('p').textContent()).toMatch(
        /^Had this applied over the last 30 days \(\d+ tickets\): compliance (\d+(\.\d)? %|no target concluded) instead of (\d+(\.\d)? %|no target concluded)\.$/,
      );
      expect(await whatIf.locator('h4').allTextContents()).toEqual([
        expect.stringMatching(/^Would newly breach \(\d+\)$/),
        expect.stringMatching(/^Would no longer breach \(\d+\)$/),
      ]);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await page.getByRole('button', { name: 'Save policies' }).click();
      await page.getByText(/^Saved; \d+ open tickets recomputed\./).waitFor();

      // A policy the schema refuses is refused by the server too, and nothing changes.
      await policy.getByLabel('Warn at percent used (policy 1)').fill('50, 150');
      await policy.getByText(/Too big/).waitFor();
      await page.getByRole('button', { name: 'Save policies' }).click();
      await page.getByRole('alert').waitFor();
      await page.reload();
      const saved = page.getByTestId('policy').first();
      await saved.getByText('Warnings', { exact: true }).click();
      expect(await saved.getByLabel('Warn at percent used (policy 1)').inputValue()).toBe('50, 75');
      expect(await saved.getByLabel('First response high', { exact: true }).inputValue()).toBe(
        '90',
      );
      expect(
        await saved.getByLabel('Calendar of policy 1').locator('option:checked').textContent(),
      ).toBe(name);

      // A calendar with no hours would stop the policy that uses it: said at the week grid as
      // one clicks, refused by the what-if and by a save, and nothing changes.
      await page.getByRole('button', { name: `Edit ${name}` }).click();
      for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])
        for (const n of [2, 1])
          await page.getByRole('button', { name: `Remove ${day} opening ${n}` }).click();
      await page.getByRole('button', { name: 'Remove Saturday opening 1' }).click();
      const week = page.locator('fieldset.week > .field-message');
      await expect
        .poll(() => week.textContent())
        .toMatch(
          /^Policy "Standard": its calendar "\S+" has no business hours, so business-time clocks can never start$/,
        );
      await page.getByRole('button', { name: 'What if?' }).first().click();
      await page.getByRole('alert').waitFor();
      await page.getByRole('button', { name: 'Save calendar' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(2);
      await page.reload();
      await page.getByRole('button', { name: `Edit ${name}` }).click();
      expect(await page.getByLabel('Saturday opening 1 starts').inputValue()).toBe('22:00');
    });
  },
);

it('exports the policies as JSON and imports them back, refusing what the schema refuses', async () => {
  const context = await browser.browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'SLA calendars and policies' }).click();
  await page.getByText('JSON import and export').click();
  await page.getByRole('button', { name: 'Export to JSON' }).click();
  const json = page.getByLabel('Policies as JSON');
  const exported = JSON.parse(await json.inputValue()) as { name: string }[];
  expect(exported[0]!.name).toBe('Standard');

  await json.fill(JSON.stringify([{ name: 'Bad', targets: { first_response: { high: -5 } } }]));
  await page.getByRole('button', { name: 'Import from JSON' }).click();
  await page.getByRole('alert').waitFor();
  expect(await page.getByTestId('policy').count()).toBe(exported.length);

  await json.fill(JSON.stringify([{ ...exported[0], name: 'Imported' }]));
  await page.getByRole('button', { name: 'Import from JSON' }).click();
  await expect.poll(() => page.getByTestId('policy').count()).toBe(1);
  expect(await page.getByLabel('Name of policy 1').inputValue()).toBe('Imported');

  // Reordering: with the buttons, and by dragging a card onto another.
  const order = () => page.getByTestId('policy').locator('> legend').allTextContents();
  await page.getByRole('button', { name: 'Add a policy' }).click();
  expect(await order()).toEqual(['1. Imported', '2. New policy']);
  await page.getByRole('button', { name: 'Move policy 2 up' }).click();
  expect(await order()).toEqual(['1. New policy', '2. Imported']);
  // A drag of the second card onto the first, as the browser reports one (the cards are taller
  // than the window, so the mouse could not reach both at once).
  const cards = page.locator('.policies > li');
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await cards.nth(1).dispatchEvent('dragstart', { dataTransfer });
  await cards.nth(0).dispatchEvent('dragover', { dataTransfer });
  await cards.nth(0).dispatchEvent('drop', { dataTransfer });
  await cards.nth(1).dispatchEvent('dragend', { dataTransfer });
  await expect.poll(order).toEqual(['1. Imported', '2. New policy']);
  // The list's own linter: the catch-all first leaves the second one no ticket.
  await page
    .getByText(
      'Policy "New policy": never applies: every ticket it matches is matched first by "Imported"',
    )
    .waitFor();
});

it('lets an admin import articles in the app and a manager publish a draft an agent started', async () => {
  // A browser profile of its own: the first test's admin session is not this one's.
  const context = await browser.browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  await page.setViewportSize({ width: 900, height: 1000 });
  await signInToApp(page, server.url, 'admin@acme.test');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Knowledge base' }).click();
  await page.getByLabel('Files').setInputFiles([
    {
      name: 'kiosk.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '---\ntitle: Restart the lobby kiosk\ntags: [kiosk]\n---\nHold the power button for 10 s.',
      ),
    },
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"articles": [') },
  ]);
  await page.getByLabel('Source name').fill('facilities');
  await page.getByRole('button', { name: 'Import' }).click();
  const summary = page.getByTestId('import-summary');
  await summary.waitFor();
  expect(await summary.locator('p').textContent()).toBe(
    '1 created, 0 updated, 0 unchanged, 1 rejected.',
  );
  expect(await summary.locator('li').textContent()).toMatch(/^broken\.json: not valid JSON/);

  // An agent's draft, reviewed and published by a manager in the app.
  await page.evaluate(async () => {
    const res = await fetch('/trpc/kb.draft', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
      body: JSON.stringify({ title: 'Kiosk shows a black screen', body: 'Check the HDMI cable.' }),
    });
    if (!res.ok) throw new Error(await res.text());
  });
  await page.reload();
  const draft = page
    .getByTestId('kb-drafts')
    .locator('li', { hasText: 'Kiosk shows a black screen' });
  await draft.getByRole('button', { name: 'Publish' }).click();
  await expect.poll(() => page.getByTestId('kb-drafts').locator('li').count()).toBe(0);
  const found = await page.evaluate(async () => {
    const res = await fetch(
      `/trpc/kb.search?input=${encodeURIComponent(JSON.stringify({ q: 'kiosk black screen' }))}`,
    );
    return ((await res.json()).result.data as { title: string }[]).map((s) => s.title);
  });
  expect(found[0]).toBe('Kiosk shows a black screen');
  expect(found).toContain('Restart the lobby kiosk');
});
