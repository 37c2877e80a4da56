// Abuse suite, rate limits: two real server processes on one database file, over HTTP on
// loopback. Addresses are told apart through X-Forwarded-For, as a trusted proxy would
// (TRUST_PROXY=true). Every wait checked here is the per-address window of an hour, so a slow
// machine cannot make it pass or fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '@deskwatch/server';
import { startServer, type ServerProcess } from './harness';

const ENV = { SCHEDULER: 'off', SEED_DEMO_HISTORY: 'false', TRUST_PROXY: 'true' };
const ATTACKER = '203.0.113.9';
const OWNER = '198.51.100.7';

let one: ServerProcess;
let two: ServerProcess;
let db: string;
beforeAll(async () => {
  one = await startServer(ENV);
  db = `file:${join(one.dir, 'e2e.db')}`;
  two = await startServer({ ...ENV, DATABASE_URL: db });
});
afterAll(async () => {
  await two?.stop();
  await one?.stop();
});

async function signIn(server: ServerProcess, from: string, email: string, password: string) {
  const res = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

describe('sign-in limits across two instances and a restart', () => {
  it('hold for the guessing address on every instance, and never for the owner', async () => {
    // Password spraying: one guess per account, alternating instances, 30 in all.
    for (let i = 0; i < 30; i++) {
      const r = await signIn(i % 2 ? two : one, ATTACKER, `user${i}@acme.test`, 'guess');
      expect(r.status).toBe(401);
    }
    for (const server of [one, two]) {
      const r = await signIn(server, ATTACKER, 'admin@acme.test', DEMO_PASSWORD);
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThan(3000); // most of the hour is left
      expect(r.body.error?.message).toMatch(
        /^Too many failed sign-ins from this address; try again in \d+ min$/,
      );
    }
    expect((await signIn(two, OWNER, 'admin@acme.test', DEMO_PASSWORD)).status).toBe(200);

    // A restart keeps them: a new process on the same file.
    await two.stop();
    two = await startServer({ ...ENV, DATABASE_URL: db });
    expect((await signIn(two, ATTACKER, 'admin@acme.test', DEMO_PASSWORD)).status).toBe(429);
    expect((await signIn(two, OWNER, 'admin@acme.test', DEMO_PASSWORD)).status).toBe(200);
  });
});
