// Load runs for the server benchmarks: servers in child processes, autocannon against them on
// loopback, each run bounded in requests and in time, sides alternated round by round so a
// machine busy with other work weighs on both alike. Prints figures; never fails on them.
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { snapshotDigest, ticketSnapshot } from '@deskwatch/shared';
import { freePort, sqldBinary } from '../server/src/testing.js';
import { pairedToken } from '../tests/reliability/harness.js';

const ROOT = join(import.meta.dirname, '..');

/** Rounds, requests and seconds per run; the environment can make a run shorter or longer. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const MAX_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
export const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

export interface Child {
  url: string;
  /** The process's CPU time so far (µs, user + system) and resident memory (bytes). */
  stats(): Promise<{ cpuUs: number; rss: number }>;
  stop(): Promise<void>;
}

/** Starts `bench/server-child.ts` as `deskwatch` or `bare` on `databaseUrl`. */
export async function startChild(
  mode: 'deskwatch' | 'bare',
  databaseUrl: string,
  opts: { gc?: boolean } = {},
): Promise<Child> {
  const child = fork(join(ROOT, 'bench/server-child.ts'), [mode], {
    cwd: join(ROOT, 'server'),
    execArgv: [
      '--import',
      'tsx',
      ...(opts.gc ? ['--expose-gc'] : []),
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_DEMO: 'true',
      SEED_DEMO_HISTORY: 'false',
      SCHEDULER: 'off',
      PWA_DIST: join(ROOT, 'nonexistent'),
      BENCH_GC: opts.gc ? '1' : '0',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (m: { type: string; url?: string }) => {
      if (m.type === 'ready') ok(m.url!);
    });
  });
  return {
    url,
    stats: () =>
      new Promise((ok) => {
        const on = (m: { type: string; cpu?: NodeJS.CpuUsage; rss?: number }) => {
          if (m.type !== 'stats') return;
          child.off('message', on);
          ok({ cpuUs: m.cpu!.user + m.cpu!.system, rss: m.rss! });
        };
        child.on('message', on);
        child.send({ type: 'stats' });
      }),
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** A libSQL server (the `sqld` the tests run) on a free loopback port, with its own folder. */
export async function startSqld(): Promise<{ url: string; stop(): Promise<void> } | null> {
  const binary = sqldBinary();
  if (!binary) return null;
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-bench-sqld-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld')],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 200) throw new Error('sqld did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh folder for database files, removed by `done()`. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-bench-load-'));
  return {
    file: (name: string) => `file:${join(dir, name)}`,
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const tokenFor = (url: string) => pairedToken(url, 'agent@acme.test');

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A new body for each request (`n` counts the requests of the run). */
  body?: (n: number) => string;
  /** A new path for each request. */
  pathOf?: (n: number) => string;
  /** Headers of each request from its body (a webhook's signature). */
  headersOf?: (body: string) => Record<string, string>;
}

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  cpuMsPerRequest: number;
  rss: number;
}

/** One load run: at most MAX_REQUESTS requests and MAX_SECONDS seconds, then it stops by itself. */
export async function load(
  target: Child,
  req: Request,
  connections: number,
  limits = { requests: MAX_REQUESTS, seconds: MAX_SECONDS },
): Promise<Run> {
  const before = await target.stats();
  let n = 0;
  let ok = 0;
  let failed = 0;
  let first = 0;
  let last = 0;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const inst = autocannon(
      {
        url: target.url,
        connections,
        duration: limits.seconds,
        maxOverallRequests: limits.requests,
        sampleInt: 100,
        requests: [
          {
            method: req.method,
            path: req.path,
            headers: { 'content-type': 'application/json', ...req.headers },
            setupRequest: (r: autocannon.Request) => {
              const i = n++;
              const body = req.body?.(i);
              return {
                ...r,
                ...(req.pathOf ? { path: req.pathOf(i) } : {}),
                ...(body !== undefined ? { body } : {}),
                ...(req.headersOf
                  ? { headers: { ...r.headers, ...req.headersOf(body ?? '') } }
                  : {}),
              };
            },
          },
        ],
      },
      (err, res) => (err ? fail(err) : done(res)),
    );
    inst.on('response', (_c: unknown, status: number) => {
      const t = performance.now();
      if (!first) first = t;
      last = t;
      if (status === 200) ok++;
      else failed++;
    });
  });
  const after = await target.stats();
  const seconds = Math.max(1e-3, (last - first) / 1000);
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: failed + result.errors + result.timeouts,
    cpuMsPerRequest: (after.cpuUs - before.cpuUs) / 1000 / Math.max(1, ok + failed),
    rss: after.rss,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f0 = (x: number) => x.toFixed(0);
const f2 = (x: number) => x.toFixed(2);

export interface Side {
  name: string;
  target: Child;
  req: Request;
}

/**
 * Runs each side ROUNDS times at each connection count, alternating (ABAB, then BABA), and prints
 * each side's min/median throughput, the ratio of medians against the last side (the baseline)
 * and whether it meets `target`, p50/p99 and CPU per request.
 */
export async function compare(
  title: string,
  sides: Side[],
  opts: { target?: number; connections?: number[]; p99Limit?: number } = {},
) {
  const out: Record<string, Record<number, Run[]>> = {};
  for (const conns of opts.connections ?? [2, 16]) {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const r = await load(side.target, side.req, conns);
        ((out[side.name] ??= {})[conns] ??= []).push(r);
      }
    }
  }
  console.log(`\n${title}`);
  const base = sides.at(-1)!;
  for (const conns of opts.connections ?? [2, 16]) {
    const baseMed = median(out[base.name]![conns]!.map((r) => r.rps));
    for (const side of sides) {
      const runs = out[side.name]![conns]!;
      const rps = runs.map((r) => r.rps);
      const med = median(rps);
      const ratio = med / baseMed;
      const p99 = median(runs.map((r) => r.p99));
      const failed = runs.reduce((a, r) => a + r.failed, 0);
      const verdicts: string[] = [];
      if (side !== base && opts.target)
        verdicts.push(
          ratio >= opts.target ? `meets ≥${opts.target * 100}%` : `MISSES ≥${opts.target * 100}%`,
        );
      if (side !== base && opts.p99Limit && conns === 16)
        verdicts.push(
          p99 <= opts.p99Limit ? `p99 ≤${opts.p99Limit} ms` : `p99 OVER ${opts.p99Limit} ms`,
        );
      console.log(
        `  ${String(conns).padStart(2)} conn  ${side.name.padEnd(34)} ${f0(Math.min(...rps)).padStart(6)} / ${f0(med).padStart(6)} req/s (min/median)` +
          `  ${side === base ? '  baseline' : `${(ratio * 100).toFixed(0).padStart(4)}%`}` +
          `  p50 ${f2(median(runs.map((r) => r.p50)))} ms  p99 ${f2(p99)} ms` +
          `  cpu ${f2(median(runs.map((r) => r.cpuMsPerRequest)))} ms/req` +
          `  rss ${f0(runs.at(-1)!.rss / 1e6)} MB${failed ? `  FAILED ${failed}` : ''}` +
          (verdicts.length ? `  ${verdicts.join(', ')}` : ''),
      );
    }
  }
  return out;
}

/** A ticket page as the extension reports it, with `messages` messages. */
export function snapshotBody(
  externalId: string,
  opts: { subject?: string; messages?: number } = {},
) {
  const createdAt = '2026-01-05T09:00:00.000Z';
  return JSON.stringify({
    snapshot: {
      source: 'demo-desk',
      externalId,
      url: `http://127.0.0.1/demo/tickets/${externalId}`,
      subject: opts.subject ?? `Ticket ${externalId}`,
      status: 'Open',
      statusCategory: 'open',
      priority: 'high',
      requester: 'ana@example.com',
      assignee: null,
      requesterOrg: null,
      tags: ['billing'],
      statusChanges: [],
      createdAt,
      messages: Array.from({ length: opts.messages ?? 2 }, (_, i) => ({
        author: i % 2 ? 'agent' : 'customer',
        public: true,
        at: new Date(Date.parse(createdAt) + i * 60_000).toISOString(),
        externalId: `m${i}`,
      })),
    },
  });
}

/** The extension's conditional observation of the page `snapshotBody` sends: its key and digest. */
export async function checkPath(...args: Parameters<typeof snapshotBody>) {
  const { snapshot } = JSON.parse(snapshotBody(...args)) as { snapshot: unknown };
  const snap = ticketSnapshot.parse(snapshot);
  const q = new URLSearchParams({
    source: snap.source,
    externalId: snap.externalId,
    digest: await snapshotDigest(snap),
  });
  return `/x/observe/unchanged?${q}`;
}
