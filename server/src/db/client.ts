import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Db = LibSQLDatabase<typeof schema>;

/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface DbOptions {
  /** `file:./data/deskwatch.db`, `libsql://…`, `http://…`, `:memory:`. */
  url: string;
  authToken?: string | undefined;
  /** For embedded replicas: the remote primary that `url` (a local file) replicates. */
  syncUrl?: string | undefined;
}

/** Opens the database (creating a file's folder) and applies committed migrations. */
export async function openDb(opts: DbOptions): Promise<{ db: Db; client: Client }> {
  if (opts.url.startsWith('file:')) {
    const path = opts.url.slice('file:'.length);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({
    url: opts.url,
    // The client keeps a pool of connections to a file (a transaction takes one, and the next
    // statement opens another): `timeout` is the busy timeout of every one of them. A PRAGMA
    // would reach only the connection it ran on, leaving the others to fail at once with
    // "database is locked" while another instance writes.
    timeout: BUSY_TIMEOUT_MS,
    ...(opts.authToken ? { authToken: opts.authToken } : {}),
    // An embedded replica reads locally, forwards writes to the primary and pulls changes every few seconds.
    ...(opts.syncUrl ? { syncUrl: opts.syncUrl, syncInterval: 5 } : {}),
  });
  if (opts.url.startsWith('file:') || opts.url === ':memory:') {
    // WAL lets readers (SSE watchers, the PWA) proceed while an observation writes.
    await client.execute('PRAGMA journal_mode = WAL');
    // An embedded replica's single connection is opened without `timeout`; set it there too.
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  // libSQL enforces foreign keys on every connection by default; this states it.
  await client.execute('PRAGMA foreign_keys = ON');
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db, client };
}
