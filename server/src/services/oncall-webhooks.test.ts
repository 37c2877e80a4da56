import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, stubResolve, testEnv } from '../testing.js';
import { unseal, sealingKey } from '../crypto.js';
import { verifyWebhookSignature } from './webhook-signature.js';

/**
 * A stand-in Slack, Teams or generic receiver on loopback with a self-signed certificate: no
 * delivery in these tests leaves the machine. The operator's allowance (`PUSH_ALLOWED_HOSTS`)
 * lets the server post to it, as it lets a self-hosted push service.
 */
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
let receiver: Server;
let received: Received[] = [];
let answers: number[] = [];
let ca: string;
let base: string;
let port: string;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' });
  receiver = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  port = String((receiver.address() as AddressInfo).port);
  base = `https://localhost:${port}`;
  ca = pems.cert;
});
afterAll(() => receiver.close());

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  received = [];
  answers = [];
  env = await testEnv({
    pushCa: ca,
    pushAllowedHosts: [{ hostname: 'localhost', port }],
    pushResolve: stubResolve({ 'intranet.test': ['10.0.0.5'], 'hooks.example': ['93.184.216.34'] }),
  });
});
afterEach(() => env.close());

const MIN = 60_000;

/** A default path of two levels (manager, then admin; 5 min each), a webhook on each level. */
async function setUp() {
  const manager = await env.as(env.a.users.manager.email);
  const { id: pathId } = await manager.oncall.savePath({
    name: 'Default',
    isDefault: true,
    levels: [
      { targets: [{ kind: 'user', userId: env.a.users.manager.userId }], timeoutMinutes: 5 },
      { targets: [{ kind: 'user', userId: env.a.users.admin.userId }], timeoutMinutes: 5 },
    ],
  });
  const json = await manager.oncall.saveWebhook({
    pathId,
    level: 0,
    name: 'Ops receiver',
    url: `${base}/generic/abc`,
    format: 'json',
  });
  const slack = await manager.oncall.saveWebhook({
    pathId,
    level: 1,
    name: 'Slack #support',
    url: `${base}/services/T000/B000/XXXX`,
    format: 'slack',
  });
  return { manager, pathId, json, slack };
}

async function escalate() {
  const agent = await env.as(env.a.users.agent.email, 'token');
  const { ticket } = await agent.tickets.observe({ snapshot: snapshot({ externalId: 'w1' }) });
  const esc = await agent.escalations.request({
    ticketId: ticket.id,
    type: 'tier2',
    reason: 'Customer <b>locked</b> out & angry',
  });
  await env.services.push.drain();
  return esc;
}

describe('saving a webhook', () => {
  it('makes the secret on the server, shows it once, keeps it sealed and lists only the host', async () => {
    const { manager, json } = await setUp();
    expect(json.secret).toMatch(/^whsec_[\w-]{40,}$/);
    const list = await manager.oncall.webhooks();
    expect(list.map((w) => [w.name, w.host, w.format])).toEqual([
      ['Ops receiver', `localhost:${port}`, 'json'],
      ['Slack #support', `localhost:${port}`, 'slack'],
    ]);
    expect(JSON.stringify(list)).not.toContain(json.secret);
    expect(JSON.stringify(list)).not.toContain('/services/T000');
    const stored = await env.client.execute({
      sql: 'SELECT secret_sealed FROM oncall_webhooks WHERE id = ?',
      args: [json.id],
    });
    const sealed = stored.rows[0]![0] as string;
    expect(sealed).not.toContain(json.secret);
    expect(unseal(sealingKey('test-connector-key-0123456789abcdef'), sealed)).toBe(json.secret);
  });

  it('refuses private addresses, plain http and credentials, and writes nothing', async () => {
    const { manager, pathId } = await setUp();
    for (const url of [
      'https://intranet.test/hook', // resolves to 10.0.0.5
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest',
      'http://hooks.example/hook',
      'https://user:pw@hooks.example/hook',
    ])
      await expect(
        manager.oncall.saveWebhook({ pathId, level: 0, name: 'x', url, format: 'json' }),
        url,
      ).rejects.toThrow();
    expect(await manager.oncall.webhooks()).toHaveLength(2);
  });

  it('accepts a public host, and only levels the path has', async () => {
    const { manager, pathId } = await setUp();
    await manager.oncall.saveWebhook({
      pathId,
      level: 1,
      name: 'Teams',
      url: 'https://hooks.example/workflows/1',
      format: 'teams',
    });
    await expect(
      manager.oncall.saveWebhook({
        pathId,
        level: 2,
        name: 'No level',
        url: 'https://hooks.example/x',
        format: 'json',
      }),
    ).rejects.toThrow(/no such level/);
  });

  it('is for managers: an agent can neither list nor save', async () => {
    const { pathId } = await setUp();
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.oncall.webhooks()).rejects.toThrow();
    await expect(
      agent.oncall.saveWebhook({ pathId, level: 0, name: 'x', url: `${base}/x`, format: 'json' }),
    ).rejects.toThrow();
  });
});

describe('paging through webhooks', () => {
  it("posts each level's page to that level's webhook, signed, in its format, and shows it on the timeline", async () => {
    const { manager, json, slack } = await setUp();
    await escalate();
    expect(received.map((r) => r.path)).toEqual(['/generic/abc']);
    const first = received[0]!;
    const ok = verifyWebhookSignature(
      json.secret,
      {
        timestamp: first.headers['deskwatch-timestamp'] as string,
        signature: first.headers['deskwatch-signature'] as string,
      },
      first.body,
      env.clock(),
    );
    expect(ok).toBe(true);
    const body = JSON.parse(first.body) as { type: string; page: Record<string, unknown> };
    expect(body.type).toBe('page.notified');
    expect(body.page).toMatchObject({ level: 0, round: 0, url: 'https://deskwatch.test/oncall' });

    // Nobody acknowledges: level 2 is paged after the timeout, and its Slack webhook with it.
    env.clock.advance(5 * MIN);
    await env.services.oncall.advanceDue(env.clock());
    await env.services.push.drain();
    expect(received.map((r) => r.path)).toEqual(['/generic/abc', '/services/T000/B000/XXXX']);
    const slackBody = JSON.parse(received[1]!.body) as { text: string };
    expect(slackBody.text).toBe('Low urgency: Escalation: Cannot log in');
    expect(received[1]!.body).toContain('Customer &lt;b&gt;locked&lt;/b&gt; out &amp; angry');
    expect(slackBody.text).not.toContain('<b>');

    const pageId = (await manager.oncall.pages())[0]!.id;
    const timeline = await manager.oncall.timeline({ pageId });
    expect(
      timeline
        .filter((e) => e.type === 'webhook')
        .map((e) => [e.level, e.webhook!.name, e.webhook!.state]),
    ).toEqual([
      [0, 'Ops receiver', 'sent'],
      [1, 'Slack #support', 'sent'],
    ]);
    expect(JSON.stringify(timeline)).not.toContain(slack.secret);
  });

  it('retries a receiver that fails for a while, delivers once, and records a refusal as failed with its category', async () => {
    const { manager } = await setUp();
    answers = [503, 503];
    await escalate();
    // Two 503s, then delivered (retries without waits in tests): three posts, one success.
    expect(received).toHaveLength(3);
    env.clock.advance(5 * MIN);
    answers = [400];
    await env.services.oncall.advanceDue(env.clock());
    await env.services.push.drain();
    expect(received).toHaveLength(4);
    const pageId = (await manager.oncall.pages())[0]!.id;
    const hooks = (await manager.oncall.timeline({ pageId })).filter((e) => e.type === 'webhook');
    expect(hooks.map((e) => [e.webhook!.state, e.webhook!.error])).toEqual([
      ['sent', null],
      ['failed', 'rejected'],
    ]);
  });

  it('sends nothing to a level whose page was acknowledged first', async () => {
    const { manager } = await setUp();
    await escalate();
    const pageId = (await manager.oncall.pages())[0]!.id;
    await manager.oncall.acknowledge({ pageId });
    env.clock.advance(5 * MIN);
    await env.services.oncall.advanceDue(env.clock());
    await env.services.push.drain();
    expect(received.map((r) => r.path)).toEqual(['/generic/abc']);
  });

  it('delivers each webhook row exactly once when two instances pass over the outbox together', async () => {
    await setUp();
    const other = await env.secondInstance();
    const agent = await env.as(env.a.users.agent.email, 'token');
    const { ticket } = await agent.tickets.observe({ snapshot: snapshot({ externalId: 'w2' }) });
    await agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason: 'Race' });
    // The request's own pass (started after its response) races both instances' passes.
    await Promise.all([
      env.services.push.deliverDue(env.clock()),
      other.push.deliverDue(env.clock()),
      env.services.push.drain(),
    ]);
    await other.push.drain();
    expect(received.map((r) => r.path)).toEqual(['/generic/abc']);
    const rows = await env.client.execute(
      'SELECT state, attempts FROM push_outbox WHERE webhook_id IS NOT NULL',
    );
    expect(rows.rows.map((r) => [r[0], Number(r[1])])).toEqual([['sent', 1]]);
  });

  it('"send test" posts now and answers with the result', async () => {
    const { manager, json } = await setUp();
    expect(await manager.oncall.testWebhook({ webhookId: json.id })).toEqual({
      status: 'sent',
      detail: 'delivered',
    });
    answers = [500];
    expect(await manager.oncall.testWebhook({ webhookId: json.id })).toEqual({
      status: 'failed',
      detail: 'unavailable',
    });
    expect(received).toHaveLength(2);
  });
});

describe('workspaces', () => {
  it("another workspace's manager cannot see, test or remove a webhook", async () => {
    const { json } = await setUp();
    const beta = await env.as(env.b.users.manager.email);
    expect(await beta.oncall.webhooks()).toEqual([]);
    await expect(beta.oncall.testWebhook({ webhookId: json.id })).rejects.toThrow(/No such/);
    await expect(beta.oncall.removeWebhook({ webhookId: json.id })).rejects.toThrow(/No such/);
    const manager = await env.as(env.a.users.manager.email);
    expect(await manager.oncall.webhooks()).toHaveLength(2);
    expect(received).toHaveLength(0);
  });
});
