// A server for the load benchmarks, in its own process so its CPU time and memory are its own:
// `deskwatch` (the real server) or `bare` (a bare Hono route doing one SELECT by key or one
// INSERT, on a libSQL database with the same settings). It tells its parent its URL, and its
// CPU time and resident memory whenever asked. Loopback only.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const mode = process.argv[2];
const send = (m: unknown) => process.send!(m);

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') {
    if (process.env.BENCH_GC === '1') (globalThis as { gc?: () => void }).gc?.();
    send({ type: 'stats', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  }
});

if (mode === 'deskwatch') {
  const { startServer } = await import('../server/src/server.js');
  const { readEnv } = await import('../server/src/env.js');
  const started = await startServer(readEnv());
  process.on('SIGTERM', () => void started.close().then(() => process.exit(0)));
  send({ type: 'ready', url: started.url });
} else {
  // The server's own dependencies, as the bare routes are a server on the same stack.
  const require = createRequire(join(ROOT, 'server/package.json'));
  const load = async <T>(name: string) =>
    (await import(pathToFileURL(require.resolve(name)).href)) as T;
  const { Hono } = await load<typeof import('hono')>('hono');
  const { serve } = await load<typeof import('@hono/node-server')>('@hono/node-server');
  const { createClient } = await load<typeof import('@libsql/client')>('@libsql/client');
  const url = process.env.DATABASE_URL!;
  const client = createClient({ url, timeout: 5000 });
  if (url.startsWith('file:')) {
    // The settings the Deskwatch hot path uses (server/src/db/hot.ts), so durability is alike.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = FULL');
    await client.execute('PRAGMA cache_size = -16000');
  }
  await client.execute(
    'CREATE TABLE IF NOT EXISTS bare (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL)',
  );
  const rows = 1000;
  await client.batch(
    Array.from({ length: rows }, (_, i) => ({
      sql: 'INSERT OR REPLACE INTO bare (id, workspace_id, body) VALUES (?, ?, ?)',
      args: [`k${i}`, 'ws', JSON.stringify({ subject: `Ticket ${i}`, status: 'open' })],
    })),
    'write',
  );
  const app = new Hono();
  app.get('/select', async (c) => {
    const rs = await client.execute({
      sql: 'SELECT id, body FROM bare WHERE id = ? AND workspace_id = ?',
      args: [c.req.query('id') ?? 'k0', 'ws'],
    });
    return c.json(rs.rows[0] ?? null);
  });
  app.post('/insert', async (c) => {
    const body = await c.req.json<{ id: string }>();
    await client.execute({
      sql: 'INSERT INTO bare (id, workspace_id, body) VALUES (?, ?, ?)',
      args: [body.id, 'ws', JSON.stringify(body)],
    });
    return c.json({ ok: true });
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
    send({ type: 'ready', url: `http://127.0.0.1:${info.port}` }),
  );
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
