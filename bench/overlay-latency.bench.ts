// Time from a ticket's fields appearing on the page to the overlay showing its timers (target p95
// <= 150 ms), over in-page navigations of the single-page fixture, in Chromium with the built
// extension against a real server. Prints figures; never fails on them.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../server/src/seed.js';
import {
  launchWithExtension,
  pairExtension,
  requireBuilt,
  ROOT,
  startServer,
} from '../tests/e2e/harness.js';
import { quantiles } from './lib.js';

requireBuilt();
const html = readFileSync(join(ROOT, 'tests/fixtures/spa-desk/index.html'));
const spa = createServer((_q, r) =>
  r.writeHead(200, { 'content-type': 'text/html' }).end(html),
).listen(0, '127.0.0.1');
await once(spa, 'listening');
const spaUrl = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
const server = await startServer({ SCHEDULER: 'off' });
const ext = await launchWithExtension();
try {
  await (
    await pairExtension(ext.context, ext.extensionId, server.url, 'agent@acme.test', DEMO_PASSWORD)
  ).close();
  const page = await ext.context.newPage();
  // In the page: from the fixture's "fields present" event until the overlay shows that ticket's timers (polled every 2 ms).
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.addInitScript(`
    window.__latencies = [];
    addEventListener('fixture:fields', (e) => {
      const { id, at } = e.detail;
      const check = () => {
        const root = document.querySelector('deskwatch-overlay')?.shadowRoot;
        if (root?.querySelector('[data-ticket="' + id + '"] [data-metric]')) window.__latencies.push(performance.now() - at);
        else setTimeout(check, 2);
      };
      check();
    });
  `);
  await page.goto(`${spaUrl}/demo/tickets/1`);
  const rounds = 3;
  for (let r = 0; r < rounds; r++) {
    for (let i = r === 0 ? 2 : 1; i <= 20; i++) {
      await page.locator(`[data-ticket-link="${i}"]`).click();
      await page.locator(`deskwatch-overlay [data-ticket="${i}"] [data-metric]`).first().waitFor();
    }
  }
  const lat = await page.evaluate(
    () => (window as unknown as { __latencies: number[] }).__latencies,
  );
  const load = lat[0]!; // the page load: content script injected at document idle, then the first round trip
  const first = lat.slice(1, 20); // in-page navigation to a ticket the server has not seen: it creates it
  const again = lat.slice(20); // in-page navigation to tickets seen before
  const q1 = quantiles(first);
  const q2 = quantiles(again);
  console.log(`fields present to overlay shown on page load: ${load.toFixed(0)} ms (one sample)`);
  console.log(
    `in-page navigation, first sight (${first.length}): median ${q1.median.toFixed(0)} ms, p95 ${q1.p95.toFixed(0)} ms (target p95 150 ms)`,
  );
  console.log(
    `in-page navigation, seen before (${again.length}): median ${q2.median.toFixed(0)} ms, p95 ${q2.p95.toFixed(0)} ms (target p95 150 ms)`,
  );
} finally {
  await ext.close();
  await server.stop();
  spa.close();
}
