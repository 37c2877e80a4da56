import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Zendesk's API on loopback, answering in the documented shapes (see
 * fixtures/zendesk-export/README.md): the cursor-based incremental ticket export
 * (`start_time`, `cursor`, `per_page`, `exclude_deleted`; `after_cursor`, `after_url`,
 * `end_of_stream`), ordered by each ticket's last change, so a changed ticket comes again after
 * the cursor; and each ticket's audits (`page[size]` cursor pages, `include=users`).
 * Basic auth `{email}/token:{token}` only.
 */
interface Ticket {
  id: number;
  subject: string;
  status: string;
  priority: string | null;
  requester_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  tags: string[];
  created: number;
  updated: number;
  deleted: boolean;
  audits: {
    id: number;
    at: number;
    author_id: number;
    events: Record<string, unknown>[];
  }[];
}
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Opaque to clients, as Zendesk's: here the last ticket's change time and id. */
const cursorOf = (t: { updated: number; id: number }) =>
  Buffer.from(`${t.updated}|${t.id}`).toString('base64');
const position = (c: string) => {
  const [updated, id] = Buffer.from(c, 'base64').toString().split('|');
  return { updated: Number(updated), id: Number(id) };
};

export const ZENDESK_USERS = {
  agent: { id: 9001, name: 'Alice Agent', role: 'agent' },
  customer: { id: 7001, name: 'Dana Customer', role: 'end-user' },
};

export async function startFakeZendesk(email: string, token: string) {
  const tickets: Ticket[] = [];
  const failNext: { status: number; headers?: Record<string, string> }[] = [];
  const requests: string[] = [];
  let seq = 50_000;
  const auth = `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  let baseUrl = '';
  const view = (t: Ticket) => ({
    url: `${baseUrl}/api/v2/tickets/${t.id}.json`,
    id: t.id,
    created_at: iso(t.created),
    updated_at: iso(t.updated),
    generated_timestamp: Math.floor(t.updated / 1000),
    type: null,
    subject: t.subject,
    raw_subject: t.subject,
    description: 'See the first comment',
    priority: t.priority,
    status: t.deleted ? 'deleted' : t.status,
    requester_id: t.requester_id,
    submitter_id: t.requester_id,
    assignee_id: t.assignee_id,
    organization_id: t.organization_id,
    group_id: null,
    tags: t.tags,
    via: { channel: 'web' },
  });
  const after = (a: { updated: number; id: number }, b: { updated: number; id: number }) =>
    a.updated > b.updated || (a.updated === b.updated && a.id > b.id);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://fake');
    requests.push(url.pathname + url.search);
    if (req.headers.authorization !== auth)
      return send(res, 401, { error: "Couldn't authenticate you" });
    const f = failNext.shift();
    if (f) return send(res, f.status, { error: 'TooManyRequests' }, f.headers);
    if (url.pathname === '/api/v2/incremental/tickets/cursor.json') {
      const per = Math.min(Number(url.searchParams.get('per_page') ?? 1000), 1000);
      const c = url.searchParams.get('cursor');
      const start = url.searchParams.get('start_time');
      if (!c && start === null) return send(res, 400, { error: 'InvalidValue' });
      const from = c ? position(c) : { updated: Number(start) * 1000 - 1, id: Infinity };
      const found = tickets
        .filter((t) => !(url.searchParams.get('exclude_deleted') === 'true' && t.deleted))
        .filter((t) => after(t, from))
        .sort((a, b) => a.updated - b.updated || a.id - b.id);
      const page = found.slice(0, per);
      const last = page.at(-1);
      const next = last
        ? cursorOf(last)
        : (c ?? cursorOf({ updated: Number(start) * 1000, id: 0 }));
      return send(res, 200, {
        tickets: page.map(view),
        after_url: `${baseUrl}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(next)}`,
        after_cursor: next,
        before_url: null,
        before_cursor: null,
        end_of_stream: found.length <= per,
      });
    }
    const one = /^\/api\/v2\/tickets\/(\d+)\/audits\.json$/.exec(url.pathname);
    if (one) {
      const t = tickets.find((x) => x.id === Number(one[1]));
      if (!t) return send(res, 404, { error: 'RecordNotFound' });
      const size = Number(url.searchParams.get('page[size]') ?? 100);
      const from = Number(url.searchParams.get('page[after]') ?? 0);
      const page = t.audits.slice(from, from + size);
      const more = from + size < t.audits.length;
      const authors = new Set(page.map((a) => a.author_id));
      return send(res, 200, {
        audits: page.map((a) => ({
          id: a.id,
          ticket_id: t.id,
          created_at: iso(a.at),
          author_id: a.author_id,
          metadata: { system: {}, custom: {} },
          via: { channel: 'web' },
          events: a.events,
        })),
        ...(url.searchParams.get('include') === 'users'
          ? {
              users: Object.values(ZENDESK_USERS)
                .filter((u) => authors.has(u.id))
                .map((u) => ({ ...u })),
            }
          : {}),
        meta: { has_more: more, after_cursor: more ? String(from + size) : null },
        links: {
          next: more
            ? `${baseUrl}/api/v2/tickets/${t.id}/audits.json?include=users&page[size]=${size}&page[after]=${from + size}`
            : null,
        },
      });
    }
    return send(res, 404, { error: 'InvalidEndpoint' });
  };
  const server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audit = (t: Ticket, at: number, author: number, events: Record<string, unknown>[]) => {
    t.audits.push({
      id: ++seq,
      at,
      author_id: author,
      events: events.map((e) => ({ id: ++seq, ...e })),
    });
    t.updated = at;
  };
  return {
    baseUrl,
    tickets,
    failNext,
    requests,
    /** A ticket created by the customer at `at` with its first comment (the description). */
    add(
      n: number,
      at: number,
      over: Partial<Pick<Ticket, 'status' | 'priority' | 'subject'>> = {},
    ) {
      const t: Ticket = {
        id: n,
        subject: 'Printer on fire',
        status: 'new',
        priority: 'normal',
        requester_id: ZENDESK_USERS.customer.id,
        assignee_id: null,
        organization_id: null,
        tags: [],
        created: at,
        updated: at,
        deleted: false,
        audits: [],
        ...over,
      };
      audit(t, at, t.requester_id, [
        { type: 'Comment', body: 'It smokes', public: true, author_id: t.requester_id },
        { type: 'Create', field_name: 'status', value: t.status },
        { type: 'Create', field_name: 'priority', value: t.priority },
        { type: 'Create', field_name: 'subject', value: t.subject },
      ]);
      tickets.push(t);
      return t;
    },
    /** A comment, by the agent unless `by` says otherwise. */
    comment(t: Ticket, at: number, opts: { by?: number; public?: boolean } = {}) {
      const by = opts.by ?? ZENDESK_USERS.agent.id;
      audit(t, at, by, [
        { type: 'Comment', body: '...', public: opts.public ?? true, author_id: by },
      ]);
    },
    set(t: Ticket, at: number, field: 'status' | 'priority', value: string) {
      audit(t, at, ZENDESK_USERS.agent.id, [
        { type: 'Change', field_name: field, value, previous_value: t[field] },
      ]);
      t[field] = value;
    },
    remove(t: Ticket, at: number) {
      t.deleted = true;
      t.updated = at;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
export type FakeZendesk = Awaited<ReturnType<typeof startFakeZendesk>>;
