import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEnv } from '../testing.js';
import { TOKEN_USE_WRITE_MS } from './accounts.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

/** An extension token of Alpha's agent, paired the way the extension pairs. */
async function paired() {
  const { accounts } = env.services;
  const { code } = await accounts.createPairingCode(env.a.users.agent.userId);
  return (await accounts.redeemPairingCode(code, 'laptop'))!;
}

const lastUsed = async (tokenId: string) =>
  (
    await env.client.execute({
      sql: 'SELECT last_used_at FROM extension_tokens WHERE id = ?',
      args: [tokenId],
    })
  ).rows[0]!.last_used_at;

describe('extension tokens', () => {
  it('writes nothing when a token is used: its use is written later, at most once a minute', async () => {
    const { accounts } = env.services;
    const { token, tokenId } = await paired();
    const t0 = env.clock();
    expect(await accounts.tokenCaller(token)).toMatchObject({ tokenId, via: 'token' });
    expect(await lastUsed(tokenId)).toBeNull(); // the request wrote nothing
    expect(await accounts.flushTokenUse()).toBe(1);
    expect(await lastUsed(tokenId)).toBe(t0);

    env.clock.advance(30_000);
    await accounts.tokenCaller(token);
    expect(await accounts.flushTokenUse()).toBe(0); // written less than a minute ago
    expect(await lastUsed(tokenId)).toBe(t0);
    // The device list shows the use all the same.
    const [listed] = await accounts.listTokens(env.a.users.agent.userId);
    expect(listed!.lastUsedAt).toBe(t0 + 30_000);

    env.clock.advance(TOKEN_USE_WRITE_MS - 30_000);
    expect(await accounts.flushTokenUse()).toBe(1);
    expect(await lastUsed(tokenId)).toBe(t0 + 30_000);
    expect(await accounts.flushTokenUse()).toBe(0); // nothing new
  });

  it('writes every pending use at shutdown', async () => {
    const { accounts } = env.services;
    const { token, tokenId } = await paired();
    await accounts.tokenCaller(token);
    await accounts.flushTokenUse();
    env.clock.advance(1000);
    await accounts.tokenCaller(token);
    expect(await accounts.flushTokenUse({ all: true })).toBe(1);
    expect(await lastUsed(tokenId)).toBe(env.clock());
  });

  it('refuses a revoked token at once, on this instance and on another', async () => {
    const { accounts } = env.services;
    const other = (await env.secondInstance()).accounts;
    const { token, tokenId } = await paired();
    expect(await accounts.tokenCaller(token)).not.toBeNull();
    expect(await other.tokenCaller(token)).not.toBeNull();
    expect(await other.revokeToken(env.a.users.agent.userId, tokenId)).toBe(true);
    expect(await accounts.tokenCaller(token)).toBeNull();
    expect(await other.tokenCaller(token)).toBeNull();
  });
});
