import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_PASSWORD } from '@deskwatch/server';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** kill -9: no shutdown code runs. */
  kill9(): Promise<void>;
  /** SIGTERM, the way an operator stops it. */
  stop(): Promise<void>;
}

/** Starts the real server (`server/src/main.ts`) as its own process on the libSQL file `dbFile`. */
export async function startServerProcess(
  dbFile: string,
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(ROOT, 'server'),
    env: {
      ...process.env,
      DATABASE_URL: `file:${dbFile}`,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO_HISTORY: 'false',
      PWA_DIST: join(ROOT, 'nonexistent'),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/Server and manager app \(PWA\):\s+(http:\/\/\S+?)\/\s/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => fail(new Error(`server exited with ${child.exitCode}:\n${out}`)));
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, child, output: () => out, kill9: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

export interface Answer<T = unknown> {
  status: number;
  data: T;
  /** The error's message, when the call failed. */
  error?: string;
}

/** tRPC over HTTP as a client would call it, with a bearer token or a session cookie. */
export function client(url: string, auth: { bearer?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie) Object.assign(headers, { cookie: auth.cookie, 'x-deskwatch-csrf': '1' });
  const answer = async <T>(res: Response): Promise<Answer<T>> => {
    const body = (await res.json()) as { result?: { data: T }; error?: { message?: string } };
    return {
      status: res.status,
      data: body.result?.data as T,
      ...(body.error ? { error: String(body.error.message) } : {}),
    };
  };
  return {
    async mutate<T = unknown>(path: string, input?: unknown): Promise<Answer<T>> {
      const res = await fetch(`${url}/trpc/${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? null),
      });
      return answer<T>(res);
    },
    async query<T = unknown>(path: string, input?: unknown): Promise<Answer<T>> {
      const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return answer<T>(await fetch(`${url}/trpc/${path}${q}`, { headers }));
    },
  };
}

/** Signs a demo user in and returns the session cookie. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD) {
  const res = await fetch(`${url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** An extension token for a demo user, paired the way the extension pairs. */
export async function pairedToken(url: string, email: string) {
  const session = client(url, { cookie: await signIn(url, email) });
  const { data } = await session.mutate<{ code: string }>('pairing.createCode');
  const redeemed = await client(url).mutate<{ token: string }>('pairing.redeem', {
    code: data.code,
    deviceName: 'reliability suite',
  });
  if (redeemed.status !== 200) throw new Error(`pairing: ${redeemed.status}`);
  return redeemed.data.token;
}

/** The part of a libSQL client the suite uses (the client is the server's dependency). */
export interface DbFile {
  execute(stmt: string | { sql: string; args: (string | number)[] }): Promise<{
    rows: ArrayLike<unknown>[];
  }>;
  close(): void;
}

/** A libSQL connection of the test's own to the database file, for reading what was stored. */
export async function openDbFile(dbFile: string): Promise<DbFile> {
  const require = createRequire(join(ROOT, 'server/package.json'));
  const { createClient } = (await import(
    pathToFileURL(require.resolve('@libsql/client')).href
  )) as {
    createClient(opts: { url: string }): DbFile;
  };
  return createClient({ url: `file:${dbFile}` });
}

/** A ticket page as the extension reads it. */
export function ticketSnapshot(externalId: string, createdAt: number, subject = 'Burst ticket') {
  const at = new Date(createdAt).toISOString();
  return {
    source: 'demo-desk',
    externalId,
    url: `http://127.0.0.1/demo/tickets/${externalId}`,
    subject,
    status: 'Open',
    statusCategory: 'open',
    priority: 'high',
    requester: 'ana@example.com',
    assignee: null,
    requesterOrg: null,
    tags: [],
    statusChanges: [],
    createdAt: at,
    messages: [{ author: 'customer', public: true, at, externalId: `${externalId}-m1` }],
  };
}

export { until } from '../e2e/harness.js';
