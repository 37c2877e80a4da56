import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './harness';

/** A tRPC call from a signed-in page, with its session cookie, as the app makes them. */
export async function api<T = unknown>(
  page: Page,
  path: string,
  input: unknown,
  type: 'query' | 'mutation' = 'mutation',
): Promise<T> {
  return page.evaluate(
    async ({ path, input, type }) => {
      const headers = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' };
      const res =
        type === 'query'
          ? await fetch(
              `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
              { headers },
            )
          : await fetch(`/trpc/${path}`, {
              method: 'POST',
              headers,
              body: JSON.stringify(input),
            });
      const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
      return body.result!.data;
    },
    { path, input, type },
  ) as Promise<T>;
}

const MIN = 60_000;

/** A ticket as an agent's page reports it: created `ageMin` ago, a customer message, no reply yet. */
export function ticket(
  externalId: string,
  subject: string,
  over: { ageMin?: number; createdAt?: number; priority?: string; replyAtMin?: number } = {},
) {
  const now = Date.now();
  // The same ticket seen again keeps its creation instant: pass `createdAt` for that.
  const created = new Date(over.createdAt ?? now - (over.ageMin ?? 30) * MIN).toISOString();
  const messages: { author: string; public: boolean; at: string; externalId: string }[] = [
    { author: 'customer', public: true, at: created, externalId: `${externalId}-m1` },
  ];
  if (over.replyAtMin !== undefined)
    messages.push({
      author: 'agent',
      public: true,
      at: new Date(now - over.replyAtMin * MIN).toISOString(),
      externalId: `${externalId}-m2`,
    });
  return {
    snapshot: {
      source: 'zendesk',
      externalId,
      url: `https://acme.zendesk.example/agent/tickets/${externalId}`,
      subject,
      status: 'New',
      statusCategory: 'new',
      priority: over.priority ?? 'high',
      requester: 'ana.silva@example.com',
      createdAt: created,
      messages,
      statusChanges: [{ statusCategory: 'new', status: 'New', at: created }],
    },
  };
}

/** Where README screenshots go; each test that takes one looks at it through its assertions. */
export function screenshotPath(name: string) {
  const dir = join(ROOT, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** Waits until the service worker controls the page (the app shell and every screen precached). */
export async function waitForServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r));
  });
}
