import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { connectorQuarantine, tickets } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { generic, previewGeneric, runMapping } from './generic.js';
import { hmac } from './vendor.js';

const read = (name: string) =>
  readFileSync(new URL(`./fixtures/generic/${name}`, import.meta.url), 'utf8');
const SAMPLE = read('sample.json');
const MAPPING = read('mapping.jsonata');
const SECRET = 'generic-webhook-secret';
const config = {
  source: 'acme-desk',
  signature: { header: 'X-Acme-Signature', scheme: 'hmac-sha256-hex' as const },
  deliveryIdHeader: 'X-Acme-Delivery',
  mapping: MAPPING,
};

describe('generic mapping (JSONata)', () => {
  it("maps the sample to its ticket: fields, status category, priority and the comment's id", async () => {
    const [t] = await runMapping(MAPPING, JSON.parse(SAMPLE));
    expect(t).toMatchObject({
      externalId: 'REQ-88',
      url: 'https://desk.acme.internal/requests/88',
      status: 'waiting',
      statusCategory: 'pending_customer',
      priority: 'high',
      requester: 'ada@acme.example',
      assignee: null,
      createdAt: Date.parse('2026-03-27T08:40:00Z'),
      updatedAt: Date.parse('2026-03-27T09:10:00Z'),
      created: false,
      messages: [
        { id: '5501', at: Date.parse('2026-03-27T09:10:00Z'), author: 'agent', public: true },
      ],
    });
  });

  it('says which field is wrong when the result is not a ticket, and maps nothing to no event', async () => {
    const bad = MAPPING.replace('"url": request.link', '"url": request.title');
    await expect(runMapping(bad, JSON.parse(SAMPLE))).rejects.toThrow(/url/);
    const unknownState = SAMPLE.replace('"waiting"', '"parked"');
    await expect(runMapping(MAPPING, JSON.parse(unknownState))).rejects.toThrow(/statusCategory/);
    expect(await runMapping('request.nothing', JSON.parse(SAMPLE))).toEqual([]);
  });

  it('stops an expression that recurses forever', async () => {
    const loop = '($f := function($x) { $f($x + 1) }; $f(0))';
    await expect(runMapping(loop, {})).rejects.toThrow();
  });

  it('refuses settings whose mapping is not JSONata', () => {
    const r = generic.config.safeParse({ ...config, mapping: '{ "a": ' });
    expect(r.success).toBe(false);
  });

  it('previews the events the sample would produce, and says why when it cannot', async () => {
    const p = await previewGeneric(config, SAMPLE);
    expect(p.ok).toBe(true);
    expect(p.tickets).toHaveLength(1);
    expect(p.tickets[0]!.events.map((e) => e.type)).toEqual([
      'created',
      'status',
      'priority',
      'message',
    ]);
    expect(await previewGeneric(config, '{not json')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not JSON/),
    });
    expect(await previewGeneric({ ...config, mapping: '' }, SAMPLE)).toMatchObject({ ok: false });
  });

  it('verifies each signature scheme, an sha256= prefix allowed', () => {
    const body = SAMPLE;
    const sig = hmac('sha256', SECRET, body);
    const h = (v: string) => new Headers({ 'x-acme-signature': v });
    expect(generic.verify({ headers: h(sig), body }, SECRET, 0, config)).toEqual({ ok: true });
    expect(generic.verify({ headers: h(`sha256=${sig}`), body }, SECRET, 0, config)).toEqual({
      ok: true,
    });
    expect(generic.verify({ headers: h(sig), body: body + ' ' }, SECRET, 0, config).ok).toBe(false);
    const token = { ...config, signature: { header: 'X-Token', scheme: 'token' as const } };
    expect(
      generic.verify({ headers: new Headers({ 'x-token': SECRET }), body }, SECRET, 0, token).ok,
    ).toBe(true);
    expect(
      generic.verify({ headers: new Headers({ 'x-token': 'nope' }), body }, SECRET, 0, token).ok,
    ).toBe(false);
  });
});

describe('generic webhook intake', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  let app: ReturnType<typeof createApp>;
  let id: string;
  beforeEach(async () => {
    env = await testEnv();
    env.clock.set(Date.parse('2026-03-27T09:15:00Z'));
    app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'http://127.0.0.1:8787',
      pwaDist: '/nonexistent',
    });
    id = (
      await env.services.connectors.create(env.a.id, {
        tool: 'generic',
        name: 'Acme desk',
        config,
        webhookSecret: SECRET,
      })
    ).id;
  });
  afterEach(() => env.close());
  const post = (body: string, delivery: string, secret = SECRET) =>
    app.request(`/hooks/${id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-acme-delivery': delivery,
        'x-acme-signature': hmac('sha256', secret, body),
      },
      body,
    });

  it('applies a signed delivery to the ticket of the chosen adapter, once; a wrong secret writes nothing', async () => {
    expect((await post(SAMPLE, 'd1', 'wrong-secret')).status).toBe(401);
    expect(await env.db.select().from(tickets)).toHaveLength(0);
    expect((await post(SAMPLE, 'd1')).status).toBe(200);
    expect(await (await post(SAMPLE, 'd1')).json()).toMatchObject({ duplicate: true });
    const rows = await env.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.source, 'acme-desk'), eq(tickets.externalId, 'REQ-88')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workspaceId: env.a.id });
  });

  it('quarantines a delivery the mapping cannot read, with the reason, and applies nothing', async () => {
    const bad = SAMPLE.replace('"waiting"', '"parked"');
    const res = await post(bad, 'd2');
    expect(res.status).toBe(422);
    const q = await env.db.select().from(connectorQuarantine);
    expect(q).toHaveLength(1);
    expect(q[0]!.reason).toMatch(/statusCategory/);
    expect(await env.db.select().from(tickets)).toHaveLength(0);
  });
});
