import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { TicketSnapshot } from '@deskwatch/shared';
import { openDb } from './db/client.js';
import { appRouter } from './routers/index.js';
import type { Caller } from './services/accounts.js';
import { createServices } from './services/index.js';
import { createCallerFactory, createContextInner } from './trpc.js';

const createCaller = createCallerFactory(appRouter);

/** A controllable clock: tests move time instead of sleeping. */
export function testClock(start = Date.parse('2026-03-27T09:00:00Z')) {
  let t = start;
  const now = () => t;
  return Object.assign(now, { advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) });
}

/** A real libSQL file in a temp folder, migrated, with two workspaces of three users each. */
export async function testEnv(opts: { pushAgent?: Agent } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const { db, client } = await openDb({ url });
  const clock = testClock();
  const services = createServices({
    db,
    client,
    now: clock,
    vapid: webpush.generateVAPIDKeys(),
    publicUrl: () => 'https://deskwatch.test',
    ...(opts.pushAgent ? { pushAgent: opts.pushAgent } : {}),
    pushRetryDelaysMs: [0, 0], // retries without waiting: tests do not sleep
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

  /** A tRPC caller acting as `email`, signed in through a session (or an extension token). */
  async function as(email: string, via: 'session' | 'token' = 'session') {
    const role = email.split('@')[0];
    const s = await accounts.signIn(email, `pw-${role}`);
    if (!s) throw new Error(`cannot sign in ${email}`);
    let caller: Caller = s.caller;
    if (via === 'token') {
      const { code } = await accounts.createPairingCode(caller.userId);
      caller = (await accounts.redeemPairingCode(code, 'test'))!.caller;
    }
    return createCaller(createContextInner({ services, caller, sessionToken: s.token }));
  }
  const anonymous = () => createCaller(createContextInner({ services }));

  const others: { close(): void }[] = [];
  /** Another server instance on the same database file, with its own connection and the same clock. */
  async function secondInstance() {
    const other = await openDb({ url });
    others.push(other.client);
    return createServices({
      db: other.db,
      client: other.client,
      now: clock,
      vapid: webpush.generateVAPIDKeys(),
      publicUrl: () => 'https://deskwatch.test',
    });
  }

  return {
    db,
    client,
    clock,
    secondInstance,
    services,
    a,
    b,
    as,
    anonymous,
    async close() {
      await services.push.drain();
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
    createdAt: '2026-03-27T08:40:00.000Z',
    messages: [
      { author: 'customer', public: true, at: '2026-03-27T08:40:00.000Z', externalId: 'm1' },
    ],
    ...over,
  };
}
