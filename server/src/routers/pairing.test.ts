import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { extensionTokens } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { createCallerFactory, createContextInner } from '../trpc.js';
import { appRouter } from './index.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const withToken = async (token: string) => {
  const caller = await env.services.accounts.tokenCaller(token);
  return createCallerFactory(appRouter)(createContextInner({ services: env.services, caller }));
};

describe('extension pairing', () => {
  it('exchanges a code for a token that identifies the user', async () => {
    const agent = await env.as(env.a.users.agent.email);
    const { code, expiresAt } = await agent.pairing.createCode();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(expiresAt).toBe(env.clock() + 10 * 60_000);
    const { token, user } = await env
      .anonymous()
      .pairing.redeem({ code: code.toLowerCase().replace(/(.{4})/, '$1-') });
    expect(user.email).toBe(env.a.users.agent.email);
    expect(await (await withToken(token)).pairing.whoami()).toMatchObject({
      email: env.a.users.agent.email,
      role: 'agent',
    });
  });

  it('accepts a code only once', async () => {
    const { code } = await (await env.as(env.a.users.agent.email)).pairing.createCode();
    await env.anonymous().pairing.redeem({ code });
    await expect(env.anonymous().pairing.redeem({ code })).rejects.toThrow(
      /wrong, expired or already used/,
    );
  });

  it('refuses a code after ten minutes', async () => {
    const { code } = await (await env.as(env.a.users.agent.email)).pairing.createCode();
    env.clock.advance(10 * 60_000 + 1);
    await expect(env.anonymous().pairing.redeem({ code })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const [{ n }] = (await env.db.select({ n: count() }).from(extensionTokens)) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('stores only a hash of the token and stops honouring it once revoked', async () => {
    const agent = await env.as(env.a.users.agent.email);
    const { code } = await agent.pairing.createCode();
    const { token } = await env.anonymous().pairing.redeem({ code });
    const rows = await env.db.select().from(extensionTokens);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const [device] = await agent.pairing.devices();
    await agent.pairing.revoke({ tokenId: device!.id });
    await expect((await withToken(token)).pairing.whoami()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('does not let an extension token mint pairing codes', async () => {
    const viaToken = await env.as(env.a.users.agent.email, 'token');
    await expect(viaToken.pairing.createCode()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('guessing', () => {
  it('slows down pairing-code guessing per address', async () => {
    for (let i = 0; i < 20; i++)
      await expect(
        env.anonymous().pairing.redeem({ code: 'AAAA222' + (i % 10) }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { code } = await (await env.as(env.a.users.agent.email)).pairing.createCode();
    await expect(env.anonymous().pairing.redeem({ code })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('drops expired sessions and spent pairing codes', async () => {
    await env.as(env.a.users.agent.email);
    const { code } = await (await env.as(env.a.users.manager.email)).pairing.createCode();
    await env.anonymous().pairing.redeem({ code });
    const count = async (table: string) =>
      Number((await env.client.execute(`SELECT count(*) FROM ${table}`)).rows[0]![0]);
    expect(await count('pairing_codes')).toBe(1);
    await env.services.accounts.housekeeping();
    expect(await count('pairing_codes')).toBe(0); // used
    expect(await count('sessions')).toBe(2);
    env.clock.advance(31 * 24 * 3600_000);
    await env.services.accounts.housekeeping();
    expect(await count('sessions')).toBe(0);
  });
});

describe('sign in', () => {
  it('refuses a wrong password without saying whether the email exists', async () => {
    await expect(
      env.anonymous().auth.signIn({ email: env.a.users.agent.email, password: 'nope' }),
    ).rejects.toThrow('Wrong email or password');
    await expect(
      env.anonymous().auth.signIn({ email: 'nobody@alpha.test', password: 'nope' }),
    ).rejects.toThrow('Wrong email or password');
  });
});
