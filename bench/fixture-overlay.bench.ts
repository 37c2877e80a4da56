// Time from a ticket's fields being present to the overlay painted with its timers (target p95
// <= 150 ms), on every tool's saved ticket pages (tests/fixtures/<tool>/), in Chromium at the
// tool's own URL. The content script's real code runs (adapter, mount, overlay components); the
// extension's background is stood in for by an in-page stub that answers at once, so these
// figures are the page-side cost; bench/overlay-latency.bench.ts measures the whole path with
// the built extension and a real server on the Demo Desk. Prints figures; never fails on them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tests/e2e/harness.js';
import { quantiles } from './lib.js';
import { backgroundStub, bundleForPage, launchChromium } from './page-bundle.js';

const ROUNDS = 30;
const FIXTURES = join(ROOT, 'tests/fixtures');

const bundle = await bundleForPage(join(ROOT, 'bench/overlay-entry.ts'), 'Content');
const browser = await launchChromium();
const lines: string[] = [];
const all: number[] = [];
try {
  for (const tool of readdirSync(FIXTURES).sort()) {
    let expected: { tickets: { file: string; url: string }[] };
    try {
      expected = JSON.parse(readFileSync(join(FIXTURES, tool, 'expected.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const t of expected.tickets) {
      const html = readFileSync(join(FIXTURES, tool, t.file), 'utf8');
      const body = html.slice(
        html.indexOf('>', html.indexOf('<body')) + 1,
        html.lastIndexOf('</body>'),
      );
      const page = await browser.newPage();
      await page.route(t.url.split('#')[0]!, (r) =>
        r.fulfill({ contentType: 'text/html', body: html.replace(body, '') }),
      );
      await page.addInitScript(backgroundStub());
      await page.goto(t.url);
      await page.addScriptTag({ content: bundle });
      const samples = (await page.evaluate(
        `(async (body, rounds) => {
          Content.startOverlay(new AbortController().signal);
          const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
          const shown = () => document.querySelector('deskwatch-overlay')?.shadowRoot?.querySelector('[data-metric]');
          const out = [];
          for (let i = 0; i < rounds; i++) {
            document.body.setHTMLUnsafe('');
            await frame(); await frame();
            const t0 = performance.now();
            document.body.setHTMLUnsafe(body);
            while (!shown()) await new Promise((r) => setTimeout(r, 1));
            await frame(); // painted
            out.push(performance.now() - t0);
          }
          return out;
        })(${JSON.stringify(body)}, ${ROUNDS})`,
      )) as number[];
      await page.close();
      all.push(...samples);
      const q = quantiles(samples);
      lines.push(
        `${`${tool} ${t.file}`.padEnd(44)} median ${q.median.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms`,
      );
    }
  }
  console.log(`fields present to overlay painted, ${ROUNDS} rounds per page (target p95 150 ms):`);
  for (const l of lines) console.log(`  ${l}`);
  const q = quantiles(all);
  console.log(`  all pages: median ${q.median.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms`);
} finally {
  await browser.close();
}
