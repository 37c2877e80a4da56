import { readFileSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@deskwatch/server';
import { ticketSnapshot } from '@deskwatch/shared';
import {
  launchPhone,
  launchWithExtension,
  pairExtension,
  requireBuilt,
  ROOT,
  signInToApp,
  startServer,
  type ServerProcess,
} from './harness';
import { screenshotPath } from './phone-helpers';

/** A single-page ticketing app on its own port (tests/fixtures/spa-desk), covered by the Demo Desk's host pattern. */
let spa: Server;
let spaUrl: string;
let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
let proxy: Server;
const sent: { url: string; body: string }[] = [];

beforeAll(async () => {
  requireBuilt();
  const fixture = (name: string) => readFileSync(join(ROOT, 'tests/fixtures', name));
  const pages: Record<string, { body: Buffer; headers?: Record<string, string> }> = {
    // The strict page sends its policy as a header too, as real tools do.
    '/demo/tickets/501': {
      body: fixture('csp-desk/ticket.html'),
      headers: {
        'content-security-policy': "default-src 'none'; script-src 'none'; style-src 'none'",
      },
    },
    '/cases/77': { body: fixture('acme-help/case.html') },
  };
  const spaShell = fixture('spa-desk/index.html');
  spa = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    res
      .writeHead(200, { 'content-type': 'text/html', ...page?.headers })
      .end(page?.body ?? spaShell);
  }).listen(0, '127.0.0.1');
  await once(spa, 'listening');
  spaUrl = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
  server = await startServer({ SCHEDULER: 'off' });
  // The extension talks to the server through this recorder, so the test sees every request
  // that leaves the browser for the server.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      sent.push({ url: decodeURIComponent(req.url ?? ''), body: body.toString() });
      const upstream = request(
        `${server.url}${req.url}`,
        { method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  }).listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  ext = await launchWithExtension();
  await (
    await pairExtension(ext.context, ext.extensionId, proxyUrl, 'agent@acme.test', DEMO_PASSWORD)
  ).close();
}, 120_000);

afterAll(async () => {
  await ext?.close();
  await server?.stop();
  spa?.close();
  proxy?.close();
});

it('follows in-page navigation through 20 tickets with exactly one overlay, and keeps ticket text out of the server', async () => {
  const page = await ext.context.newPage();
  await page.goto(`${spaUrl}/demo/tickets/1`);
  const overlay = page.locator('deskwatch-overlay');
  for (let i = 1; i <= 20; i++) {
    if (i > 1) await page.locator(`[data-ticket-link="${i}"]`).click();
    await overlay
      .locator(`[data-ticket="${i}"] [data-metric="first_response"]`)
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('deskwatch-overlay').count()).toBe(1);
    expect(await overlay.locator('[data-testid="deskwatch-overlay"]').count()).toBe(1);
  }
  // Back to an earlier ticket by the browser's history.
  await page.goBack();
  await overlay.locator('[data-ticket="19"]').waitFor();
  expect(await page.locator('deskwatch-overlay').count()).toBe(1);

  // The page's aggressive global CSS does not reach into the overlay.
  const style = await overlay
    .locator('[data-testid="deskwatch-overlay"] .name')
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, font: s.fontFamily };
    });
  expect(style.color).not.toBe('rgb(255, 0, 255)');
  expect(style.font).toBe('system-ui, sans-serif'); // the overlay's own, not the page's serif

  // What left the browser: ticket pages are reported as snapshots with only the snapshot's
  // fields; message text left only as the latest customer message of a knowledge-base search.
  // tRPC batches calls: /trpc/a,b?batch=1 with inputs keyed by position (query string or body).
  // Observations go over the plain routes: first the key and digest, the page only if needed.
  const calls = sent.flatMap((r) => {
    const u = new URL(r.url, 'http://x');
    if (u.pathname === '/x/observe' || u.pathname === '/x/observe/unchanged')
      return [
        {
          path: u.pathname === '/x/observe' ? 'tickets.observe' : 'observe.unchanged',
          input:
            u.pathname === '/x/observe'
              ? (JSON.parse(r.body || '{}') as Record<string, unknown>)
              : Object.fromEntries(u.searchParams),
          raw: r,
        },
      ];
    if (!u.pathname.startsWith('/trpc/')) return [];
    const inputs = JSON.parse(u.searchParams.get('input') ?? (r.body || '{}')) as Record<
      string,
      unknown
    >;
    return u.pathname
      .slice('/trpc/'.length)
      .split(',')
      .map((path, i) => ({ path, input: inputs[String(i)] as Record<string, unknown>, raw: r }));
  });
  const observed = calls.filter((c) => c.path === 'tickets.observe');
  expect(observed.length).toBeGreaterThan(0);
  const checked = calls.filter((c) => c.path === 'observe.unchanged');
  expect(checked.length).toBeGreaterThan(0);
  for (const { input } of checked)
    expect(Object.keys(input).sort()).toEqual(['digest', 'externalId', 'source']);
  const allowed = Object.keys(ticketSnapshot.shape);
  for (const { input } of observed) {
    expect(Object.keys(input)).toEqual(['snapshot']);
    const snap = input.snapshot as Record<string, unknown>;
    for (const key of Object.keys(snap)) expect(allowed).toContain(key);
    for (const m of snap.messages as Record<string, unknown>[])
      expect(Object.keys(m).sort()).toEqual(['at', 'author', 'externalId', 'public']);
  }
  const withText = sent.filter((r) => `${r.url}${r.body}`.includes('SECRET-BODY'));
  expect(withText.length).toBeGreaterThan(0);
  for (const r of withText) {
    const theirs = calls.filter((c) => c.raw === r);
    expect(theirs.some((c) => JSON.stringify(c.input).includes('SECRET-BODY'))).toBe(true);
    for (const c of theirs) {
      if (!JSON.stringify(c.input).includes('SECRET-BODY')) continue;
      expect(c.path).toBe('kb.suggest');
      expect(c.input.message).toMatch(/^SECRET-BODY-\d+: my password is hunter\d+$/);
      expect(`${String(c.input.subject)}${String(c.input.ticketId)}`).not.toContain('SECRET-BODY');
    }
  }

  // Only the snapshot left the browser: message bodies never reach the database.
  const files = ['e2e.db', 'e2e.db-wal'].map((f) => join(server.dir, f)).filter(existsSync);
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(readFileSync(f).includes('SECRET-BODY')).toBe(false);
  expect(files.some((f) => readFileSync(f).includes('SPA ticket 7 <b>not bold</b>'))).toBe(true);
});

it('says when the adapter cannot read a page, tells the admin, and can be switched off for the workspace', async () => {
  const page = await ext.context.newPage();
  await page.goto(`${spaUrl}/demo/tickets/99`);
  const overlay = page.locator('deskwatch-overlay');
  await overlay.locator('[data-trouble="priority"]').waitFor({ timeout: 10_000 });
  expect(await overlay.getByRole('alert').textContent()).toContain(
    'cannot find priority on this page',
  );

  const { browser, context } = await launchPhone();
  try {
    const admin = await context.newPage();
    await signInToApp(admin, server.url, 'admin@acme.test');
    const trpc = (path: string, body?: object) =>
      admin.evaluate(
        async ([p, b]) => {
          const res = await fetch(
            `/trpc/${p}`,
            b
              ? {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
                  body: JSON.stringify(b),
                }
              : {},
          );
          return (await res.json()).result.data;
        },
        [path, body] as const,
      );
    await expect
      .poll(async () =>
        (await trpc('adapters.health')).map(
          (h: { tool: string; version: string; field: string }) => [h.tool, h.version, h.field],
        ),
      )
      .toEqual([['demo-desk', '3', 'priority']]);

    // Switched off for the workspace: the next page view leaves the page alone.
    expect(await trpc('adapters.setDisabled', { tool: 'demo-desk', disabled: true })).toEqual([
      'demo-desk',
    ]);
    await page.goto(`${spaUrl}/demo/tickets/3`);
    await page.locator('article.ticket[data-ticket-id="3"]').waitFor();
    // An absence can only be watched for a while: the overlay must not appear within 2 s (it shows in well under 1 s when on).
    for (const end = Date.now() + 2000; Date.now() < end;) {
      expect(await page.locator('deskwatch-overlay').count()).toBe(0);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    }
    expect(await trpc('adapters.setDisabled', { tool: 'demo-desk', disabled: false })).toEqual([]);
    await page.reload();
    await overlay.locator('[data-ticket="3"] [data-metric="first_response"]').waitFor();
  } finally {
    await browser.close();
  }
});

it('works on a page with the strictest CSP, shows markup in the subject as text, and moves by keyboard, remembered per tool', async () => {
  const page = await ext.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${spaUrl}/demo/tickets/501`);
  expect(await page.title()).toBe('Strict CSP ticket');
  expect(await page.locator('.ticket-subject').textContent()).toBe(
    'Printer <img src=x onerror=alert(1)> jams',
  );
  const section = page.locator('deskwatch-overlay [data-testid="deskwatch-overlay"]');
  await section.locator('[data-metric="first_response"]').waitFor();
  const look = await section.evaluate((el) => {
    const s = getComputedStyle(el);
    return { position: s.position, background: s.backgroundColor, right: s.right };
  });
  expect(look).toEqual({ position: 'fixed', background: 'rgb(255, 255, 255)', right: '16px' });
  expect(await page.locator('img').count()).toBe(0); // the subject's markup stayed text on the page, and in the overlay
  expect(await page.locator('deskwatch-overlay img').count()).toBe(0);

  // Keyboard: the move handle and the buttons are reachable and work.
  const handle = section.getByRole('button', { name: 'Move the overlay (arrow keys)' });
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await expect
    .poll(() => section.evaluate((el) => [getComputedStyle(el).right, getComputedStyle(el).bottom]))
    .toEqual(['64px', '40px']);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // Hide
  await section.getByRole('button', { name: 'Show' }).waitFor();

  // Remembered for this tool on the next page view.
  await page.reload();
  await section.getByRole('button', { name: 'Show' }).waitFor();
  expect(await section.evaluate((el) => getComputedStyle(el).right)).toBe('64px');
  await section.getByRole('button', { name: 'Show' }).click();
  await section.locator('[data-metric="first_response"]').waitFor();
  expect(errors).toEqual([]);
});

it('runs an adapter taught as data: imported by an admin, used by every agent on a tool no built-in adapter knows', async () => {
  const spec = {
    id: 'acme-help',
    name: 'Acme Help',
    urlPattern: `${spaUrl}/cases/:id`,
    examples: { ticket: [`${spaUrl}/cases/77`], notTicket: [`${spaUrl}/cases`] },
    selectors: {
      subject: '.case-title',
      status: '.badge.state',
      priority: '.badge.sev',
      requester: '.opener',
      created: '.opened-at',
      createdFrom: 'title',
    },
    values: {
      status: { 'Awaiting agent': 'open', 'Awaiting customer': 'pending_customer', Done: 'solved' },
      priority: { P1: 'urgent', P2: 'high', P3: 'normal', P4: 'low' },
    },
    dateOrder: 'mdy',
  };
  const { browser, context } = await launchPhone();
  try {
    const admin = await context.newPage();
    await signInToApp(admin, server.url, 'admin@acme.test');
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByRole('link', { name: 'Ticketing-tool adapters' }).click();
    // Taught by clicking and typing only, on a phone, each field checked by the server's schema as one types.
    const form = admin.getByTestId('adapter-form');
    const taught = () =>
      admin.evaluate(async () => (await (await fetch('/trpc/adapters.taught')).json()).result.data);
    const field = (label: string) => form.getByLabel(label, { exact: true });
    // A text area's or list's name also holds its content: matched by how the label starts.
    const box = (label: string) =>
      form.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));
    await field('Adapter id').fill('acme-help');
    await field('Name').fill(spec.name);
    await field('URL pattern').fill(`${spaUrl}/cases`);
    await form
      .getByText('a URL pattern starts with http(s):// and contains :id where the ticket id is')
      .waitFor();
    await field('URL pattern').fill(spec.urlPattern);
    await box('Example ticket pages (one a line)').fill(spec.examples.ticket.join('\n'));
    // An example that contradicts the pattern is shown with the reason before saving...
    await box('Example pages that are not tickets (one a line)').fill(`${spaUrl}/cases/78`);
    await form.getByText('should not be a ticket page but matches').waitFor();
    for (const [label, value] of [
      ['Subject', spec.selectors.subject],
      ['Status', spec.selectors.status],
      ['Priority', spec.selectors.priority],
      ['Requester', spec.selectors.requester],
      ['Created time', spec.selectors.created],
    ])
      await field(label!).fill(value!);
    await box('Created time read from').selectOption('title');
    const lines = (m: Record<string, string>) =>
      Object.entries(m)
        .map(([w, v]) => `${w} = ${v}`)
        .join('\n');
    await box('Statuses (one a line: word = meaning)').fill(
      lines({ ...spec.values.status, Done: 'finished' }),
    );
    await form.getByText(/Invalid option/).waitFor();
    await box('Statuses (one a line: word = meaning)').fill(lines(spec.values.status));
    await box('Priorities (one a line: word = meaning)').fill(lines(spec.values.priority));
    expect(
      await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await form
      .getByText('should not be a ticket page but matches')
      .evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await admin.screenshot({ path: screenshotPath('admin-adapter') });
    // ...and a save with it is refused by the server with that reason, storing nothing.
    await form.getByRole('button', { name: 'Save adapter' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('should not be a ticket page but matches');
    expect(await taught()).toEqual([]);
    await box('Example pages that are not tickets (one a line)').fill(
      spec.examples.notTicket.join('\n'),
    );
    await form.getByRole('button', { name: 'Save adapter' }).click();
    await admin.getByTestId('taught-adapters').getByText('Acme Help').waitFor();
    expect(await taught()).toEqual([
      expect.objectContaining({ ...spec, version: '1', notUrlPatterns: [] }),
    ]);
    // Shared as JSON: exported from the form, imported back into a new one, and saved again.
    await admin.setViewportSize({ width: 1280, height: 900 });
    await form.getByText('JSON import and export').click();
    await form.getByRole('button', { name: 'Export to JSON' }).click();
    const json = await box('Adapter as JSON').inputValue();
    expect(JSON.parse(json)).toMatchObject({ id: 'acme-help', urlPattern: spec.urlPattern });
    await form.getByRole('button', { name: 'New adapter' }).click();
    expect(await field('Adapter id').inputValue()).toBe('');
    await box('Adapter as JSON').fill('{"id": "acme-help", "name": ');
    await form.getByRole('button', { name: 'Import from JSON' }).click();
    await form.getByText(/Not valid JSON/).waitFor();
    await box('Adapter as JSON').fill(json.replace('"Acme Help"', '"Acme Help 2"'));
    await form.getByRole('button', { name: 'Import from JSON' }).click();
    expect(await field('Name').inputValue()).toBe('Acme Help 2');
    expect(await field('Subject').inputValue()).toBe(spec.selectors.subject);
    await form.getByRole('button', { name: 'Save adapter' }).click();
    await admin.getByTestId('taught-adapters').getByText('Acme Help 2').waitFor();
    const exported = await admin
      .getByTestId('taught-adapters')
      .getByRole('link', { name: 'Export' })
      .getAttribute('href');
    expect(
      JSON.parse(decodeURIComponent(exported!.slice('data:application/json,'.length))),
    ).toMatchObject({ id: 'acme-help', version: '1', urlPattern: spec.urlPattern });
  } finally {
    await browser.close();
  }

  // The agent turns Deskwatch on for the tool's site; the taught adapter reads its case page.
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.getByLabel('Site address').fill(`${spaUrl}/cases/77`);
  await options.getByRole('button', { name: 'Enable on this site' }).click();
  await options.getByTestId('sites').getByText('http://127.0.0.1/*').waitFor();
  const page = await ext.context.newPage();
  await page.goto(`${spaUrl}/cases/77`);
  const fr = page.locator('deskwatch-overlay [data-ticket="77"] [data-metric="first_response"]');
  await fr.waitFor({ timeout: 10_000 });
  // P2 is high: first response 60 min from 06:00 UTC on 2026-11-24, read from the title in the browser's zone.
  const created = await page.evaluate(() => new Date(2026, 10, 24, 6, 0).getTime());
  expect(Number(await fr.getAttribute('data-due'))).toBe(created + 60 * 60_000);
});
