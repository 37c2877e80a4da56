import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { testEnv } from '../testing.js';
import { offlinePush, pushSubscriptionFor, OFFLINE_PUSH_HOST } from '../testing-procedures.js';
import { createConnectorWatch, SILENT_AFTER_MS } from './watch.js';
import { zendeskSignature } from './zendesk.js';

const SECRET = 'zendesk-signing-secret-for-watch';
const T0 = Date.parse('2026-03-27T09:15:00Z'); // after the fixture's events

let env: Awaited<ReturnType<typeof testEnv>>;
let watch: ReturnType<typeof createConnectorWatch>;
let connectorId: string;
beforeEach(async () => {
  env = await testEnv(offlinePush);
  env.clock.set(T0);
  watch = createConnectorWatch(env.client, env.services.push, () => 'https://deskwatch.test');
  for (const role of ['admin', 'manager'] as const)
    await (
      await env.as(env.a.users[role].email)
    ).push.subscribe(pushSubscriptionFor(`https://${OFFLINE_PUSH_HOST}/push/${role}`));
  connectorId = (
    await env.services.connectors.create(env.a.id, {
      tool: 'zendesk',
      name: 'Acme Zendesk',
      config: { subdomain: 'acme' },
      webhookSecret: SECRET,
    })
  ).id;
});
afterEach(async () => {
  await env.services.push.drain();
  env.close();
});

/** The connector pushes queued, with whom they were for. */
async function pushes() {
  const rs = await env.client.execute(
    `SELECT u.role, o.payload_json FROM push_outbox o JOIN users u ON u.id = o.user_id
     WHERE o.kind = 'connector' ORDER BY o.created_at`,
  );
  return rs.rows.map((r) => ({
    role: r[0] as string,
    payload: JSON.parse(r[1] as string) as { title: string; body: string; url: string },
  }));
}

async function deliver() {
  const app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'https://deskwatch.test',
    pwaDist: '/nonexistent',
  });
  const body = readFileSync(
    new URL('./fixtures/zendesk/ticket-created.json', import.meta.url),
    'utf8',
  );
  const ts = new Date(env.clock()).toISOString();
  const res = await app.request(`/hooks/${connectorId}`, {
    method: 'POST',
    headers: {
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-signature': zendeskSignature(SECRET, ts, body),
    },
    body,
  });
  expect(res.status).toBe(200);
}

describe('connector watch', () => {
  it('tells admins (not managers) once when a connector has taken in nothing past the threshold', async () => {
    expect(await watch.check(T0 + SILENT_AFTER_MS - 1)).toEqual([]);
    expect(await pushes()).toEqual([]);
    expect(await watch.check(T0 + SILENT_AFTER_MS)).toEqual([connectorId]);
    expect(await pushes()).toEqual([
      {
        role: 'admin',
        payload: {
          kind: 'connector',
          title: 'Connector Acme Zendesk has taken in no event since it was set up',
          body: 'Check that the tool still sends.',
          url: 'https://deskwatch.test/settings/connectors',
        },
      },
    ]);
    // Still silent an hour later: the same episode, no second push.
    expect(await watch.check(T0 + SILENT_AFTER_MS + 3_600_000)).toEqual([]);
    expect(await pushes()).toHaveLength(1);
  });

  it('starts a new episode once an event applies, counting silence from that event', async () => {
    await watch.check(T0 + SILENT_AFTER_MS);
    const back = T0 + SILENT_AFTER_MS + 60_000;
    env.clock.set(back);
    await deliver();
    expect(await watch.check(back + SILENT_AFTER_MS - 1)).toEqual([]);
    expect(await watch.check(back + SILENT_AFTER_MS)).toEqual([connectorId]);
    const all = await pushes();
    expect(all).toHaveLength(2);
    expect(all[1]!.payload.title).toBe('Connector Acme Zendesk has taken in no event for over 6 h');
  });

  it('says nothing of a connector that is switched off', async () => {
    await env.services.connectors.update(env.a.id, connectorId, { enabled: false });
    expect(await watch.check(T0 + 10 * SILENT_AFTER_MS)).toEqual([]);
    expect(await pushes()).toEqual([]);
  });
});
