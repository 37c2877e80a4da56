// Shared helpers for benchmarks: figures, and a seeded embedded database.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../server/src/db/client.js';
import { createServices } from '../server/src/services/index.js';
import { loadOrCreateVapidKeys } from '../server/src/services/push.js';

export function quantiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1]! };
}

/** A fresh embedded database with one workspace and `n` open tickets, each with a small event log. */
export async function seededDb(
  n: number,
  opts: { createdAt: (i: number) => number; now?: () => number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-bench-'));
  const file = join(dir, 'bench.db');
  const { db, client } = await openDb({ url: `file:${file}` });
  const services = createServices({
    db,
    client,
    vapid: await loadOrCreateVapidKeys(db),
    publicUrl: () => 'http://bench',
    ...(opts.now ? { now: opts.now } : {}),
  });
  const ws = await services.accounts.createWorkspace('Bench');
  const t0 = performance.now();
  const priorities = ['urgent', 'high', 'normal', 'low'];
  for (let i = 0; i < n; i += 500) {
    const tickets: unknown[] = [];
    const events: unknown[] = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const id = `t${j}`;
      const created = opts.createdAt(j);
      const p = priorities[j % 4]!;
      tickets.push(
        id,
        ws,
        'bench',
        String(j),
        `https://desk.example/t/${j}`,
        `Ticket ${j}`,
        'Open',
        'open',
        p,
        `r${j}@example.com`,
        created,
        created,
        created,
      );
      events.push(`${id}c`, id, ws, 'created', created, '{}', 'created', created);
      events.push(
        `${id}p`,
        id,
        ws,
        'priority',
        created,
        JSON.stringify({ priority: p }),
        `priority@${created}`,
        created,
      );
      events.push(
        `${id}s`,
        id,
        ws,
        'status',
        created + 1000,
        JSON.stringify({ category: 'open' }),
        `status@${created + 1000}`,
        created,
      );
      events.push(
        `${id}m1`,
        id,
        ws,
        'message',
        created,
        JSON.stringify({ author: 'customer', public: true }),
        'm1',
        created,
      );
      if (j % 3 === 0)
        events.push(
          `${id}m2`,
          id,
          ws,
          'message',
          created + 120_000,
          JSON.stringify({ author: 'agent', public: false }),
          'm2',
          created,
        );
      if (j % 5 === 0)
        events.push(
          `${id}m3`,
          id,
          ws,
          'message',
          created + 60_000,
          JSON.stringify({ author: 'bot', public: true }),
          'm3',
          created,
        );
    }
    await client.batch(
      [
        {
          sql: `INSERT INTO tickets (id, workspace_id, source, external_id, url, subject, status, category, priority, requester, created_at, first_seen_at, last_seen_at) VALUES ${Array(
            tickets.length / 13,
          )
            .fill('(?,?,?,?,?,?,?,?,?,?,?,?,?)')
            .join(',')}`,
          args: tickets as never,
        },
        {
          sql: `INSERT INTO ticket_events (id, ticket_id, workspace_id, type, at, data, dedupe_key, recorded_at) VALUES ${Array(
            events.length / 8,
          )
            .fill('(?,?,?,?,?,?,?,?)')
            .join(',')}`,
          args: events as never,
        },
      ],
      'write',
    );
  }
  const seedMs = performance.now() - t0;
  return {
    db,
    client,
    services,
    workspaceId: ws,
    seedMs,
    sizeMb: () => statSync(file).size / 1e6,
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
