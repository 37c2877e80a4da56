import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { AdapterSpecInput } from '@deskwatch/shared';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from './harness';

// The engine reading dates as tools write them, in Chromium: the tool's zone (not the
// browser's), the page's language, and a relative text beside an absolute one cross-checked.

let browser: Browser;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(ROOT, 'extension/src/adapters/engine.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'DeskwatchEngine',
    target: 'chrome120',
  });
  bundle = out.outputFiles[0]!.text;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});
afterAll(async () => {
  await browser?.close();
});

const spec = (extra: Partial<AdapterSpecInput> = {}): AdapterSpecInput => ({
  id: 'plain-desk',
  name: 'Plain Desk',
  urlPattern: 'https://desk.example.com/t/:id',
  examples: { ticket: ['https://desk.example.com/t/7'] },
  selectors: {
    subject: 'h1',
    status: '.status',
    priority: '.priority',
    requester: '.requester',
    created: '.created',
    createdFrom: 'text',
  },
  values: { status: { open: 'open' }, priority: { high: 'high' } },
  messages: { item: '.msg', time: '.when', timeFrom: 'text', author: '.who' },
  ...extra,
});

const page = (created: string, opts: { lang?: string; message?: string } = {}) => `<!doctype html>
<html${opts.lang ? ` lang="${opts.lang}"` : ''}><body>
<h1>Printer offline</h1><span class="status">Open</span><span class="priority">High</span>
<span class="requester">Tom</span>${created}
${opts.message ? `<div class="msg"><span class="who">Tom</span>${opts.message}</div>` : ''}
</body></html>`;

/** What the engine reads from `html` under `spec`, in a browser in `timezoneId`. */
async function read(
  html: string,
  s: AdapterSpecInput,
  timezoneId: string,
  context: Record<string, unknown> = {},
) {
  const ctx = await browser.newContext({ timezoneId });
  await ctx.route('**/*', (route) =>
    route.request().url().startsWith('https://desk.example.com/')
      ? route.fulfill({ contentType: 'text/html', body: html })
      : route.abort(),
  );
  const p = await ctx.newPage();
  await p.goto('https://desk.example.com/t/7');
  await p.addScriptTag({ content: bundle });
  const result = await p.evaluate(
    ([spec, context]) => {
      const w = window as unknown as {
        DeskwatchEngine: {
          dataAdapter(s: unknown): {
            read(d: Document, u: URL, v?: unknown, c?: unknown): unknown;
          };
        };
      };
      return w.DeskwatchEngine.dataAdapter(spec).read(
        document,
        new URL(location.href),
        undefined,
        context,
      );
    },
    [s, context] as const,
  );
  await ctx.close();
  return result as
    | { snapshot: { createdAt: string; messages: { at: string }[] } }
    | { attention: string }
    | { missing: string[] };
}

describe('engine dates', () => {
  it("reads a zoneless ctime date in the tool's zone, not the browser's", async () => {
    const r = await read(
      page('<span class="created">Mon Nov 30 22:04:00 2026</span>'),
      spec({ timeZone: 'Europe/Berlin' }),
      'America/New_York',
    );
    expect(r).toMatchObject({ snapshot: { createdAt: '2026-11-30T21:04:00.000Z' } });
  });

  it("lets the workspace's zone win over the spec's", async () => {
    const r = await read(
      page('<span class="created">2026-11-30 22:04:15</span>'),
      spec({ timeZone: 'Europe/Berlin' }),
      'America/New_York',
      { timeZone: 'Asia/Kolkata' },
    );
    expect(r).toMatchObject({ snapshot: { createdAt: '2026-11-30T16:34:15.000Z' } });
  });

  it('reads a German date in the order the page language says, never as 12 January', async () => {
    const r = await read(
      page('<span class="created">01.12.2026 01:39</span>', {
        lang: 'de',
        message: '<span class="when">01.12.2026 02:13</span>',
      }),
      spec({ timeZone: 'UTC', localeFrom: 'html @lang' }),
      'America/New_York',
    );
    expect(r).toMatchObject({
      snapshot: {
        createdAt: '2026-12-01T01:39:00.000Z',
        messages: [{ at: '2026-12-01T02:13:00.000Z' }],
      },
    });
  });

  it('refuses a German date on a page said to be American, saying why', async () => {
    const r = await read(
      page('<span class="created">30.11.2026 23:04</span>', { lang: 'en-US' }),
      spec({ timeZone: 'UTC', localeFrom: 'html @lang' }),
      'UTC',
    );
    expect(r).toEqual({
      attention:
        'cannot read created: no zone and no format matched `30.11.2026 23:04` for locale en-US; try dd.MM.yyyy HH:mm',
    });
  });

  it('reports times off when the title and the relative text beside it disagree', async () => {
    const html = page('<a class="created" title="11/30/2026 10:04 PM">about 3 hours ago</a>');
    const s = spec({
      selectors: { ...spec().selectors, created: '.created', createdFrom: 'title' },
    });
    const now = Date.parse('2026-12-01T01:04:00Z');
    // The tool shows UTC; a browser in New York reads the title 5 hours late.
    const wrong = await read(html, s, 'America/New_York', { now });
    expect(wrong).toMatchObject({
      attention: expect.stringMatching(/^times off by 5 h \(created: /),
    });
    const right = await read(html, s, 'America/New_York', { now, timeZone: 'UTC' });
    expect(right).toMatchObject({ snapshot: { createdAt: '2026-11-30T22:04:00.000Z' } });
  });

  it('reports times off when a message time disagrees with its own relative text', async () => {
    const r = await read(
      page('<span class="created">2026-11-30T20:00:00Z</span>', {
        message: '<span class="when" title="2026-11-30 22:04">il y a environ 8 heures</span>',
      }),
      spec({
        timeZone: 'Europe/Paris',
        locale: 'fr',
        messages: { item: '.msg', time: '.when @title', author: '.who' },
      }),
      'UTC',
      { now: Date.parse('2026-12-01T00:04:00Z') },
    );
    expect(r).toMatchObject({
      attention: expect.stringMatching(/^times off by 5 h \(a message time/),
    });
  });
});
