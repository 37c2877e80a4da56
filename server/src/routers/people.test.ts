import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import {
  auditLog,
  invitations,
  pushSubscriptions,
  sessions,
  users,
  workspaces,
} from '../db/schema.js';
import { createServices } from '../services/index.js';
import { createCallerFactory, createContextInner } from '../trpc.js';
import { appRouter } from './index.js';
import { snapshot, testClock, testEnv } from '../testing.js';

const createCaller = createCallerFactory(appRouter);
let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const rows = async (t: typeof auditLog | typeof invitations | typeof users | typeof workspaces) =>
  ((await env.db.select({ n: count() }).from(t)) as [{ n: number }])[0].n;
const tokenOf = (link: string) => link.split('#')[1]!;

/** A fresh server's services: an empty database, no demo. */
async function fresh(opts: { allowSignup?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-fresh-'));
  const { db, client, hot } = await openDb({ url: `file:${join(dir, 'db')}` });
  const clock = testClock();
  const services = createServices({
    db,
    client,
    hot,
    now: clock,
    vapid: webpush.generateVAPIDKeys(),
    publicUrl: () => 'https://desk.example',
    ...opts,
  });
  const headers = new Headers();
  const caller = createCaller(createContextInner({ services, resHeaders: headers }));
  return {
    services,
    caller,
    headers,
    clock,
    /** The same server, asked from another address. */
    from: (clientIp: string) =>
      createCaller(createContextInner({ services, resHeaders: new Headers(), clientIp })),
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

it('asks a fresh server for its first workspace and admin once, and signs that admin in', async () => {
  const f = await fresh();
  try {
    expect(await f.caller.people.status()).toEqual({ needsSetup: true, allowSignup: false });
    const me = await f.caller.people.setup({
      workspaceName: 'Globex Support',
      name: 'Gina Admin',
      email: 'Gina@Globex.example',
      password: 'correct horse battery',
    });
    expect(me).toEqual({ name: 'Gina Admin', email: 'gina@globex.example', role: 'admin' });
    expect(f.headers.get('set-cookie')).toMatch(/^dw_session=\S+; Max-Age=/);
    expect(await f.caller.people.status()).toEqual({ needsSetup: false, allowSignup: false });
    // A second setup, and a sign-up while it is off, create nothing.
    const again = {
      workspaceName: 'Intruder',
      name: 'Eve',
      email: 'eve@example.com',
      password: 'long enough pw',
    };
    await expect(f.caller.people.setup(again)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(f.caller.people.signUp(again)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  } finally {
    f.close();
  }
});

it('lets people sign up for workspaces of their own when the server allows it', async () => {
  const f = await fresh({ allowSignup: true });
  try {
    await f.caller.people.setup({
      workspaceName: 'First',
      name: 'A',
      email: 'a@first.example',
      password: 'long enough pw',
    });
    const me = await f.caller.people.signUp({
      workspaceName: 'Second',
      name: 'B',
      email: 'b@second.example',
      password: 'long enough pw',
    });
    expect(me.role).toBe('admin');
    await expect(
      f.caller.people.signUp({
        workspaceName: 'Third',
        name: 'B again',
        email: 'B@second.example',
        password: 'long enough pw',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  } finally {
    f.close();
  }
});

it('slows sign-ups down per address, successes included, and writes nothing when it refuses', async () => {
  const f = await fresh({ allowSignup: true });
  try {
    const signUp = (caller: typeof f.caller, n: number) =>
      caller.people.signUp({
        workspaceName: `Desk ${n}`,
        name: `Admin ${n}`,
        email: `admin${n}@desk${n}.example`,
        password: 'long enough pw',
      });
    for (let n = 0; n < 10; n++) await signUp(f.caller, n);
    const before = await f.services.people.status();
    await expect(signUp(f.caller, 10)).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^Too many sign-ups from this address; try again in \d+ min$/),
    });
    expect(f.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await f.services.people.status()).toEqual(before);
    // Another address is not slowed down; this one may again after the hour.
    await signUp(f.from('198.51.100.7'), 11);
    f.clock.advance(3600_000);
    await signUp(f.caller, 12);
  } finally {
    f.close();
  }
});

it('slows down failed invitation joins per address; a join that works takes its try back', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const anon = env.anonymous();
  const bad = { token: 'x'.repeat(43), name: 'Nobody', password: 'long enough pw' };
  // A right token between wrong ones costs nothing.
  for (let i = 0; i < 19; i++) {
    await expect(anon.people.join(bad)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }
  const inv = await admin.people.invite({ email: 'ok@alpha.test', role: 'agent' });
  await anon.people.join({ token: tokenOf(inv.link), name: 'Ok', password: 'long enough pw' });
  await expect(anon.people.join(bad)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  // The twentieth failure reached the limit: even a right token waits now.
  const late = await admin.people.invite({ email: 'late.join@alpha.test', role: 'agent' });
  const usersBefore = await rows(users);
  await expect(
    anon.people.join({ token: tokenOf(late.link), name: 'Late', password: 'long enough pw' }),
  ).rejects.toMatchObject({
    code: 'TOO_MANY_REQUESTS',
    message: expect.stringMatching(/^Too many failed invitation joins from this address/),
  });
  expect(await rows(users)).toBe(usersBefore);
  env.clock.advance(15 * 60_000);
  await anon.people.join({ token: tokenOf(late.link), name: 'Late', password: 'long enough pw' });
});

it('invites by a one-use link with a role, which expires', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const inv = await admin.people.invite({ email: 'New.Agent@Alpha.test', role: 'agent' });
  expect(inv.link).toMatch(/^https:\/\/deskwatch\.test\/join#[A-Za-z0-9_-]{40,}$/);
  const token = tokenOf(inv.link);
  const anon = env.anonymous();
  expect(await anon.people.invitation({ token })).toEqual({
    email: 'new.agent@alpha.test',
    role: 'agent',
    workspace: 'Alpha',
  });
  expect((await admin.people.list()).invitations.map((i) => i.email)).toEqual([
    'new.agent@alpha.test',
  ]);
  const me = await anon.people.join({ token, name: 'Nia New', password: 'a good password' });
  expect(me).toEqual({ name: 'Nia New', email: 'new.agent@alpha.test', role: 'agent' });
  expect(
    await env.services.accounts.signIn('new.agent@alpha.test', 'a good password'),
  ).toMatchObject({ caller: { role: 'agent', workspaceId: env.a.id } });
  // Used once.
  await expect(
    anon.people.join({ token, name: 'Someone Else', password: 'another password' }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect(await anon.people.invitation({ token })).toBeNull();
  expect((await admin.people.list()).invitations).toEqual([]);

  // Expired after its days.
  const late = await admin.people.invite({ email: 'late@alpha.test', role: 'manager', days: 1 });
  env.clock.advance(24 * 3600_000 + 1);
  await expect(
    anon.people.join({ token: tokenOf(late.link), name: 'Late', password: 'a good password' }),
  ).rejects.toThrow(/expired/);
  // Revoked.
  const revoked = await admin.people.invite({ email: 'rev@alpha.test', role: 'agent' });
  await admin.people.revokeInvitation({ invitationId: revoked.id });
  expect(await anon.people.invitation({ token: tokenOf(revoked.link) })).toBeNull();
  // An address that has an account is not invited again.
  await expect(
    admin.people.invite({ email: env.b.users.agent.email, role: 'agent' }),
  ).rejects.toMatchObject({ code: 'CONFLICT' });
});

it('changes roles but always keeps an active admin', async () => {
  const admin = await env.as(env.a.users.admin.email);
  await admin.people.setRole({ userId: env.a.users.agent.userId, role: 'manager' });
  const agent = await env.as(env.a.users.agent.email);
  expect((await agent.auth.me())!.role).toBe('manager');
  await expect(
    admin.people.setRole({ userId: env.a.users.admin.userId, role: 'agent' }),
  ).rejects.toThrow(/at least one active admin/);
  expect((await admin.auth.me())!.role).toBe('admin');
  // Another workspace's person is not found; managers may not change roles.
  await expect(
    admin.people.setRole({ userId: env.b.users.agent.userId, role: 'admin' }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(
    (await env.as(env.a.users.manager.email)).people.setRole({
      userId: env.a.users.manager.userId,
      role: 'admin',
    }),
  ).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

it('deactivates at once: sessions, extension tokens, push devices and live feeds end; pending escalations move', async () => {
  const { userId } = env.a.users.agent;
  const sessionCount = async () =>
    (await env.db.select().from(sessions).where(eq(sessions.userId, userId))).length;
  await env.as(env.a.users.agent.email);
  expect(await sessionCount()).toBeGreaterThan(0);
  const extension = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await extension.tickets.observe({ snapshot: snapshot() });
  const esc = await extension.escalations.request({
    ticketId: ticket.id,
    type: 'tier2',
    reason: 'Locked out',
  });
  await env.db.insert(pushSubscriptions).values({
    id: 'sub-1',
    workspaceId: env.a.id,
    userId,
    endpoint: 'https://fcm.googleapis.com/fcm/send/x',
    p256dh: 'k',
    auth: 'a',
    createdAt: env.clock(),
  });
  const ac = new AbortController();
  const watcher = await env.as(env.a.users.agent.email, 'token', { signal: ac.signal });
  const feed = await watcher.escalations.watchTickets({ ticketIds: [ticket.id] });
  const it = feed[Symbol.asyncIterator]();
  expect((await it.next()).done).toBe(false); // the feed's first answer: it is open

  const admin = await env.as(env.a.users.admin.email);
  const res = await admin.people.deactivate({ userId, transferTo: env.a.users.manager.userId });
  expect(res).toEqual({ escalationsTransferred: 1, feedsCut: 1 });
  expect((await it.next()).done).toBe(true); // the open feed ended

  expect(await sessionCount()).toBe(0);
  expect(await env.services.accounts.signIn(env.a.users.agent.email, 'pw-agent')).toBeNull();
  const [sub] = await env.db.select().from(pushSubscriptions);
  expect(sub!.retiredAt).toBe(env.clock());
  const listed = await admin.escalations.get({ escalationId: esc.id });
  expect(listed.requestedBy).toBe('Alpha manager');
  expect((await admin.people.list()).people.find((p) => p.userId === userId)!.deactivatedAt).toBe(
    env.clock(),
  );

  // Not twice, never yourself, never someone of another workspace.
  await expect(admin.people.deactivate({ userId })).rejects.toMatchObject({ code: 'CONFLICT' });
  await expect(admin.people.deactivate({ userId: env.a.users.admin.userId })).rejects.toMatchObject(
    { code: 'BAD_REQUEST' },
  );
  await expect(admin.people.deactivate({ userId: env.b.users.agent.userId })).rejects.toMatchObject(
    { code: 'NOT_FOUND' },
  );

  // Reactivated, they sign in again; what was revoked stays revoked.
  await admin.people.reactivate({ userId });
  expect(await env.services.accounts.signIn(env.a.users.agent.email, 'pw-agent')).not.toBeNull();
  ac.abort();
});

it('refuses an extension token of a deactivated person on its next call', async () => {
  const { accounts } = env.services;
  const { code } = await accounts.createPairingCode(env.a.users.agent.userId);
  const { token } = (await accounts.redeemPairingCode(code, 'Chrome'))!;
  expect(await accounts.tokenCaller(token)).toMatchObject({ userId: env.a.users.agent.userId });
  const admin = await env.as(env.a.users.admin.email);
  await admin.people.deactivate({ userId: env.a.users.agent.userId });
  expect(await accounts.tokenCaller(token)).toBeNull();
  // Reactivation does not bring a revoked token back.
  await admin.people.reactivate({ userId: env.a.users.agent.userId });
  expect(await accounts.tokenCaller(token)).toBeNull();
});

it('writes every admin change to the audit log with before and after, paged by sequence', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const inv = await admin.people.invite({ email: 'x@alpha.test', role: 'agent' });
  await admin.people.setRole({ userId: env.a.users.agent.userId, role: 'manager' });
  await admin.people.deactivate({ userId: env.a.users.manager.userId });
  await admin.people.revokeInvitation({ invitationId: inv.id });

  const first = await admin.audit.list({ limit: 2 });
  expect(first.entries.map((e) => e.action)).toEqual(['invitation.revoke', 'person.deactivate']);
  expect(first.entries[1]!.actor).toEqual({ name: 'Alpha admin', email: 'admin@alpha.test' });
  expect(first.entries[1]!.before).toMatchObject({ active: true });
  expect(first.entries[1]!.after).toMatchObject({ active: false });
  const second = await admin.audit.list({ limit: 2, cursor: first.nextCursor! });
  expect(second.entries.map((e) => [e.action, e.before, e.after])).toEqual([
    [
      'person.role',
      { email: 'agent@alpha.test', role: 'agent' },
      { email: 'agent@alpha.test', role: 'manager' },
    ],
    ['invitation.create', null, expect.objectContaining({ email: 'x@alpha.test' })],
  ]);
  expect(second.nextCursor).toBeNull();
  // Beta sees none of it; managers and agents cannot read it.
  expect((await (await env.as(env.b.users.admin.email)).audit.list({})).entries).toEqual([]);
  await expect((await env.as(env.a.users.agent.email)).audit.list({})).rejects.toMatchObject({
    code: 'FORBIDDEN',
  });
});

it('writes nothing for a rejected request', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const before = [await rows(auditLog), await rows(invitations), await rows(users)];
  await expect(
    admin.people.invite({ email: 'not an address', role: 'agent' } as never),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  await expect(
    admin.people.invite({ email: 'ok@alpha.test', role: 'owner' } as never),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  await expect(
    env.anonymous().people.join({ token: 'x'.repeat(43), name: 'N', password: 'long enough pw' }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(
    env.anonymous().people.join({ token: 'x'.repeat(43), name: 'N', password: 'short' }),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  expect([await rows(auditLog), await rows(invitations), await rows(users)]).toEqual(before);
});
