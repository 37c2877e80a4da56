import { afterEach, describe, expect, it } from 'vitest';
import { stubResolve, testEnv } from '../testing.js';
import { checkPollUrl, parseConnectorHosts, PollUrlRefused } from './base-url.js';
import { startFakeRedmine } from './fakes/redmine.js';

const policy = (allowed = '') => ({
  allowed: parseConnectorHosts(allowed),
  resolve: stubResolve({
    'redmine.example.com': ['93.184.216.34'],
    'intranet.example.com': ['10.1.2.3'],
    'rebound.example.com': ['93.184.216.34', '127.0.0.1'],
    'metadata.example.com': ['169.254.169.254'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  }),
});

describe("a poller's base URL", () => {
  it('is read when its name resolves to public addresses only', async () => {
    await expect(
      checkPollUrl('https://redmine.example.com/issues.json', policy()),
    ).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['http://127.0.0.1:3000/issues.json', /private or local/], // loopback
    ['http://[::1]/issues.json', /private or local/],
    ['https://10.0.0.5/api', /private or local/],
    ['https://intranet.example.com/api', /private or local/], // a name for a private address
    ['https://rebound.example.com/api', /private or local/], // one address of several is enough
    ['http://metadata.example.com/latest', /private or local/], // the cloud's metadata address
    ['https://mapped.example.com/api', /private or local/], // IPv4-mapped loopback
    ['https://localhost/api', /private or local/],
    ['https://nowhere.example.com/api', /could not be resolved/],
    ['https://user:pw@redmine.example.com/', /no user name or password/],
    ['file:///etc/passwd', /not http or https/],
  ])('refuses %s', async (url, why) => {
    const refused = checkPollUrl(url, policy());
    await expect(refused).rejects.toBeInstanceOf(PollUrlRefused);
    await expect(refused).rejects.toThrow(why);
  });

  it('reads a private host the operator allows: a host alone on any port, host:port on that port', async () => {
    const p = policy('intranet.example.com,127.0.0.1:3000');
    await expect(checkPollUrl('https://intranet.example.com:8443/api', p)).resolves.toBeInstanceOf(
      URL,
    );
    await expect(checkPollUrl('http://127.0.0.1:3000/issues.json', p)).resolves.toBeInstanceOf(URL);
    await expect(checkPollUrl('http://127.0.0.1:3001/issues.json', p)).rejects.toThrow(
      /private or local/,
    );
  });
});

describe('the poller, without the loopback allowance of the tests', () => {
  let close: () => Promise<void> = async () => {};
  afterEach(() => close());

  it('does not read a tool on loopback: the connector fails with the reason, nothing is asked', async () => {
    const env = await testEnv({ connectorAllowedHosts: [] });
    const fake = await startFakeRedmine('redmine-api-key-for-tests-0123456789');
    close = async () => {
      await fake.close();
      await env.close();
    };
    fake.add(1, Date.parse('2026-03-27T08:00:00Z'));
    const c = await env.services.connectors.create(env.a.id, {
      tool: 'redmine',
      name: 'Loopback Redmine',
      config: { baseUrl: fake.baseUrl, backfillDays: 7, pollSeconds: 60 },
      apiToken: 'redmine-api-key-for-tests-0123456789',
    });
    const [outcome] = await env.services.poller.tick();
    expect(outcome).toMatchObject({ connectorId: c.id, outcome: 'waiting', tickets: 0 });
    expect(fake.requests).toEqual([]);
    expect((await env.services.connectors.get(env.a.id, c.id)).health.lastError).toMatch(
      /127\.0\.0\.1 is a private or local address/,
    );
  });
});
