import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHotDb, type HotDb } from './hot.js';
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

/** The database cannot be opened; the message is one sentence for an operator. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

/** How long the first statement may take to reach a database server before start-up gives up. */
const CONNECT_TIMEOUT_MS = 20_000;

/** Opens the database (creating a file's folder) and applies committed migrations. */
export async function openDb(opts: DbOptions): Promise<{ db: Db; client: Client; hot: HotDb }> {
  const file = filePath(opts.url);
  if (file !== null) createFolder(opts.url, dirname(file));
  let client: Client;
  try {
    client = createClient({
      url: opts.url,
      // The client keeps a pool of connections to a file (a transaction takes one, and the next
      // statement opens another): `timeout` is the busy timeout of every one of them. A PRAGMA
      // would reach only the connection it ran on, leaving the others to fail at once with
      // "database is locked" while another instance writes.
      timeout: BUSY_TIMEOUT_MS,
      ...(opts.authToken ? { authToken: opts.authToken } : {}),
      ...(file === null ? { fetch: uncompressedFetch } : {}),
      // An embedded replica reads locally, forwards writes to the primary and pulls changes every few seconds.
      ...(opts.syncUrl ? { syncUrl: opts.syncUrl, syncInterval: 5 } : {}),
    });
  } catch (e) {
    throw openError(opts.url, file, e);
  }
  try {
    await withTimeout(client.execute('PRAGMA foreign_keys = ON'), CONNECT_TIMEOUT_MS);
    if (file !== null) {
      // WAL lets readers (SSE watchers, the PWA) proceed while an observation writes.
      await client.execute('PRAGMA journal_mode = WAL');
      // An embedded replica's single connection is opened without `timeout`; set it there too.
      await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  } catch (e) {
    client.close();
    throw openError(opts.url, file, e);
  }
  const db = drizzle(client, { schema });
  try {
    await migrate(db, { migrationsFolder });
  } catch (e) {
    client.close();
    // Another application's database, or one from a newer Deskwatch: say so without the SQL.
    let root = e as Error;
    while (root.cause instanceof Error) root = root.cause;
    throw new DatabaseOpenError(
      `Cannot apply Deskwatch's migrations to the database ${opts.url}: ${root.message.split('\n')[0]}`,
      { cause: e },
    );
  }
  let hot: HotDb;
  try {
    // A replica's local file is written by its sync only; its hot paths go through the client.
    hot = createHotDb(
      client,
      file !== null && !opts.syncUrl && !opts.url.includes(':memory:')
        ? { path: file, busyTimeoutMs: BUSY_TIMEOUT_MS }
        : null,
    );
  } catch (e) {
    client.close();
    throw openError(opts.url, file, e);
  }
  // Whoever closes the client (servers, scripts, tests) closes the hot paths' connection too.
  const closeClient = client.close.bind(client);
  client.close = () => {
    hot.close();
    closeClient();
  };
  return { db, client, hot };
}

/**
 * The fetch the client uses to reach a libSQL server over HTTP: it asks for answers without
 * compression. By default fetch asks for gzip, and sqld gzips every answer; inflating those
 * small JSON bodies was the largest single cost of a request against sqld (about a sixth of the
 * server's CPU, more than the libSQL client's own work). Results are a few hundred bytes to a
 * few kilobytes, so the bytes saved are not worth it on a LAN; a database across a slow WAN
 * would pay more bytes for less CPU.
 */
export function uncompressedFetch(request: Request): Promise<Response> {
  request.headers.set('accept-encoding', 'identity');
  return fetch(request);
}

/** The local file of a `file:` URL (without query), or null for servers; `:memory:` has none. */
function filePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  let path = url.slice('file:'.length).replace(/[?#].*$/, '');
  if (path.startsWith('//')) {
    // file://host/path: only an empty host or localhost names this machine (the driver says so).
    const host = path.slice(2).split('/')[0]!;
    if (host !== '' && host.toLowerCase() !== 'localhost') return null;
    path = path.slice(2 + host.length);
  }
  try {
    return resolve(decodeURIComponent(path));
  } catch {
    throw new DatabaseOpenError(`Cannot open the database ${url}: malformed %-escape in the path`);
  }
}

/**
 * Creates the database's folder and any missing parents, one level at a time. Node's recursive
 * mkdir loops forever where the kernel answers ENOENT for a parent that exists (`/proc/x`).
 */
function createFolder(url: string, dir: string) {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) {
    missing.unshift(d);
    d = dirname(d);
  }
  if (!statSync(d).isDirectory())
    throw new DatabaseOpenError(`Cannot open the database ${url}: ${d} is a file, not a folder`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new DatabaseOpenError(
        `Cannot open the database ${url}: cannot create the folder ${m} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  }
}

/** One sentence saying why the database did not open, from what the driver threw. */
function openError(url: string, file: string | null, e: unknown): DatabaseOpenError {
  const err = e as { code?: string; message?: string; cause?: { message?: string } };
  const msg = err.message ?? String(e);
  let why: string;
  if (err.code === 'SQLITE_NOTADB') why = `${file} is not a SQLite database`;
  else if (file !== null && /ConnectionFailed|SQLITE_CANTOPEN|unable to open/i.test(msg))
    why = existsSync(file)
      ? statSync(file).isDirectory()
        ? `${file} is a folder, not a database file`
        : `SQLite cannot open ${file} (check its permissions)`
      : `cannot create ${file} (is its folder writable?)`;
  else if (err.code === 'URL_INVALID' || err.code === 'URL_SCHEME_NOT_SUPPORTED')
    why = msg.replace(/^\w+: /, '').replace(/ For more information.*$/, '');
  else if (err.code === 'ERR_INVALID_URL' || /Invalid URL/.test(msg)) why = 'not a valid URL';
  else if (msg === 'fetch failed') why = `cannot reach the server (${err.cause?.message ?? msg})`;
  else why = msg;
  return new DatabaseOpenError(`Cannot open the database ${url}: ${why}`, { cause: e });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
