import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchPhone,
  launchWithExtension,
  pairExtension,
  requireBuilt,
  signInToApp,
  startServer,
  until,
  type ServerProcess,
} from './harness';
import { DEMO_PASSWORD } from '@deskwatch/server';

/**
 * Ten ticket tabs in one browser. Browsers allow six connections per host over HTTP/1.1, so a
 * live stream per tab left the seventh without an overlay and stalled every tab's requests. The
 * extension's background holds one live feed for all tabs and fans updates out to them.
 */

let server: ServerProcess;
let ext: Awaited<ReturnType<typeof launchWithExtension>>;
let phone: { browser: Browser; context: BrowserContext };
let manager: Page;

// The six seeded Demo Desk tickets; tickets 1, 2 and 3 are open in more than one tab.
const TABS = [1, 2, 3, 4, 5, 6, 1, 1, 2, 3];
const tabs: Page[] = [];

beforeAll(async () => {
  requireBuilt();
  server = await startServer({ SEED_DEMO_HISTORY: 'false' });
  ext = await launchWithExtension();
  phone = await launchPhone();
  manager = await phone.context.newPage();
  await signInToApp(manager, server.url, 'manager@acme.test');
});

afterAll(async () => {
  await ext?.close();
  await phone?.browser.close();
  await server?.stop();
});

/** Calls a tRPC procedure as the signed-in manager, from the manager's page. */
function asManager<T>(path: string, input?: unknown): Promise<T> {
  return manager.evaluate(
    async ({ path, input }) => {
      const res =
        input === undefined
          ? await fetch(`/trpc/${path}`)
          : await fetch(`/trpc/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
              body: JSON.stringify(input),
            });
      const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
      return body.result!.data as T;
    },
    { path, input },
  ) as Promise<T>;
}

const liveFeeds = async () => (await asManager<{ open: number }>('escalations.liveFeeds')).open;
const overlay = (p: Page) => p.locator('deskwatch-overlay');
const escalationStates = (p: Page) =>
  overlay(p)
    .getByTestId('escalation')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

/**
 * Approves the pending escalation of `subject` as the manager, once the server has it: the
 * request travels from the tab through the extension's worker, which may be starting again.
 */
async function approvePending(subject: string) {
  const esc = await until(
    `a pending escalation of "${subject}" on the server`,
    async () =>
      (
        await asManager<{ id: string; ticketSubject: string }[]>(
          `escalations.list?input=${encodeURIComponent(JSON.stringify({ state: 'pending' }))}`,
        )
      ).find((e) => e.ticketSubject === subject),
    30_000,
  );
  await asManager('escalations.decide', { escalationId: esc.id, decision: 'approve' });
}

describe('ten ticket tabs in one browser', () => {
  it('gives every tab its overlay over one live connection', async () => {
    const options = await pairExtension(
      ext.context,
      ext.extensionId,
      server.url,
      'agent@acme.test',
      DEMO_PASSWORD,
    );
    await options.close();
    for (const n of TABS) {
      const p = await ext.context.newPage();
      await p.goto(`${server.url}/demo/tickets/${n}`);
      tabs.push(p);
    }
    for (const [i, p] of tabs.entries()) {
      // The SLA answer arrived (a short request): the overlay knows the server's ticket.
      await overlay(p)
        .getByRole('button', { name: 'Escalate' })
        .waitFor({ timeout: 30_000 })
        .catch((e: Error) => {
          throw new Error(`tab ${i + 1} (ticket ${TABS[i]}) has no overlay: ${e.message}`);
        });
      expect(await overlay(p).getByTestId('deskwatch-overlay').getAttribute('data-ticket')).toBe(
        String(TABS[i]),
      );
    }
    // One feed for the browser (two for a moment while it re-subscribes for a new set).
    await until('the browser to hold its live feed', async () => (await liveFeeds()) >= 1, 30_000);
    expect(await liveFeeds()).toBeLessThanOrEqual(2);
  });

  it('brings a decision to every tab that shows the ticket, and to no other', async () => {
    const [first, , other, , , , again, third] = tabs as [Page, ...Page[]];
    await overlay(first).getByRole('button', { name: 'Escalate' }).click();
    await overlay(first)
      .getByPlaceholder('Why does this need escalating?')
      .fill('Locked out before a board meeting');
    await overlay(first).getByRole('button', { name: 'Send escalation' }).click();
    for (const p of [first, again!, third!])
      await expect.poll(() => escalationStates(p), { timeout: 30_000 }).toEqual(['pending']);

    await approvePending('Cannot log in after password reset');
    for (const p of [first, again!, third!])
      await expect.poll(() => escalationStates(p), { timeout: 30_000 }).toEqual(['approved']);
    expect(await escalationStates(other!)).toEqual([]);
    expect(await escalationStates(tabs[1]!)).toEqual([]);
    expect(await escalationStates(tabs[9]!)).toEqual([]);
    expect(await liveFeeds()).toBeLessThanOrEqual(2);
  });

  it('keeps the tabs live after the browser stops the extension worker', async () => {
    // MV3 stops an idle service worker; the tabs reconnect their ports and the worker subscribes again.
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const cdp = await ext.context.newCDPSession(page);
    // Every status the worker passes through, in order: it may stop and start again between two
    // polls (the tabs reconnect at once), so the test reads the history, not the latest status.
    const seen: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const bg = versions.find((v) => v.scriptURL.endsWith('/background.js'));
      if (bg && seen.at(-1) !== bg.runningStatus) seen.push(bg.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await until('the extension worker to be seen', async () => seen.length > 0, 30_000);
    const before = seen.length;
    await cdp.send('ServiceWorker.stopAllWorkers');
    await until(
      'the extension worker to stop',
      async () => seen.slice(before).includes('stopped'),
      30_000,
    );
    // The tabs' ports closed with it; they reconnect, which starts the worker again.
    await until(
      'the extension worker to run again',
      async () => seen.at(-1) === 'running' && seen.lastIndexOf('stopped') >= before,
      30_000,
    );

    const [, second, , , , , , , secondAgain] = tabs as [Page, ...Page[]];
    await overlay(second!).getByRole('button', { name: 'Escalate' }).click();
    await overlay(second!)
      .getByPlaceholder('Why does this need escalating?')
      .fill('The whole sales team is offline');
    await overlay(second!).getByRole('button', { name: 'Send escalation' }).click();
    await approvePending('VPN disconnects every 10 minutes');
    for (const p of [second!, secondAgain!])
      await expect.poll(() => escalationStates(p), { timeout: 30_000 }).toEqual(['approved']);
    await until('the browser to hold its live feed', async () => (await liveFeeds()) >= 1, 30_000);
    expect(await liveFeeds()).toBeLessThanOrEqual(2);
    await page.close();
  });
});
