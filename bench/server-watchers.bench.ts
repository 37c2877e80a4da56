// What open overlays cost the server when nothing changes, and how fast an escalation decision
// reaches them (issue #14: under 5% of a core for 1,000 feeds, within 1 s on either of two
// instances). Real server processes, the extension's own feed (`escalations.watchTickets` over
// SSE with its bearer token), loopback only; bounded, stops by itself; prints figures, never fails
// on them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sqldBinary } from '../server/src/testing.js';
import {
  client,
  pairedToken,
  signIn,
  startServerProcess,
  ticketSnapshot,
  type ServerProcess,
} from '../tests/reliability/harness.js';
import { quantiles } from './lib.js';

const FEEDS = 1_000;
/** Tickets each feed watches (a browser's open tabs); one of them is escalated. */
const TABS = 5;
const WINDOWS = 5;
const WINDOW_MS = 4_000;
const DEADLINE_MS = 10_000;

const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
/** CPU time (user + system) the process has used so far, in ms. */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** The server's CPU over several quiet windows, as % of one core. */
async function idleCpu(s: ServerProcess) {
  const samples: number[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const c0 = cpuMs(s.child.pid!);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    samples.push(((cpuMs(s.child.pid!) - c0) / (performance.now() - t0)) * 100);
  }
  return quantiles(samples);
}

/** One open overlay feed: records when it first sees `needle` after `arm()`. */
interface Feed {
  arm(needle: string): Promise<number>;
  /** Whether the server ended the stream (a miss then is not a slow delivery). */
  ended(): boolean;
  close(): void;
}

async function openFeed(url: string, token: string, ticketIds: string[]): Promise<Feed> {
  const ac = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ ticketIds }));
  const res = await fetch(`${url}/trpc/escalations.watchTickets?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: ac.signal,
  });
  if (res.status !== 200) throw new Error(`watchTickets: ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  // Cast, not annotated: set by `arm` in another closure, which narrowing does not see.
  let waiting = null as { needle: string; found: (t: number) => void } | null;
  let buffer = '';
  let ended = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) {
        ended = true;
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      if (waiting && buffer.includes(waiting.needle)) {
        waiting.found(performance.now());
        waiting = null;
      }
      buffer = buffer.slice(-2_000);
    }
  })();
  return {
    arm(needle) {
      buffer = '';
      return new Promise((found) => (waiting = { needle, found }));
    },
    ended: () => ended,
    close: () => ac.abort(),
  };
}

/** A pending escalation on the first of `TABS` new tickets; returns the ticket ids and its id. */
async function escalatedTickets(url: string, token: string, prefix: string) {
  const api = client(url, { bearer: token });
  const ids: string[] = [];
  for (let i = 0; i < TABS; i++) {
    const r = await api.mutate<{ ticket: { id: string } }>('tickets.observe', {
      snapshot: ticketSnapshot(`${prefix}-${i}`, Date.now() - 60_000),
    });
    ids.push(r.data.ticket.id);
  }
  const esc = await api.mutate<{ id: string }>('escalations.request', {
    ticketId: ids[0],
    type: 'tier2',
    reason: 'Bench: locked out',
  });
  return { ids, escalationId: esc.data.id };
}

/** Opens `n` feeds, a few at a time, each with its own paired token's connection. */
async function openFeeds(url: string, token: string, ids: string[], n: number) {
  const feeds: Feed[] = [];
  for (let i = 0; i < n; i += 50)
    feeds.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, () => openFeed(url, token, ids)),
      )),
    );
  return feeds;
}

/** Decides on `on` and measures, per feed, how long the decision took to reach it (ms). */
async function decisionLatency(
  on: string,
  cookie: string,
  escalationId: string,
  groups: Record<string, Feed[]>,
) {
  const arrivals = Object.fromEntries(
    Object.entries(groups).map(([k, feeds]) => [
      k,
      feeds.map((f) =>
        Promise.race([
          f.arm('"approved"'),
          new Promise<number>((r) => setTimeout(() => r(Infinity), DEADLINE_MS)),
        ]),
      ),
    ]),
  );
  const t0 = performance.now();
  const r = await client(on, { cookie }).mutate('escalations.decide', {
    escalationId,
    decision: 'approve',
    comment: '',
  });
  if (r.status !== 200) throw new Error(`decide: ${r.status} ${r.error}`);
  const out: Record<string, string> = {};
  for (const [k, ps] of Object.entries(arrivals)) {
    const ms = (await Promise.all(ps)).map((t) => t - t0);
    const q = quantiles(ms);
    const missed = ms.filter((m) => m === Infinity).length;
    const ended = groups[k]!.filter((f) => f.ended()).length;
    out[k] =
      `median ${q.median.toFixed(0)} ms, p95 ${q.p95.toFixed(0)} ms, max ${q.max.toFixed(0)} ms` +
      (missed ? ` (${missed} of ${ms.length} not within ${DEADLINE_MS} ms, ${ended} ended)` : '');
  }
  return out;
}

const pct = (q: ReturnType<typeof quantiles>) =>
  `median ${q.median.toFixed(2)}%, p95 ${q.p95.toFixed(2)}% of a core`;

const load = () => `load average ${loadavg()[0]!.toFixed(1)} on this machine`;
console.log(`(${load()} at start)`);
const dir = mkdtempSync(join(tmpdir(), 'deskwatch-bench-watchers-'));
const servers: ServerProcess[] = [];
let sqld: ChildProcess | null = null;
const feeds: Feed[] = [];
try {
  // 1. One instance on a libSQL file.
  const one = await startServerProcess(join(dir, 'one.db'), { SCHEDULER: 'off' });
  servers.push(one);
  const idleBefore = await idleCpu(one);
  const token = await pairedToken(one.url, 'agent@acme.test');
  const cookie = await signIn(one.url, 'manager@acme.test');
  const a = await escalatedTickets(one.url, token, 'file');
  feeds.push(...(await openFeeds(one.url, token, a.ids, FEEDS)));
  const idleWith = await idleCpu(one);
  console.log(`file, 1 instance, no feeds:        ${pct(idleBefore)}`);
  console.log(`file, 1 instance, ${FEEDS} feeds idle: ${pct(idleWith)}`);
  const lat = await decisionLatency(one.url, cookie, a.escalationId, { same: feeds });
  console.log(`file, decision to ${FEEDS} feeds:      ${lat.same}`);
  for (const f of feeds.splice(0)) f.close();
  await one.stop();
  servers.pop();

  // 2. Two instances sharing a libSQL server.
  const binary = sqldBinary();
  if (!binary) {
    console.log('[skip] two instances on sqld: no sqld binary for this platform');
  } else {
    const port = await freePort();
    const sqldUrl = `http://127.0.0.1:${port}`;
    sqld = spawn(
      binary,
      ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld')],
      { stdio: 'ignore' },
    );
    for (
      let i = 0;
      !(await fetch(`${sqldUrl}/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 100) throw new Error('sqld did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const env = { DATABASE_URL: sqldUrl, SCHEDULER: 'off' };
    const x = await startServerProcess(join(dir, 'unused.db'), { ...env, SEED_DEMO: 'true' });
    servers.push(x);
    const y = await startServerProcess(join(dir, 'unused.db'), { ...env, SEED_DEMO: 'false' });
    servers.push(y);
    const tx = await pairedToken(x.url, 'agent@acme.test');
    const ty = await pairedToken(y.url, 'agent@acme.test');
    const managerX = await signIn(x.url, 'manager@acme.test');
    const [bx, by] = await Promise.all([idleCpu(x), idleCpu(y)]);
    console.log(`sqld, instance A, no feeds:         ${pct(bx)}`);
    console.log(`sqld, instance B, no feeds:         ${pct(by)}`);
    const b = await escalatedTickets(x.url, tx, 'sqld');
    const onX = await openFeeds(x.url, tx, b.ids, FEEDS / 2);
    const onY = await openFeeds(y.url, ty, b.ids, FEEDS / 2);
    feeds.push(...onX, ...onY);
    const [cx, cy] = await Promise.all([idleCpu(x), idleCpu(y)]);
    console.log(`sqld, instance A, ${FEEDS / 2} feeds idle:  ${pct(cx)}`);
    console.log(`sqld, instance B, ${FEEDS / 2} feeds idle:  ${pct(cy)}`);
    const l2 = await decisionLatency(x.url, managerX, b.escalationId, { A: onX, B: onY });
    console.log(`sqld, decision on A, feeds on A:   ${l2.A}`);
    console.log(`sqld, decision on A, feeds on B:   ${l2.B}`);
  }
  console.log(`(${load()} at the end)`);
} finally {
  for (const f of feeds) f.close();
  for (const s of servers) await s.stop();
  sqld?.kill();
  rmSync(dir, { recursive: true, force: true });
}
