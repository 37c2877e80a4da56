import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Redmine's REST API on loopback, serving the JSON shapes Redmine 5 answers with
 * (app/views/issues/*.api.rsb) and the filters the poller uses: `status_id` (open, closed, *),
 * `issue_id=>=N`, `updated_on=>=T`, `closed_on=>=T`, `sort`, `offset`, `limit`. For the poller's
 * unit tests and the backfill bench; the real Redmine is tested in redmine-poll.test.ts.
 */
export interface FakeJournal {
  id: number;
  user: string;
  notes: string;
  private_notes: boolean;
  created_on: string;
  details: { property: 'attr'; name: string; old_value: string | null; new_value: string }[];
}
export interface FakeIssue {
  id: number;
  subject: string;
  statusId: number;
  priorityId: number;
  author: string;
  assignee: string | null;
  created_on: string;
  updated_on: string;
  closed_on: string | null;
  journals: FakeJournal[];
}

export const FAKE_STATUSES = [
  { id: 1, name: 'New', is_closed: false },
  { id: 2, name: 'In Progress', is_closed: false },
  { id: 3, name: 'Resolved', is_closed: false },
  { id: 4, name: 'Feedback', is_closed: false },
  { id: 5, name: 'Closed', is_closed: true },
  { id: 6, name: 'Rejected', is_closed: true },
];
export const FAKE_PRIORITIES = [
  { id: 1, name: 'Low' },
  { id: 2, name: 'Normal' },
  { id: 3, name: 'High' },
  { id: 4, name: 'Urgent' },
  { id: 5, name: 'Immediate' },
];
const closed = (statusId: number) => FAKE_STATUSES.find((s) => s.id === statusId)!.is_closed;
export const redmineTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startFakeRedmine(token: string) {
  const issues = new Map<number, FakeIssue>();
  let nextJournal = 1;
  /** Answers to give instead of the next requests (a status and headers), for failure tests. */
  const failNext: { status: number; headers?: Record<string, string>; path?: RegExp }[] = [];
  const requests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const view = (i: FakeIssue, journals: boolean) => {
    const s = FAKE_STATUSES.find((x) => x.id === i.statusId)!;
    const p = FAKE_PRIORITIES.find((x) => x.id === i.priorityId)!;
    return {
      id: i.id,
      project: { id: 1, name: 'Support' },
      tracker: { id: 1, name: 'Support' },
      status: { id: s.id, name: s.name, is_closed: s.is_closed },
      priority: { id: p.id, name: p.name },
      author: { id: 100, name: i.author },
      ...(i.assignee ? { assigned_to: { id: 200, name: i.assignee } } : {}),
      subject: i.subject,
      description: 'Body',
      start_date: i.created_on.slice(0, 10),
      due_date: null,
      done_ratio: 0,
      is_private: false,
      estimated_hours: null,
      created_on: i.created_on,
      updated_on: i.updated_on,
      closed_on: i.closed_on,
      ...(journals
        ? {
            journals: i.journals.map((j) => ({
              id: j.id,
              user: { id: 1, name: j.user },
              notes: j.notes,
              created_on: j.created_on,
              private_notes: j.private_notes,
              details: j.details,
            })),
          }
        : {}),
    };
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://fake');
    requests.push(url.pathname + url.search);
    if (req.headers['x-redmine-api-key'] !== token) return send(res, 401, {});
    const fail = failNext.findIndex((f) => !f.path || f.path.test(url.pathname + url.search));
    if (fail >= 0) {
      const [f] = failNext.splice(fail, 1);
      return send(res, f!.status, { errors: ['failing as told'] }, f!.headers);
    }
    if (url.pathname === '/issue_statuses.json')
      return send(res, 200, { issue_statuses: FAKE_STATUSES });
    if (url.pathname === '/enumerations/issue_priorities.json')
      return send(res, 200, { issue_priorities: FAKE_PRIORITIES });
    const one = /^\/issues\/(\d+)\.json$/.exec(url.pathname);
    if (one) {
      const i = issues.get(Number(one[1]));
      return i
        ? send(res, 200, { issue: view(i, url.searchParams.get('include') === 'journals') })
        : send(res, 404, {});
    }
    if (url.pathname !== '/issues.json') return send(res, 404, {});
    const q = url.searchParams;
    const geq = (v: string | null) => (v?.startsWith('>=') ? v.slice(2) : null);
    const status = q.get('status_id') ?? 'open';
    const minId = geq(q.get('issue_id'));
    const updated = geq(q.get('updated_on'));
    const closedOn = geq(q.get('closed_on'));
    let found = [...issues.values()].filter(
      (i) =>
        (status === '*' || (status === 'closed') === closed(i.statusId)) &&
        (minId === null || i.id >= Number(minId)) &&
        (updated === null || Date.parse(i.updated_on) >= Date.parse(updated)) &&
        (closedOn === null ||
          (i.closed_on !== null && Date.parse(i.closed_on) >= Date.parse(closedOn))),
    );
    const sort = q.get('sort') ?? 'id:desc';
    found = found.sort((a, b) =>
      sort.startsWith('updated_on')
        ? Date.parse(a.updated_on) - Date.parse(b.updated_on) || a.id - b.id
        : sort === 'id'
          ? a.id - b.id
          : b.id - a.id,
    );
    const offset = Number(q.get('offset') ?? 0);
    const limit = Math.min(Number(q.get('limit') ?? 25), 100);
    return send(res, 200, {
      issues: found.slice(offset, offset + limit).map((i) => view(i, false)),
      total_count: found.length,
      offset,
      limit,
    });
  };
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('finish', () => inFlight--);
    handle(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    issues,
    requests,
    failNext,
    get maxInFlight() {
      return maxInFlight;
    },
    /** A new issue, created at `at` by `author` (a customer). */
    add(id: number, at: number, over: Partial<FakeIssue> = {}) {
      const t = redmineTime(at);
      const i: FakeIssue = {
        id,
        subject: `Issue ${id}`,
        statusId: 1,
        priorityId: 2,
        author: 'Dana Customer',
        assignee: null,
        created_on: t,
        updated_on: t,
        closed_on: null,
        journals: [],
        ...over,
      };
      issues.set(id, i);
      return i;
    },
    /** A journal on issue `id` at `at`: a note and/or a status or priority change. */
    change(
      id: number,
      at: number,
      c: {
        user?: string;
        notes?: string;
        private?: boolean;
        statusId?: number;
        priorityId?: number;
      },
    ) {
      const i = issues.get(id)!;
      const t = redmineTime(at);
      const details: FakeJournal['details'] = [];
      if (c.statusId !== undefined) {
        details.push({
          property: 'attr',
          name: 'status_id',
          old_value: String(i.statusId),
          new_value: String(c.statusId),
        });
        i.statusId = c.statusId;
        i.closed_on = closed(c.statusId) ? t : i.closed_on;
      }
      if (c.priorityId !== undefined) {
        details.push({
          property: 'attr',
          name: 'priority_id',
          old_value: String(i.priorityId),
          new_value: String(c.priorityId),
        });
        i.priorityId = c.priorityId;
      }
      const j: FakeJournal = {
        id: nextJournal++,
        user: c.user ?? 'Alice Agent',
        notes: c.notes ?? '',
        private_notes: c.private ?? false,
        created_on: t,
        details,
      };
      i.journals.push(j);
      i.updated_on = t;
      return j;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
export type FakeRedmine = Awaited<ReturnType<typeof startFakeRedmine>>;
