import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { openDb } from './db/client.js';
import type { Env } from './env.js';
import { seedDemo, seedDemoKb, seedDemoKbHistory, seedDemoMetrics } from './seed.js';
import { createServices } from './services/index.js';
import { loadOrCreateVapidKeys } from './services/push.js';

const defaultPwaDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../pwa/dist');

/** How often tokens' uses are looked at; each is written at most once a minute anyway. */
const TOKEN_USE_FLUSH_MS = 15_000;

/** The server cannot start for a reason an operator can fix (the port is taken). */
export class StartError extends Error {
  override name = 'StartError';
}

export interface Started {
  url: string;
  publicUrl: string;
  seeded: boolean;
  close(): Promise<void>;
}

/** Opens and migrates the database, seeds the demo on first run, and listens. */
export async function startServer(env: Env, opts: { now?: () => number } = {}): Promise<Started> {
  const { db, client, hot } = await openDb({
    url: env.DATABASE_URL,
    authToken: env.DATABASE_AUTH_TOKEN,
    syncUrl: env.DATABASE_SYNC_URL,
  });
  const vapid = await loadOrCreateVapidKeys(db);
  let publicUrl = env.PUBLIC_URL ?? '';
  const services = createServices({
    db,
    client,
    hot,
    vapid,
    vapidSubject: env.VAPID_SUBJECT,
    pushAllowedHosts: env.PUSH_ALLOWED_HOSTS,
    connectorAllowedHosts: env.CONNECTOR_ALLOWED_HOSTS,
    icalAllowedHosts: env.ICAL_ALLOWED_HOSTS,
    allowSignup: env.ALLOW_SIGNUP === 'true',
    connectorSecretKey: env.CONNECTOR_SECRET_KEY,
    ssoAllowHttp: env.SSO_ALLOW_HTTP === 'true',
    publicUrl: () => publicUrl,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const seeded = env.SEED_DEMO === 'true' ? await seedDemo(db, services) : false;
  if (env.SEED_DEMO === 'true') await seedDemoKb(db, services);
  // On a fresh demo only: a month of past tickets for the knowledge-base insights.
  if (seeded && env.SEED_DEMO_HISTORY === 'true') {
    await seedDemoKbHistory(db, services);
    // And a month of the desk's tickets, observed like real pages, for the metrics glance.
    await seedDemoMetrics(db, services, env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`);
  }
  // Common terms' counts for suggestions, read in the background (about a second at 100k articles).
  void services.kb.engine.warm().catch((e: Error) => console.error(`kb warm-up: ${e.message}`));
  const app = createApp({
    db,
    services,
    publicUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    pwaDist: env.PWA_DIST ?? defaultPwaDist,
    trustProxy: env.TRUST_PROXY === 'true',
    debugErrors: env.DEBUG_ERRORS === 'true',
  });
  // Where this instance starts reading other instances' changes, before any feed opens.
  await services.live.start(env.LIVE_POLL_MS);
  const server = await new Promise<ReturnType<typeof serve>>((ok, fail) => {
    const s = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, () => ok(s));
    s.once('error', (e: NodeJS.ErrnoException) => {
      void services.live.stop();
      client.close();
      fail(new StartError(`Cannot listen on ${env.HOST}:${env.PORT}: ${e.code ?? e.message}`));
    });
  });
  const { port } = server.address() as AddressInfo;
  if (env.SCHEDULER === 'on') {
    services.scheduler.start(env.SCHEDULER_INTERVAL_MS);
    // Connected tools' APIs, on the same switch (each poll waits for its connector's own interval).
    services.poller.start();
  }
  // Tokens' last use, written off the request path (each token at most once a minute).
  const tokenUse = setInterval(() => {
    services.accounts.flushTokenUse().catch((e: Error) => console.error(`token use: ${e.message}`));
  }, TOKEN_USE_FLUSH_MS);
  tokenUse.unref();
  const url = `http://${env.HOST}:${port}`;
  publicUrl ||= url;
  return {
    url,
    publicUrl,
    seeded,
    async close() {
      clearInterval(tokenUse);
      await services.accounts.flushTokenUse({ all: true }).catch(() => {});
      await services.scheduler.stop();
      await services.poller.stop();
      await services.live.stop();
      await services.push.drain();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        // SSE streams keep sockets open; end them so close() returns.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      client.close();
    },
  };
}
