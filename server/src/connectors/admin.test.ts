import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema.js';
import { testEnv } from '../testing.js';
import { createConnectorWatch, SILENT_AFTER_MS } from './watch.js';

const SECRET = 'a-connector-secret-for-admin-tests';
const T0 = Date.parse('2026-03-27T09:15:00Z');
const HOUR = 3_600_000;

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  env = await testEnv();
  env.clock.set(T0);
});
afterEach(() => env.close());
const admin = () => env.as(env.a.users.admin.email);

describe('connector threshold and audit', () => {
  it('tells admins after the connector’s own silence threshold, others after the default', async () => {
    const c = await admin();
    const quick = await c.connectors.create({
      tool: 'zendesk',
      name: 'Quick',
      config: { subdomain: 'acme' },
      webhookSecret: SECRET,
      silentAfterMs: HOUR,
    });
    const usual = await c.connectors.create({
      tool: 'github',
      name: 'Usual',
      config: {},
      webhookSecret: SECRET,
    });
    expect(quick.silentAfterMs).toBe(HOUR);
    const watch = createConnectorWatch(env.client, env.services.push, () => 'https://d.test');
    expect(await watch.check(T0 + HOUR - 1)).toEqual([]);
    expect(await watch.check(T0 + HOUR)).toEqual([quick.id]);
    expect(await watch.check(T0 + SILENT_AFTER_MS)).toEqual([usual.id]);
    // Back to the default: the threshold can be cleared.
    const cleared = await c.connectors.update({ connectorId: quick.id, silentAfterMs: null });
    expect(cleared.silentAfterMs).toBeNull();
  });

  it('refuses a threshold out of range, changing nothing', async () => {
    const c = await admin();
    const z = await c.connectors.create({
      tool: 'github',
      name: 'G',
      config: {},
      webhookSecret: SECRET,
    });
    await expect(
      c.connectors.update({ connectorId: z.id, silentAfterMs: 60_000 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await c.connectors.list())[0]!.silentAfterMs).toBeNull();
  });

  it('records who created, changed and rotated a connector in the audit log, never a secret', async () => {
    const c = await admin();
    const z = await c.connectors.create({
      tool: 'zendesk',
      name: 'Acme',
      config: { subdomain: 'acme' },
      webhookSecret: SECRET,
    });
    await c.connectors.update({ connectorId: z.id, name: 'Acme Support', silentAfterMs: 2 * HOUR });
    await c.connectors.rotate({ connectorId: z.id, webhookSecret: 'the-next-secret-value' });
    const rows = await env.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `connector:${z.id}`));
    expect(rows.map((r) => r.action)).toEqual([
      'connector.create',
      'connector.update',
      'connector.rotate',
    ]);
    expect(
      rows.every((r) => r.actorId === env.a.users.admin.userId && r.workspaceId === env.a.id),
    ).toBe(true);
    expect(JSON.parse(rows[1]!.beforeJson!)).toMatchObject({ name: 'Acme', silentAfterMs: null });
    expect(JSON.parse(rows[1]!.afterJson!)).toMatchObject({
      name: 'Acme Support',
      silentAfterMs: 2 * HOUR,
    });
    const all = JSON.stringify(rows);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('the-next-secret-value');
    // Another workspace's admin neither sees nor changes it, and nothing is recorded for them.
    const other = await env.as(env.b.users.admin.email);
    await expect(
      other.connectors.update({ connectorId: z.id, name: 'Mine' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await env.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.target, `connector:${z.id}`)),
    ).toHaveLength(3);
  });

  it('keeps the generic preview for admins only', async () => {
    const agent = await env.as(env.a.users.agent.email);
    await expect(
      agent.connectors.previewGeneric({ config: {}, sample: '{}' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
