import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@deskwatch/server';
import { startServer, type ServerProcess } from './harness';

/**
 * Abuse: the push endpoints of a running server as an internal port scanner (issue #13). The
 * server runs with name resolution and sockets stubbed (`no-egress.mjs`): names answer from a
 * table this test writes, and a connection to anything outside loopback fails before it is made
 * and is logged, so no packet leaves for any other address even if the server's own checks fail.
 */
let server: ServerProcess;
let dnsTable: string;
let egressLog: string;

/** What names resolve to, for the server, from now on. */
const resolveAs = (names: Record<string, string[]>) =>
  writeFileSync(dnsTable, JSON.stringify(names));
const egress = () => readFileSync(egressLog, 'utf8');

beforeAll(async () => {
  const dir = (await import('node:fs')).mkdtempSync(
    join((await import('node:os')).tmpdir(), 'deskwatch-ssrf-'),
  );
  dnsTable = join(dir, 'dns.json');
  egressLog = join(dir, 'egress.log');
  resolveAs({});
  writeFileSync(egressLog, '');
  server = await startServer({
    SCHEDULER: 'off',
    SEED_DEMO_HISTORY: 'false',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(import.meta.dirname, 'no-egress.mjs')}`,
    DESKWATCH_TEST_DNS: dnsTable,
    DESKWATCH_TEST_EGRESS_LOG: egressLog,
  });
});
afterAll(() => server?.stop());

/** A signed-in user of the demo workspace calling tRPC over HTTP, as the app does. */
async function signedIn(email: string) {
  const res = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return async (procedure: string, input?: unknown) => {
    const r = await fetch(`${server.url}/trpc/${procedure}`, {
      method: procedure === 'push.devices' ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1', cookie },
      ...(procedure === 'push.devices' ? {} : { body: JSON.stringify(input ?? null) }),
    });
    return { status: r.status, text: await r.text() };
  };
}

const keys = {
  p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  auth: 'tBHItJI5svbpez7KI4CCXg',
};

describe('abuse: push endpoints as a port scanner', () => {
  it('refuses endpoints on loopback, private, link-local and metadata addresses, and names that resolve to them, writing nothing', async () => {
    resolveAs({
      'fcm.googleapis.com': ['127.0.0.1'],
      'updates.push.services.mozilla.com': ['10.0.0.8'],
      'web.push.apple.com': ['169.254.169.254'],
      'wns2-by3p.notify.windows.com': ['fd00::1'],
      'a.push.apple.com': ['::ffff:192.168.1.1'],
      'b.push.apple.com': ['172.20.0.1'],
      'c.push.apple.com': ['fe80::1'],
    });
    const agent = await signedIn('agent@acme.test');
    for (const endpoint of [
      'https://127.0.0.1:8787/trpc',
      'https://localhost:22/',
      'https://10.0.0.1/',
      'https://172.16.0.1/',
      'https://192.168.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://0.0.0.0/',
      'https://2130706433/', // 127.0.0.1, decimal
      'https://0xa9fea9fe/', // 169.254.169.254, hex
      'https://[::1]/',
      'https://[fc00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://internal.example.com/',
      'https://fcm.googleapis.com/fcm/send/x',
      'https://updates.push.services.mozilla.com/wpush/v2/x',
      'https://web.push.apple.com/x',
      'https://wns2-by3p.notify.windows.com/w/?token=x',
      'https://a.push.apple.com/x',
      'https://b.push.apple.com/x',
      'https://c.push.apple.com/x',
    ]) {
      const res = await agent('push.subscribe', { endpoint, keys });
      expect(res.status, endpoint).toBe(400);
      for (const leak of ['ECONNREFUSED', 'ENOTFOUND']) expect(res.text).not.toContain(leak);
    }
    expect(JSON.parse((await agent('push.devices')).text).result.data).toEqual([]);
    expect(egress()).toBe('');
  });

  it('refuses at send a push service name rebound to a private address, reports a category, and connects nowhere', async () => {
    resolveAs({ 'fcm.googleapis.com': ['142.250.74.106'] });
    const manager = await signedIn('manager@acme.test');
    expect(
      (await manager('push.subscribe', { endpoint: 'https://fcm.googleapis.com/fcm/send/m', keys }))
        .status,
    ).toBe(200);
    for (const rebound of ['10.0.0.8', '169.254.169.254']) {
      resolveAs({ 'fcm.googleapis.com': [rebound] });
      const res = await manager('push.sendTest');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).result.data).toMatchObject([
        { status: 'failed', detail: 'refused_address' },
      ]);
      expect(res.text).not.toContain(rebound);
    }
    expect(egress()).toBe('');
  });
});
