// Webhook ingest (#16): signed Zendesk "ticket created" deliveries, each a new ticket, posted to a
// connector of the real server on the embedded database, against a bare Hono route inserting one
// row, at 2 and 16 concurrent senders, in the same run (target ≥2,000 events/s, p99 ≤50 ms on 2
// cores). Each delivery goes the whole way: signature and replay check, idempotency by its id,
// the apply check, the ticket log and SLA state. Servers run in their own processes on loopback;
// every run is bounded in requests and time. Prints figures; never fails on them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { compare, scratch, startChild, type Request } from './server-load.js';

const ROOT = join(import.meta.dirname, '..');
const KEY = 'bench-connector-key-0123456789abcdef0123456789';
const SECRET = 'bench-zendesk-signing-secret';
process.env.CONNECTOR_SECRET_KEY = KEY;

const { seal, sealingKey } = await import('../server/src/crypto.js');
const { zendeskSignature } = await import('../server/src/connectors/zendesk.js');
const require = createRequire(join(ROOT, 'server/package.json'));
const { createClient } = (await import(
  pathToFileURL(require.resolve('@libsql/client')).href
)) as typeof import('@libsql/client');

const files = scratch();
const dbFile = files.file('deskwatch.db');
const dw = await startChild('deskwatch', dbFile);
const bare = await startChild('bare', files.file('bare.db'));

// A Zendesk connector in the demo workspace, its secret sealed as the app seals it.
const db = createClient({ url: dbFile });
const ws = (await db.execute('SELECT id FROM workspaces LIMIT 1')).rows[0]![0] as string;
const hookId = 'benchconnector01';
await db.execute({
  sql: `INSERT INTO connectors (id, workspace_id, tool, name, config, webhook_secret, enabled, created_at)
        VALUES (?, ?, 'zendesk', 'Bench Zendesk', '{"subdomain":"bench"}', ?, 1, ?)`,
  args: [hookId, ws, seal(sealingKey(KEY), SECRET), Date.now()],
});
db.close();

const template = JSON.parse(
  readFileSync(join(ROOT, 'server/src/connectors/fixtures/zendesk/ticket-created.json'), 'utf8'),
) as { id: string; time: string; detail: { id: string; created_at: string } };
let unique = 0;
const webhook: Request = {
  method: 'POST',
  path: `/hooks/${hookId}`,
  body: () => {
    const n = unique++;
    const time = new Date().toISOString();
    return JSON.stringify({
      ...template,
      id: `bench-${n}`,
      time,
      detail: { ...template.detail, id: String(100_000 + n), created_at: time },
    });
  },
  headersOf: (body) => {
    const ts = new Date().toISOString();
    return {
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-signature': zendeskSignature(SECRET, ts, body),
    };
  },
};
const insert: Request = {
  method: 'POST',
  path: '/insert',
  body: () => JSON.stringify({ id: `i${unique++}`, subject: 'New ticket', status: 'open' }),
};

try {
  const out = await compare(
    'connector webhook ingest (Zendesk ticket.created, embedded file) vs bare Hono route: one INSERT',
    [
      { name: 'deskwatch webhook (new ticket)', target: dw, req: webhook },
      { name: 'bare INSERT', target: bare, req: insert },
    ],
    { p99Limit: 50 },
  );
  for (const conns of [2, 16]) {
    const runs = out['deskwatch webhook (new ticket)']![conns]!;
    const rps = runs.map((r) => r.rps).sort((a, b) => a - b);
    const med = rps[Math.floor(rps.length / 2)]!;
    console.log(
      `  ${conns} senders: ${med.toFixed(0)} events/s median ${med >= 2000 ? '(meets ≥2,000)' : '(MISSES ≥2,000)'}`,
    );
  }
} finally {
  await dw.stop();
  await bare.stop();
  files.done();
}
