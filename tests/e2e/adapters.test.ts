import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from './harness';

// Every built-in adapter, run in Chromium against its saved pages in tests/fixtures/<tool>/:
// the page is served at the tool's own URL, the adapters are loaded as the content script bundles
// them, and what they read must equal the fixture's expected.json exactly.

const FIXTURES = join(ROOT, 'tests/fixtures');
const TOOLS = readdirSync(FIXTURES).filter((d) => {
  try {
    readFileSync(join(FIXTURES, d, 'expected.json'));
    return true;
  } catch {
    return false;
  }
});

interface Expected {
  /** Each saved ticket page (a tool may have several layouts), its URL and what must be read. */
  tickets: {
    file: string;
    url: string;
    snapshot: Record<string, unknown>;
    /** When the page was saved: its relative texts ("6 hours ago") are from then. */
    savedAt?: string;
  }[];
  list?: { file: string; url: string; ids: string[] };
}

let browser: Browser;
let context: BrowserContext;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(ROOT, 'extension/src/adapters/index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'DeskwatchAdapters',
    target: 'chrome120',
  });
  bundle = out.outputFiles[0]!.text;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  // A zone with DST, so tools that write times for people are read in the viewer's zone.
  context = await browser.newContext({ timezoneId: 'America/New_York' });
  // No network: every tool URL is answered from the fixtures.
  await context.route('**/*', (route) => route.abort());
});
afterAll(async () => {
  await browser?.close();
});

async function open(url: string, file: string) {
  const page = await context.newPage();
  await page.route(url.split('#')[0]!, (route) =>
    route.fulfill({ contentType: 'text/html', body: readFileSync(file, 'utf8') }),
  );
  await page.goto(url);
  await page.addScriptTag({ content: bundle });
  return page;
}

it('has fixtures for every built-in adapter (Redmine and the Demo Desk run for real elsewhere)', () => {
  const index = readFileSync(join(ROOT, 'extension/src/adapters/index.ts'), 'utf8');
  const files = [...index.matchAll(/from '\.\/([\w-]+)'/g)]
    .map((m) => m[1]!)
    .filter((f) => !['types', 'engine', 'redmine', 'demo-desk'].includes(f));
  expect(files.length).toBe(12);
  expect(TOOLS.sort()).toEqual(files.sort());
});

describe.each(TOOLS)('%s', (tool) => {
  const expected = JSON.parse(
    readFileSync(join(FIXTURES, tool, 'expected.json'), 'utf8'),
  ) as Expected;

  it.each(expected.tickets)('reads $file exactly', async (ticket) => {
    const page = await open(ticket.url, join(FIXTURES, tool, ticket.file));
    const savedAt = ticket.savedAt ? Date.parse(ticket.savedAt) : undefined;
    const result = await page.evaluate((now) => {
      const w = window as unknown as {
        DeskwatchAdapters: {
          adapterFor(u: URL):
            | {
                id: string;
                read(d: Document, u: URL, v?: unknown, c?: { now?: number }): unknown;
              }
            | undefined;
        };
      };
      const url = new URL(location.href);
      const a = w.DeskwatchAdapters.adapterFor(url);
      return { id: a?.id, read: a?.read(document, url, undefined, now ? { now } : {}) };
    }, savedAt);
    await page.close();
    expect(result.id).toBe(tool);
    expect(result.read).toEqual({ snapshot: ticket.snapshot });
  });

  it('says at the top of each saved page where its structure comes from', () => {
    for (const file of [...expected.tickets.map((t) => t.file), expected.list?.file ?? []].flat())
      expect(readFileSync(join(FIXTURES, tool, file), 'utf8'), file).toMatch(
        /^<!doctype html>\s*<!--[\s\S]{20,}?(structure|Structure)[\s\S]*?-->/,
      );
  });

  // Hiver lives in Gmail, whose inbox has no ticket links: no list there.
  if (expected.list)
    it('finds each row of the ticket list', async () => {
      const list = expected.list!;
      const page = await open(list.url, join(FIXTURES, tool, list.file));
      const ids = await page.evaluate(() => {
        const w = window as unknown as {
          DeskwatchAdapters: {
            listAdapterFor(u: URL):
              | {
                  id: string;
                  listRows(d: Document, u: URL): { externalId: string; anchor: Element }[];
                }
              | undefined;
          };
        };
        const url = new URL(location.href);
        const a = w.DeskwatchAdapters.listAdapterFor(url);
        return { id: a?.id, rows: a?.listRows(document, url).map((r) => r.externalId) };
      });
      await page.close();
      expect(ids).toEqual({ id: tool, rows: list.ids });
    });

  it('says which fields are missing when the markup changes, instead of guessing', async () => {
    const page = await open(
      expected.tickets[0]!.url,
      join(FIXTURES, tool, expected.tickets[0]!.file),
    );
    const missing = await page.evaluate(() => {
      // A redesign: every element loses its classes, data attributes and ids.
      for (const el of document.querySelectorAll('body *'))
        for (const attr of [...el.attributes])
          if (/^(class|id|data-|title|datetime|value|email)/.test(attr.name))
            el.removeAttribute(attr.name);
      const w = window as unknown as {
        DeskwatchAdapters: { adapterFor(u: URL): { read(d: Document, u: URL): unknown } };
      };
      const url = new URL(location.href);
      return w.DeskwatchAdapters.adapterFor(url).read(document, url);
    });
    await page.close();
    expect(missing).toEqual({ missing: expect.arrayContaining(['subject', 'status', 'created']) });
  });
});
