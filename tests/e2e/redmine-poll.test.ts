import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@deskwatch/server';
import { freePort, ROOT, script, startServer, until, type ServerProcess } from './harness';

/**
 * The Redmine connector against a real Redmine 5 (tests/redmine/, as redmine.test.ts starts it):
 * connected after its issues were created, the server's poller backfills them with their
 * journals, then reads a status change made after connect. Nobody opens a page here.
 */
interface SeededIssue {
  key: string;
  id: number;
  created: string;
  closed: string | null;
}

const HARNESS = join(ROOT, 'tests/redmine');
const state = mkdtempSync(join(tmpdir(), 'deskwatch-redmine-poll-'));
const env = {
  REDMINE_STATE_DIR: state,
  REDMINE_INSTANCE: `deskwatchpoll${process.pid}`,
  REDMINE_TIMEZONE: 'UTC',
  REDMINE_START_TIMEOUT: '600',
};
const ADMIN = { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` };
let issues: Map<string, SeededIssue>;
let server: ServerProcess;
let redmineBase: string;
let admin: Awaited<ReturnType<typeof api>>;

/** The Deskwatch server's tRPC over HTTP, signed in as `email`. */
async function api(email: string) {
  const res = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const headers = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1', cookie };
  const data = async (r: Response) => {
    expect(r.status, await r.clone().text()).toBe(200);
    return ((await r.json()) as { result: { data: unknown } }).result.data;
  };
  return {
    query: async (procedure: string, input?: unknown) =>
      data(
        await fetch(
          `${server.url}/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        ),
      ),
    mutate: async (procedure: string, input: unknown) =>
      data(
        await fetch(`${server.url}/trpc/${procedure}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input),
        }),
      ),
  };
}

type Badge = { externalId: string; ticketId: string };
type Got = {
  ticket: { category: string; priority: string };
  sla: { targets: { metric: string; status: string; elapsedMs?: number }[] };
};
const badges = async (ids: number[]) =>
  (await admin.query('tickets.badges', {
    source: 'redmine',
    externalIds: ids.map(String),
  })) as Badge[];

beforeAll(async () => {
  const PORT = String(await freePort());
  await script(join(HARNESS, 'start.sh'), [PORT], env);
  const seeded = JSON.parse(await script(join(HARNESS, 'seed.sh'), [PORT], env)) as {
    baseUrl: string;
    issues: SeededIssue[];
  };
  redmineBase = seeded.baseUrl;
  issues = new Map(seeded.issues.map((i) => [i.key, i]));
  server = await startServer({
    SCHEDULER: 'on',
    CONNECTOR_SECRET_KEY: 'e2e-connector-key-0123456789abcdef0123',
    // The test's Redmine is on loopback: pollers read private hosts only when allowed.
    CONNECTOR_ALLOWED_HOSTS: new URL(redmineBase).hostname,
  });
  admin = await api('admin@acme.test');
  // Redmine marks no one as staff: the agents' Redmine names go on the agent list.
  const people = (await admin.query('agents.list')) as { userId: string; email: string }[];
  await admin.mutate('agents.setAliases', {
    userId: people.find((p) => p.email === 'agent@acme.test')!.userId,
    aliases: ['Alice Agent', 'Bob Builder', 'Redmine Admin'].map((name) => ({
      tool: 'redmine',
      name,
    })),
  });
}, 900_000);

afterAll(async () => {
  await server?.stop();
  await script(join(HARNESS, 'stop.sh'), ['--purge'], env).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
});

describe('Redmine connector (polling the real Redmine)', () => {
  it('backfills the issues created before connect, then reads a status change made after', async () => {
    const key = (
      (await (await fetch(`${redmineBase}/my/account.json`, { headers: ADMIN })).json()) as {
        user: { api_key: string };
      }
    ).user.api_key;
    const connector = (await admin.mutate('connectors.create', {
      tool: 'redmine',
      name: 'Harness Redmine',
      config: { baseUrl: redmineBase, backfillDays: 3, pollSeconds: 10 },
      apiToken: key,
    })) as { id: string };

    // Open issues and those closed in the last 3 days; the one rejected 6 days ago is not read.
    const all = [...issues.values()];
    const expected = all.filter((i) => i.key !== 'support-low-rejected').map((i) => i.id);
    await until(
      'the backfill',
      async () => (await badges(expected)).length === expected.length,
      300_000,
      500,
    );
    expect(await badges([issues.get('support-low-rejected')!.id])).toEqual([]);
    const list = (await admin.query('connectors.list')) as {
      id: string;
      health: { backfill: unknown; quarantined: number };
    }[];
    expect(list.find((c) => c.id === connector.id)!.health).toMatchObject({
      backfill: { phase: 'done', done: expected.length, total: expected.length },
      quarantined: 0,
    });

    const get = async (k: string) => {
      const [b] = await badges([issues.get(k)!.id]);
      return (await admin.query('tickets.get', { ticketId: b!.ticketId })) as Got;
    };
    const metric = (g: Got, m: string) => g.sla.targets.find((x) => x.metric === m)!;
    // Alice answered 10 min after creation: met, from Redmine's own times.
    expect(metric(await get('incident-urgent-inprogress'), 'first_response').status).toBe('met');
    // Another customer's note is the customer's: no agent has answered.
    expect(metric(await get('support-normal-second-customer'), 'first_response').status).toBe(
      'running',
    );
    // Closed an hour ago, at its 4 h due instant: its history says so.
    const closed = await get('support-immediate-closed');
    expect(closed.ticket.category).toBe('closed');
    expect(metric(closed, 'resolution').status).toBe('met');

    // A change made in Redmine after connect reaches the ticket at the next poll.
    const statuses = (
      (await (await fetch(`${redmineBase}/issue_statuses.json`, { headers: ADMIN })).json()) as {
        issue_statuses: { id: number; name: string }[];
      }
    ).issue_statuses;
    const feedback = statuses.find((s) => s.name === 'Feedback')!.id;
    const put = await fetch(`${redmineBase}/issues/${issues.get('support-normal-new')!.id}.json`, {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ issue: { status_id: feedback, notes: 'Which browser do you use?' } }),
    });
    expect(put.status).toBeLessThan(300);
    const after = await until(
      'the status change',
      async () => {
        const g = await get('support-normal-new');
        return g.ticket.category === 'pending_customer' ? g : null;
      },
      120_000,
      500,
    );
    // The admin's note is an agent's public reply: the first response is met.
    expect(metric(after, 'first_response').status).toBe('met');
  });
});
