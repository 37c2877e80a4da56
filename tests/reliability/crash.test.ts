/**
 * kill -9 in the middle of a burst of observations: every observation the server acknowledged
 * (HTTP 200) is stored after a restart on the same file, ticket and events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  client,
  openDbFile,
  pairedToken,
  startServerProcess,
  ticketSnapshot,
  type ServerProcess,
} from './harness.js';

const BURST = 400;
const IN_FLIGHT = 16;
/** Acknowledgements before the kill: the kill lands while the rest are in flight. */
const KILL_AFTER = 60;

let dir = '';
const started: ServerProcess[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.kill9();
  rmSync(dir, { recursive: true, force: true });
});

it('stores every acknowledged observation of a burst cut by kill -9', async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-crash-'));
  const dbFile = join(dir, 'crash.db');
  const first = await startServerProcess(dbFile, { SCHEDULER: 'off' });
  started.push(first);
  const token = await pairedToken(first.url, 'agent@acme.test');
  const api = client(first.url, { bearer: token });

  const acknowledged: string[] = [];
  let failed = 0;
  let next = 0;
  const createdAt = Date.now() - 60_000;
  let killed: Promise<void> | null = null;
  async function worker() {
    while (next < BURST) {
      const id = `burst-${next++}`;
      try {
        const res = await api.mutate('tickets.observe', {
          snapshot: ticketSnapshot(id, createdAt),
        });
        if (res.status === 200) acknowledged.push(id);
        else failed++;
      } catch {
        failed++; // the connection died with the process: not acknowledged
      }
      if (acknowledged.length >= KILL_AFTER) killed ??= first.kill9();
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await killed;
  expect(first.child.signalCode).toBe('SIGKILL');
  // The kill landed mid-burst: some were acknowledged, some were not.
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(failed).toBeGreaterThan(0);

  const second = await startServerProcess(dbFile, { SCHEDULER: 'off' });
  started.push(second);
  const again = client(second.url, { bearer: token });
  for (let i = 0; i < acknowledged.length; i += 200) {
    const ids = acknowledged.slice(i, i + 200);
    const { status, data } = await again.query<{ externalId: string }[]>('tickets.badges', {
      source: 'demo-desk',
      externalIds: ids,
    });
    expect(status).toBe(200);
    expect(data.map((b) => b.externalId).sort()).toEqual([...ids].sort());
  }
  await second.stop();

  const db = await openDbFile(dbFile);
  try {
    const rs = await db.execute(
      `SELECT t.external_id, (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id) AS events
         FROM tickets t WHERE t.external_id LIKE 'burst-%'`,
    );
    const events = new Map(rs.rows.map((r) => [String(r[0]), Number(r[1])]));
    const missing = acknowledged.filter((id) => !(events.get(id)! > 0));
    expect(missing).toEqual([]);
  } finally {
    db.close();
  }
}, 240_000);
