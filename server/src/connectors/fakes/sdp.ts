import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for ServiceDesk Plus's API v3 on loopback: GET /api/v3/requests with `input_data`
 * (list_info: row_count, start_index, sort_field, search_criteria on status.name and
 * last_updated_time), answering `{ requests, list_info: { has_more_rows }, response_status }`,
 * and each request's /notes and /history. Times are epoch ms as strings, as v3 gives them.
 */
interface Req {
  id: string;
  subject: string;
  status: string;
  priority: string;
  requester: { name: string; email_id: string };
  technician: string | null;
  created: number;
  updated: number;
  notes: {
    id: string;
    show_to_requester: boolean;
    at: number;
    by: { name: string; email_id: string };
  }[];
  history: {
    id: string;
    at: number;
    field: 'status' | 'priority';
    from: string;
    to: string;
  }[];
}
const time = (ms: number) => ({
  value: String(ms),
  display_value: new Date(ms).toISOString(),
});

export async function startFakeSdp(authtoken: string) {
  const requests: Req[] = [];
  const failNext: { status: number; headers?: Record<string, string> }[] = [];
  let seq = 1000;
  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const ok = [{ status_code: 2000, status: 'success' }];
  const view = (r: Req) => ({
    id: r.id,
    subject: r.subject,
    status: { id: '2', name: r.status },
    priority: { id: '1', name: r.priority },
    requester: { id: '5', ...r.requester },
    technician: r.technician ? { id: '6', name: r.technician } : null,
    created_time: time(r.created),
    last_updated_time: time(r.updated),
  });
  type Criterion = {
    field: string;
    condition: string;
    value?: string;
    values?: string[];
  };
  const test = (r: Req, c: Criterion) => {
    if (c.field === 'status.name')
      return c.condition === 'is' ? c.values!.includes(r.status) : !c.values!.includes(r.status);
    if (c.field === 'last_updated_time') return r.updated >= Number(c.value);
    throw new Error(`fake SDP cannot search ${c.field}`);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://fake');
    if (req.headers.authtoken !== authtoken) return send(res, 401, { response_status: [] });
    const f = failNext.shift();
    if (f) return send(res, f.status, { response_status: [] }, f.headers);
    const one = /^\/api\/v3\/requests\/(\d+)\/(notes|history)$/.exec(url.pathname);
    if (one) {
      const r = requests.find((x) => x.id === one[1])!;
      if (one[2] === 'notes')
        return send(res, 200, {
          response_status: ok,
          notes: r.notes.map((n) => ({
            id: n.id,
            show_to_requester: n.show_to_requester,
            created_time: time(n.at),
            created_by: n.by,
          })),
        });
      return send(res, 200, {
        response_status: ok,
        history: r.history.map((h) => ({
          id: h.id,
          operation: 'UPDATE',
          time: time(h.at),
          by: { name: 'Heather Graham' },
          diff: {
            [h.field]: { previous: { name: h.from }, current: { name: h.to } },
          },
        })),
      });
    }
    if (url.pathname !== '/api/v3/requests') return send(res, 404, {});
    const li = (
      JSON.parse(url.searchParams.get('input_data') ?? '{}') as {
        list_info: {
          row_count: number;
          start_index: number;
          sort_field: string;
          search_criteria: Criterion[];
        };
      }
    ).list_info;
    const found = requests
      .filter((r) => li.search_criteria.every((c) => test(r, c)))
      .sort((a, b) =>
        li.sort_field === 'id'
          ? Number(a.id) - Number(b.id)
          : a.updated - b.updated || Number(a.id) - Number(b.id),
      );
    const page = found.slice(li.start_index - 1, li.start_index - 1 + li.row_count);
    return send(res, 200, {
      response_status: ok,
      requests: page.map(view),
      list_info: {
        has_more_rows: li.start_index - 1 + li.row_count < found.length,
        start_index: li.start_index,
        row_count: page.length,
      },
    });
  };
  const server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failNext,
    add(at: number, over: Partial<Req> = {}) {
      const r: Req = {
        id: String(++seq),
        subject: 'Printer jammed',
        status: 'Open',
        priority: 'Medium',
        requester: { name: 'Shawn Adams', email_id: 'shawn@acme.test' },
        technician: null,
        created: at,
        updated: at,
        notes: [],
        history: [],
        ...over,
      };
      requests.push(r);
      return r;
    },
    set(r: Req, at: number, field: 'status' | 'priority', to: string) {
      r.history.push({ id: String(++seq), at, field, from: r[field], to });
      r[field] = to;
      r.updated = at;
    },
    note(r: Req, at: number, by: { name: string; email_id: string }, show: boolean) {
      r.notes.push({ id: String(++seq), show_to_requester: show, at, by });
      r.updated = at;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
