import type { LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { stubResolve } from '../testing.js';
import {
  checkEndpoint,
  checkEndpointUrl,
  guardedLookup,
  isPublicAddress,
  parseAllowedHosts,
  type EndpointPolicy,
} from './push-endpoint.js';

/**
 * No test here opens a connection: names resolve through a stub table, and the Agent's lookup
 * is called directly. A public address in the table is only ever checked, never dialled.
 */
const PUBLIC_V4 = '142.250.74.106';
const PUBLIC_V6 = '2a00:1450:4001:80b::200a';

/** Addresses no push to a known service may reach, with why. */
const REFUSED_ADDRESSES = [
  ['127.0.0.1', 'loopback'],
  ['127.8.9.10', 'loopback, anywhere in 127/8'],
  ['10.1.2.3', '10/8'],
  ['172.16.0.1', '172.16/12, first'],
  ['172.31.255.254', '172.16/12, last'],
  ['192.168.1.1', '192.168/16'],
  ['169.254.169.254', 'link-local: cloud metadata'],
  ['0.0.0.0', 'unspecified: this host'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['::1', 'IPv6 loopback'],
  ['::', 'IPv6 unspecified'],
  ['fc00::1', 'unique-local fc00::/7'],
  ['fd12:3456::1', 'unique-local fd00::/8'],
  ['fe80::1', 'IPv6 link-local'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex form'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
  ['2002:a00:1::', '6to4 of 10.0.0.1'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
] as const;

const policy = (names: Record<string, string[]>, allowed = ''): EndpointPolicy => ({
  allowed: parseAllowedHosts(allowed),
  resolve: stubResolve(names),
});

describe('push endpoints: which hosts', () => {
  it.each([
    'https://fcm.googleapis.com/fcm/send/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/abc',
    'https://wns2-by3p.notify.windows.com/w/?token=abc',
    'https://web.push.apple.com/QGx-abc',
  ])('accepts the browsers push service %s when it resolves to public addresses', async (e) => {
    const host = new URL(e).hostname;
    const url = await checkEndpoint(e, policy({ [host]: [PUBLIC_V4, PUBLIC_V6] }));
    expect(url.href).toBe(e);
  });

  it.each([
    ['https://fcm.googleapis.com.evil.test/x', 'a look-alike suffix'],
    ['https://evilfcm.googleapis.com/x', 'not a subdomain'],
    ['https://push.example.com/x', 'an unknown host'],
    ['https://fcm.googleapis.com:8443/x', 'a known host on another port'],
    ['http://fcm.googleapis.com/x', 'plain http'],
    ['https://user:pw@fcm.googleapis.com/x', 'credentials'],
    ['https://fcm.googleapis.com./x', 'a trailing dot'],
  ])('refuses %s (%s) without resolving it', (endpoint) => {
    expect(() => checkEndpointUrl(endpoint, [])).toThrow(/push endpoint|push services/i);
  });

  it.each([
    'https://127.0.0.1/x',
    'https://2130706433/x', // decimal 127.0.0.1
    'https://0x7f000001/x', // hex
    'https://0177.0.0.1/x', // octal
    'https://127.1/x', // short form
    'https://0.0.0.0/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/x',
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[fe80::1]/x',
  ])('refuses the address literal %s, in any spelling the URL parser accepts', (endpoint) => {
    expect(() => checkEndpointUrl(endpoint, [])).toThrow(/only on the browsers' push services/);
  });

  it.each(REFUSED_ADDRESSES)(
    'refuses a known push host that resolves to %s (%s)',
    async (address) => {
      await expect(
        checkEndpoint(
          'https://fcm.googleapis.com/fcm/send/x',
          policy({ 'fcm.googleapis.com': [address] }),
        ),
      ).rejects.toThrow('fcm.googleapis.com resolves to a private or local address');
    },
  );

  it('refuses a name with one public and one private address', async () => {
    await expect(
      checkEndpoint(
        'https://web.push.apple.com/x',
        policy({ 'web.push.apple.com': [PUBLIC_V4, '10.0.0.7'] }),
      ),
    ).rejects.toThrow(/private or local/);
  });

  it('refuses a name that does not resolve, without saying why the resolver failed', async () => {
    await expect(checkEndpoint('https://fcm.googleapis.com/x', policy({}))).rejects.toThrow(
      'fcm.googleapis.com could not be resolved',
    );
  });

  it('accepts a host:port the operator allows, private addresses included, and only on that port', async () => {
    const allowed = policy({}, 'localhost:8443, push.internal, 10.0.0.5:9000');
    for (const ok of [
      'https://localhost:8443/push/1',
      'https://push.internal/push/1',
      'https://10.0.0.5:9000/push/1',
    ])
      expect((await checkEndpoint(ok, allowed)).href).toBe(ok);
    for (const no of [
      'https://localhost:8444/push/1',
      'https://push.internal:8443/push/1',
      'https://10.0.0.5/push/1',
    ])
      await expect(checkEndpoint(no, allowed)).rejects.toThrow(/PUSH_ALLOWED_HOSTS/);
  });

  it('reads PUSH_ALLOWED_HOSTS as host[:port] entries and names a bad one', () => {
    expect(parseAllowedHosts(' Push.Internal , [fd00::1]:9000,10.0.0.5:443 ,')).toEqual([
      { hostname: 'push.internal', port: '' },
      { hostname: '[fd00::1]', port: '9000' },
      { hostname: '10.0.0.5', port: '' },
    ]);
    expect(parseAllowedHosts('')).toEqual([]);
    expect(() => parseAllowedHosts('push.internal/path')).toThrow(
      '"push.internal/path" is not a host[:port]',
    );
    expect(() => parseAllowedHosts('push.internal:99999')).toThrow(/not a host\[:port\]/);
  });

  it('calls public unicast public, and nothing in the refused ranges', () => {
    expect([PUBLIC_V4, PUBLIC_V6].map(isPublicAddress)).toEqual([true, true]);
    expect(REFUSED_ADDRESSES.filter(([a]) => isPublicAddress(a))).toEqual([]);
    expect(isPublicAddress('not an address')).toBe(false);
  });
});

describe('push endpoints: the connection lookup', () => {
  /** Calls the Agent's lookup as Node's connect does, and reports what it answered. */
  function lookup(p: EndpointPolicy, hostname: string, options: LookupOptions) {
    return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>(
      (ok) =>
        guardedLookup(p)(hostname, options, (err, address, family) =>
          ok({ err, address, ...(family === undefined ? {} : { family }) }),
        ),
    );
  }

  it('hands the connection the very addresses it checked, in both lookup forms', async () => {
    const p = policy({ 'fcm.googleapis.com': [PUBLIC_V4, PUBLIC_V6] });
    expect(await lookup(p, 'fcm.googleapis.com', { all: true })).toEqual({
      err: null,
      address: [
        { address: PUBLIC_V4, family: 4 },
        { address: PUBLIC_V6, family: 6 },
      ],
    });
    expect(await lookup(p, 'fcm.googleapis.com', { family: 6 })).toEqual({
      err: null,
      address: PUBLIC_V6,
      family: 6,
    });
  });

  it.each(REFUSED_ADDRESSES)(
    'refuses to connect a known push host that now resolves to %s (%s)',
    async (address) => {
      const { err } = await lookup(
        policy({ 'fcm.googleapis.com': [address] }),
        'fcm.googleapis.com',
        {
          all: true,
        },
      );
      expect(err).toMatchObject({ code: 'EPUSHREFUSED' });
    },
  );

  it('refuses to connect to a host that is neither a push service nor allowed', async () => {
    const { err } = await lookup(
      policy({ 'metadata.internal': [PUBLIC_V4] }),
      'metadata.internal',
      {
        all: true,
      },
    );
    expect(err).toMatchObject({ code: 'EPUSHREFUSED' });
  });

  it('connects an allowed host to its private address', async () => {
    const p = policy({ 'push.internal': ['10.0.0.5'] }, 'push.internal:8443');
    expect(await lookup(p, 'push.internal', { all: true })).toEqual({
      err: null,
      address: [{ address: '10.0.0.5', family: 4 }],
    });
  });
});
