// What an observation costs against what the database costs: an unchanged page (the extension's
// `GET /x/observe/unchanged`, key and digest; and the tRPC `tickets.observe` with the whole page)
// against a bare Hono route doing one SELECT by key (target ≥70%), of a new ticket against
// a bare route doing one INSERT with the same durability settings (target ≥100%), p99 ≤25 ms at
// 16 connections; the same observations against a libSQL server (sqld) against the embedded
// file (target ≥50%); and resident memory after 100,000 observations (target ≤1.5x of after
// start). Servers run in their own processes on loopback; every run is bounded in requests and
// time. Prints figures; never fails on them.
import {
  checkPath,
  compare,
  load,
  scratch,
  snapshotBody,
  startChild,
  startSqld,
  tokenFor,
  type Request,
} from './server-load.js';

const UNCHANGED_TICKETS = 200;
const MEMORY_OBSERVATIONS = Number(process.env.BENCH_MEMORY_OBSERVATIONS ?? 100_000);

const files = scratch();
let unique = 0;

async function deskwatchOn(databaseUrl: string, opts: { gc?: boolean } = {}) {
  const child = await startChild('deskwatch', databaseUrl, opts);
  const token = await tokenFor(child.url);
  const headers = { authorization: `Bearer ${token}` };
  // The unchanged pages: each observed once before the runs.
  for (let i = 0; i < UNCHANGED_TICKETS; i++) {
    const res = await fetch(`${child.url}/trpc/tickets.observe`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: snapshotBody(`u${i}`),
    });
    if (res.status !== 200) throw new Error(`priming: ${res.status} ${await res.text()}`);
  }
  const unchanged: Request = {
    method: 'POST',
    path: '/trpc/tickets.observe',
    headers,
    body: (n) => snapshotBody(`u${n % UNCHANGED_TICKETS}`),
  };
  const fresh: Request = {
    method: 'POST',
    path: '/trpc/tickets.observe',
    headers,
    body: () => snapshotBody(`n${unique++}`),
  };
  // The extension's own calls: the plain routes, an unchanged page asked by its key and digest.
  const checks: string[] = [];
  for (let i = 0; i < UNCHANGED_TICKETS; i++) checks.push(await checkPath(`u${i}`));
  const leanUnchanged: Request = {
    method: 'GET',
    path: '/x/observe/unchanged',
    headers,
    pathOf: (n) => checks[n % UNCHANGED_TICKETS]!,
  };
  const leanFresh: Request = { ...fresh, path: '/x/observe' };
  return { child, unchanged, fresh, leanUnchanged, leanFresh };
}

const dw = await deskwatchOn(files.file('deskwatch.db'));
const bare = await startChild('bare', files.file('bare.db'));
const select: Request = {
  method: 'GET',
  path: '/select',
  pathOf: (n) => `/select?id=k${n % 1000}`,
};
const insert: Request = {
  method: 'POST',
  path: '/insert',
  body: () => JSON.stringify({ id: `i${unique++}`, subject: 'New ticket', status: 'open' }),
};
try {
  await compare(
    'tickets.observe, unchanged page (embedded file) vs bare Hono route: one SELECT by key',
    [
      { name: 'deskwatch /x key+digest (unchanged)', target: dw.child, req: dw.leanUnchanged },
      { name: 'deskwatch tRPC observe (unchanged)', target: dw.child, req: dw.unchanged },
      { name: 'bare SELECT by key', target: bare, req: select },
    ],
    { target: 0.7, p99Limit: 25 },
  );
  await compare(
    'tickets.observe, new ticket (embedded file) vs bare Hono route: one INSERT (WAL, synchronous=FULL)',
    [
      { name: 'deskwatch /x/observe (new ticket)', target: dw.child, req: dw.leanFresh },
      { name: 'deskwatch tRPC observe (new ticket)', target: dw.child, req: dw.fresh },
      { name: 'bare INSERT', target: bare, req: insert },
    ],
    { target: 1, p99Limit: 25 },
  );

  const sqld = await startSqld();
  if (!sqld) console.log('\n[skip] sqld: no binary for this platform');
  else {
    // The same server over both of libSQL's remote protocols: HTTP (a request per batch) and
    // WebSocket (one connection, batches on streams within it).
    const remote = await deskwatchOn(sqld.url);
    const remoteWs = await deskwatchOn(sqld.url.replace(/^http:/, 'ws:'));
    try {
      await compare(
        'tickets.observe against a libSQL server (sqld over http and ws) vs the embedded file',
        [
          { name: 'sqld http /x (unchanged)', target: remote.child, req: remote.leanUnchanged },
          { name: 'sqld ws /x (unchanged)', target: remoteWs.child, req: remoteWs.leanUnchanged },
          { name: 'embedded /x (unchanged)', target: dw.child, req: dw.leanUnchanged },
        ],
        { target: 0.5, connections: [16] },
      );
      await compare(
        'tickets.observe, new ticket, against sqld (http and ws) vs the embedded file',
        [
          {
            name: 'sqld http /x/observe (new ticket)',
            target: remote.child,
            req: remote.leanFresh,
          },
          {
            name: 'sqld ws /x/observe (new ticket)',
            target: remoteWs.child,
            req: remoteWs.leanFresh,
          },
          { name: 'embedded /x/observe (new ticket)', target: dw.child, req: dw.leanFresh },
        ],
        { target: 0.5, connections: [16] },
      );
    } finally {
      await remote.child.stop();
      await remoteWs.child.stop();
      await sqld.stop();
    }
  }
} finally {
  await dw.child.stop();
  await bare.stop();
}

// Memory: a fresh server, resident memory after start and after MEMORY_OBSERVATIONS new tickets
// (each after a full garbage collection, so the figure is what stays, not what awaits collection).
const mem = await deskwatchOn(files.file('memory.db'), { gc: true });
try {
  const start = (await mem.child.stats()).rss;
  let done = 0;
  const t0 = performance.now();
  while (done < MEMORY_OBSERVATIONS && performance.now() - t0 < 15 * 60_000) {
    const r = await load(mem.child, mem.fresh, 16, {
      requests: Math.min(20_000, MEMORY_OBSERVATIONS - done),
      seconds: 60,
    });
    done += r.ok;
    if (r.ok === 0) break;
  }
  const end = (await mem.child.stats()).rss;
  const ratio = end / start;
  console.log(
    `\nresident memory: ${(start / 1e6).toFixed(0)} MB after start, ${(end / 1e6).toFixed(0)} MB after ${done} observations: ${ratio.toFixed(2)}x ${ratio <= 1.5 ? '(meets ≤1.5x)' : '(MISSES ≤1.5x)'}`,
  );
} finally {
  await mem.child.stop();
  files.done();
}
