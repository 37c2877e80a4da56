import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for ServiceNow's Table API on loopback: GET /api/now/table/<table> answering
 * `{ result: [...] }` with X-Total-Count, filtered by the encoded-query forms the poller sends
 * (`field=value`, `field>=value`, `fieldINa,b`, `ORDERBYfield`, joined by `^`), paged by
 * sysparm_offset and sysparm_limit, fields picked by sysparm_fields (dot-walked names as keys).
 */
type Row = Record<string, string>;

const snTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function matches(row: Row, query: string) {
  for (const part of query.split('^')) {
    if (!part || part.startsWith('ORDERBY')) continue;
    const inList = /^([\w.]+)IN(.*)$/.exec(part);
    if (inList) {
      if (!inList[2]!.split(',').includes(row[inList[1]!] ?? '')) return false;
      continue;
    }
    const cmp = /^([\w.]+)(>=|=)(.*)$/.exec(part);
    if (!cmp) throw new Error(`fake ServiceNow cannot read ${part}`);
    const v = row[cmp[1]!] ?? '';
    if (cmp[2] === '=' ? v !== cmp[3] : v < cmp[3]!) return false;
  }
  return true;
}

export async function startFakeServiceNow(user: string, password: string) {
  const tables: Record<string, Row[]> = { incident: [], sys_journal_field: [], sys_audit: [] };
  const failNext: { status: number; headers?: Record<string, string> }[] = [];
  let seq = 0;
  const id = () => (++seq).toString(16).padStart(32, '0');
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://fake');
    if (req.headers.authorization !== auth)
      return send(res, 401, { error: { message: 'User Not Authenticated' } });
    const f = failNext.shift();
    if (f) return send(res, f.status, { error: { message: 'failing as told' } }, f.headers);
    const m = /^\/api\/now\/table\/(\w+)$/.exec(url.pathname);
    const rows = m ? tables[m[1]!] : undefined;
    if (!rows) return send(res, 404, { error: { message: 'Invalid table' } });
    const q = url.searchParams;
    const query = q.get('sysparm_query') ?? '';
    const order = [...query.matchAll(/ORDERBY([\w.]+)/g)].map((x) => x[1]!);
    const found = rows
      .filter((r) => matches(r, query))
      .sort((a, b) => {
        for (const k of order) {
          const c = (a[k] ?? '').localeCompare(b[k] ?? '');
          if (c) return c;
        }
        return 0;
      });
    const offset = Number(q.get('sysparm_offset') ?? 0);
    const limit = Number(q.get('sysparm_limit') ?? 10_000);
    const fields = q.get('sysparm_fields')?.split(',');
    const pick = (r: Row) => (fields ? Object.fromEntries(fields.map((k) => [k, r[k] ?? ''])) : r);
    return send(
      res,
      200,
      { result: found.slice(offset, offset + limit).map(pick) },
      {
        'x-total-count': String(found.length),
      },
    );
  };
  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tables,
    failNext,
    /** An incident opened at `at` by `caller` (state 1 New, priority 3 Moderate). */
    add(at: number, over: Row = {}) {
      const r: Row = {
        sys_id: id(),
        number: `INC${String(tables.incident!.length + 1).padStart(7, '0')}`,
        short_description: 'Email is down',
        state: '1',
        priority: '3',
        active: 'true',
        sys_created_on: snTime(at),
        sys_updated_on: snTime(at),
        'caller_id.name': 'Abel Tuter',
        'caller_id.user_name': 'abel.tuter',
        'assigned_to.name': '',
        ...over,
      };
      tables.incident!.push(r);
      for (const field of ['state', 'priority'])
        tables.sys_audit!.push({
          sys_id: id(),
          documentkey: r.sys_id!,
          fieldname: field,
          oldvalue: '',
          newvalue: r[field]!,
          sys_created_on: r.sys_created_on!,
        });
      return r;
    },
    /** A field change (state or priority), audited as ServiceNow does. */
    set(r: Row, at: number, field: 'state' | 'priority', value: string) {
      tables.sys_audit!.push({
        sys_id: id(),
        documentkey: r.sys_id!,
        fieldname: field,
        oldvalue: r[field]!,
        newvalue: value,
        sys_created_on: snTime(at),
      });
      r[field] = value;
      if (field === 'state') r.active = ['6', '7', '8'].includes(value) ? 'false' : 'true';
      r.sys_updated_on = snTime(at);
    },
    /** A comment (public) or work note (internal) by `by` (a user name). */
    note(r: Row, at: number, element: 'comments' | 'work_notes', by: string) {
      const j = {
        sys_id: id(),
        element_id: r.sys_id!,
        element,
        value: 'text',
        sys_created_on: snTime(at),
        sys_created_by: by,
      };
      tables.sys_journal_field!.push(j);
      r.sys_updated_on = snTime(at);
      return j;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
