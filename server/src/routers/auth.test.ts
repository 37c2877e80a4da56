import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.js';
import { backoffMs, SIGN_IN_BACKOFF } from '../services/limiter.js';
import { testEnv } from '../testing.js';
import { createCallerFactory, createContextInner, type Services } from '../trpc.js';
import { appRouter } from './index.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

/** An anonymous caller at `clientIp`, on `services` (the first instance unless told). */
const from = (clientIp: string, services: Services = env.services, resHeaders?: Headers) =>
  createCallerFactory(appRouter)(
    createContextInner({ services, clientIp, resHeaders: resHeaders ?? null }),
  );

const admin = () => env.a.users.admin.email;
const wrong = (ip: string, email = admin(), services?: Services) =>
  expect(from(ip, services).auth.signIn({ email, password: 'guess' })).rejects.toMatchObject({
    code: 'UNAUTHORIZED',
  });
const right = (ip: string, services?: Services) =>
  from(ip, services).auth.signIn({ email: admin(), password: 'pw-admin' });
const refused = (ip: string, services?: Services) =>
  expect(right(ip, services)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
const rows = async () =>
  Number((await env.client.execute('SELECT count(*) FROM auth_throttle')).rows[0]![0]);

describe('sign-in limits', () => {
  it("never stops the owner at their own address because of an attacker's failures elsewhere", async () => {
    for (let i = 0; i < 12; i++) {
      await wrong('203.0.113.9');
      env.clock.advance(3600_000); // the attacker waits out every backoff
    }
    expect((await right('198.51.100.7')).email).toBe(admin());
    // The attacker's own address, right password or not, waits.
    await wrong('203.0.113.9');
    await refused('203.0.113.9');
  });

  it('lets a few failures pass, then waits twice as long after each one, and the wait expires', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < SIGN_IN_BACKOFF.free; i++) await wrong(ip);
    expect((await right(ip)).email).toBe(admin()); // a right password clears the count
    for (let i = 0; i < SIGN_IN_BACKOFF.free; i++) await wrong(ip);
    await expect(from(ip).auth.signIn({ email: admin(), password: 'guess' })).rejects.toMatchObject(
      {
        code: 'UNAUTHORIZED',
        message: 'Wrong email or password; wait 15 s before the next try',
      },
    );
    const headers = new Headers();
    await expect(
      from(ip, env.services, headers).auth.signIn({ email: admin(), password: 'pw-admin' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many failed sign-ins from this address; try again in 15 s',
    });
    expect(headers.get('retry-after')).toBe('15');
    env.clock.advance(15_000);
    await wrong(ip);
    env.clock.advance(29_000);
    await expect(right(ip)).rejects.toMatchObject({
      message: 'Too many failed sign-ins from this address; try again in 1 s',
    });
    env.clock.advance(1_000);
    expect((await right(ip)).email).toBe(admin());
  });

  it('lets no more guesses through when they come all at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        from('203.0.113.9').auth.signIn({ email: admin(), password: 'guess' }),
      ),
    );
    const codes = results.map((r) =>
      r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK',
    );
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(SIGN_IN_BACKOFF.free + 1);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(19 - SIGN_IN_BACKOFF.free);
  });

  it('doubles the wait up to an hour', () => {
    const waits = [4, 5, 6, 12, 40].map((n) => backoffMs(SIGN_IN_BACKOFF, n));
    expect(waits).toEqual([15_000, 30_000, 60_000, 3600_000, 3600_000]);
    expect(backoffMs(SIGN_IN_BACKOFF, 3)).toBe(0);
  });

  it('clears the count of an account and address after a right password', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < SIGN_IN_BACKOFF.free; i++) await wrong(ip);
    await right(ip);
    // Without the reset, the next failure would be the fourth and start a wait.
    for (let i = 0; i < SIGN_IN_BACKOFF.free; i++) await wrong(ip);
    expect((await right(ip)).email).toBe(admin());
  });

  it('limits guessing across many accounts from one address, and only that address', async () => {
    const ip = '203.0.113.9';
    // One try per account never starts a backoff; the address's count does.
    for (let i = 0; i < 30; i++) await wrong(ip, `user${i}@alpha.test`);
    await refused(ip);
    expect((await right('198.51.100.7')).email).toBe(admin());
    env.clock.advance(3600_000);
    expect((await right(ip)).email).toBe(admin());
  });

  it('holds across two instances on one database', async () => {
    const second = await env.secondInstance();
    const ip = '203.0.113.9';
    await wrong(ip);
    await wrong(ip, admin(), second);
    await wrong(ip);
    await wrong(ip, admin(), second); // the fourth failure, counted over both
    await refused(ip);
    await refused(ip, second);
  });

  it('holds across a restart', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i <= SIGN_IN_BACKOFF.free; i++) await wrong(ip);
    // New services on the same file, as after a restart: nothing lives in the old process.
    const restarted = await env.secondInstance();
    await refused(ip, restarted);
    env.clock.advance(15_000);
    expect((await right(ip, restarted)).email).toBe(admin());
  });

  it('answers 429 with Retry-After over HTTP', async () => {
    const app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'http://127.0.0.1:8787',
      pwaDist: '/nonexistent',
    });
    const signIn = (password: string) =>
      app.request('/trpc/auth.signIn', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: admin(), password }),
      });
    for (let i = 0; i <= SIGN_IN_BACKOFF.free; i++)
      expect((await signIn('guess')).status).toBe(401);
    const res = await signIn('pw-admin');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('15');
  });

  it('behind a trusted proxy, counts the address the proxy reports, not the proxy', async () => {
    const app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'https://deskwatch.test',
      pwaDist: '/nonexistent',
      trustProxy: true,
    });
    const signIn = (forwardedFor: string, email: string, password: string) =>
      app.request('/trpc/auth.signIn', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < 30; i++)
      expect((await signIn('203.0.113.9', `user${i}@alpha.test`, 'guess')).status).toBe(401);
    expect((await signIn('203.0.113.9', admin(), 'pw-admin')).status).toBe(429);
    // A client cannot pick its address by writing the header itself: the proxy's entry is last.
    expect((await signIn('198.51.100.7, 203.0.113.9', admin(), 'pw-admin')).status).toBe(429);
    expect((await signIn('198.51.100.7', admin(), 'pw-admin')).status).toBe(200);
  });

  it('forgets counts that can limit nothing any more', async () => {
    await wrong('203.0.113.9');
    expect(await rows()).toBe(2); // the account at the address, and the address
    await env.services.limiter.housekeeping();
    expect(await rows()).toBe(2);
    env.clock.advance(2 * 24 * 3600_000 + 1);
    await env.services.limiter.housekeeping();
    expect(await rows()).toBe(0);
  });

  it("are forgotten by the running scheduler's housekeeping", async () => {
    await wrong('203.0.113.9');
    env.clock.advance(2 * 24 * 3600_000 + 1);
    // Only the interval is faked: the pass itself runs for real, and stop() waits for it.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      env.services.scheduler.start(1000);
      vi.advanceTimersByTime(1000);
      await env.services.scheduler.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(await rows()).toBe(0);
  });
});

describe('pairing-code limits', () => {
  it('hold across two instances and expire after the window', async () => {
    const second = await env.secondInstance();
    const ip = '203.0.113.9';
    for (let i = 0; i < 20; i++)
      await expect(
        from(ip, i % 2 ? second : env.services).pairing.redeem({ code: 'AAAA222' + (i % 10) }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { code } = await (await env.as(env.a.users.agent.email)).pairing.createCode();
    for (const s of [env.services, second])
      await expect(from(ip, s).pairing.redeem({ code })).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: 'Too many failed pairing codes from this address; try again in 15 min',
      });
    expect((await from('198.51.100.7', second).pairing.redeem({ code })).user.email).toBe(
      env.a.users.agent.email,
    );
  });
});
