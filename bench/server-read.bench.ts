// What a read costs against what the database costs: `GET /x/ticket` and `GET /x/badges` (the
// extension's plain routes) and the tRPC `tickets.get` and `tickets.badges`, with an extension
// token, against a bare Hono route doing one SELECT by key on a libSQL file with the same
// settings (target ≥50% each), and the same reads against a libSQL server (sqld). No read
// writes: a token's use is written at most once a minute, in the background. Servers run in
// their own processes on loopback; every run is bounded in requests and time. Prints figures;
// never fails on them.
import {
  compare,
  scratch,
  snapshotBody,
  startChild,
  startSqld,
  tokenFor,
  type Child,
  type Request,
} from './server-load.js';

const TICKETS = 200;
const LIST = 50;

async function primed(child: Child) {
  const token = await tokenFor(child.url);
  const headers = { authorization: `Bearer ${token}` };
  const ids: string[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const res = await fetch(`${child.url}/trpc/tickets.observe`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: snapshotBody(`r${i}`, { messages: 4 }),
    });
    if (res.status !== 200) throw new Error(`priming: ${res.status} ${await res.text()}`);
    ids.push(
      ((await res.json()) as { result: { data: { ticket: { id: string } } } }).result.data.ticket
        .id,
    );
  }
  const input = (x: unknown) => encodeURIComponent(JSON.stringify(x));
  const get: Request = {
    method: 'GET',
    path: '/trpc/tickets.get',
    headers,
    pathOf: (n) => `/trpc/tickets.get?input=${input({ ticketId: ids[n % TICKETS] })}`,
  };
  const badges: Request = {
    method: 'GET',
    path: '/trpc/tickets.badges',
    headers,
    pathOf: (n) => {
      const from = (n * 7) % (TICKETS - LIST);
      const externalIds = Array.from({ length: LIST }, (_, i) => `r${from + i}`);
      return `/trpc/tickets.badges?input=${input({ source: 'demo-desk', externalIds })}`;
    },
  };
  // The plain routes the extension calls.
  const leanGet: Request = {
    method: 'GET',
    path: '/x/ticket',
    headers,
    pathOf: (n) => `/x/ticket?ticketId=${ids[n % TICKETS]}`,
  };
  const leanBadges: Request = {
    method: 'GET',
    path: '/x/badges',
    headers,
    pathOf: (n) => {
      const from = (n * 7) % (TICKETS - LIST);
      const q = Array.from({ length: LIST }, (_, i) => `&id=r${from + i}`).join('');
      return `/x/badges?source=demo-desk${q}`;
    },
  };
  return { get, badges, leanGet, leanBadges };
}

const files = scratch();
const dw = await startChild('deskwatch', files.file('deskwatch.db'));
const bare = await startChild('bare', files.file('bare.db'));
const select: Request = {
  method: 'GET',
  path: '/select',
  pathOf: (n) => `/select?id=k${n % 1000}`,
};
try {
  const reads = await primed(dw);
  await compare(
    'tickets.get (embedded file, extension token) vs bare Hono route: one SELECT by key',
    [
      { name: 'deskwatch GET /x/ticket', target: dw, req: reads.leanGet },
      { name: 'deskwatch tRPC tickets.get', target: dw, req: reads.get },
      { name: 'bare SELECT by key', target: bare, req: select },
    ],
    { target: 0.5 },
  );
  await compare(
    `tickets.badges, ${LIST} rows (embedded file) vs bare Hono route: one SELECT by key`,
    [
      { name: 'deskwatch GET /x/badges', target: dw, req: reads.leanBadges },
      { name: 'deskwatch tRPC tickets.badges', target: dw, req: reads.badges },
      { name: 'bare SELECT by key', target: bare, req: select },
    ],
    { target: 0.5 },
  );
  const sqld = await startSqld();
  if (!sqld) console.log('\n[skip] sqld: no binary for this platform');
  else {
    // Both of libSQL's remote protocols: HTTP (a request per batch) and WebSocket (one connection).
    const remote = await startChild('deskwatch', sqld.url);
    const remoteWs = await startChild('deskwatch', sqld.url.replace(/^http:/, 'ws:'));
    try {
      const r = await primed(remote);
      const w = await primed(remoteWs);
      await compare(
        'tickets.get and tickets.badges against a libSQL server (sqld over http and ws) vs the embedded file',
        [
          { name: 'sqld http /x/ticket', target: remote, req: r.leanGet },
          { name: 'sqld ws /x/ticket', target: remoteWs, req: w.leanGet },
          { name: 'sqld http /x/badges', target: remote, req: r.leanBadges },
          { name: 'sqld ws /x/badges', target: remoteWs, req: w.leanBadges },
          { name: 'embedded /x/ticket', target: dw, req: reads.leanGet },
        ],
        { target: 0.5, connections: [16] },
      );
    } finally {
      await remote.stop();
      await remoteWs.stop();
      await sqld.stop();
    }
  }
} finally {
  await dw.stop();
  await bare.stop();
  files.done();
}
