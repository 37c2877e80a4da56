import { describe, expect, it } from 'vitest';
import { snapshotDigest, ticketSnapshot, type TicketSnapshotInput } from '@deskwatch/shared';
import { createLeanApi } from './lean';

const page: TicketSnapshotInput = {
  source: 'demo-desk',
  externalId: '7',
  url: 'https://desk.example.com/tickets/7',
  subject: 'VPN down',
  status: 'Open',
  statusCategory: 'open',
  priority: 'urgent',
  requester: 'ana@example.com',
  createdAt: '2026-03-27T09:00:00Z',
  messages: [],
};

/** A server that answers each call from `answers` in turn and keeps what it was sent. */
function fakeServer(answers: { status: number; body: unknown }[]) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const a = answers.shift()!;
    return new Response(JSON.stringify(a.body), { status: a.status });
  }) as typeof fetch;
  return { sent, api: createLeanApi('https://dw.example.com/', 'tok', fetchImpl, new Map()) };
}

const bodyOf = (init: RequestInit) => JSON.parse(init.body as string) as Record<string, unknown>;

describe('observe', () => {
  it('sends only the key and digest when the server has this page, never cookies', async () => {
    const stored = { ticket: { id: 't1' } };
    const { sent, api } = fakeServer([{ status: 200, body: { unchanged: stored } }]);
    expect(await api.observe(page)).toEqual(stored);
    expect(sent).toHaveLength(1);
    const digest = await snapshotDigest(ticketSnapshot.parse(page));
    expect(sent[0]!.url).toBe(
      `https://dw.example.com/x/observe/unchanged?source=demo-desk&externalId=7&digest=${digest}`,
    );
    expect(sent[0]!.init).toMatchObject({ method: 'GET', credentials: 'omit' });
    expect(sent[0]!.init.headers).toEqual({ authorization: 'Bearer tok' });
  });

  it('sends the page when the server does not have it', async () => {
    const answer = { ticket: { id: 't2' } };
    const { sent, api } = fakeServer([
      { status: 200, body: { unchanged: null } },
      { status: 200, body: answer },
    ]);
    expect(await api.observe(page)).toEqual(answer);
    expect(sent.map((s) => s.url.replace(/\?.*/, ''))).toEqual([
      'https://dw.example.com/x/observe/unchanged',
      'https://dw.example.com/x/observe',
    ]);
    expect(bodyOf(sent[1]!.init)).toEqual({ snapshot: page });
  });

  it('sends a page that changed since this worker sent it at once, and asks again for the same page', async () => {
    const { sent, api } = fakeServer([
      { status: 200, body: { unchanged: null } },
      { status: 200, body: { ticket: { id: 't3' } } },
      { status: 200, body: { ticket: { id: 't3' } } },
      { status: 200, body: { unchanged: { ticket: { id: 't3' } } } },
    ]);
    await api.observe(page);
    await api.observe({ ...page, status: 'Pending' });
    await api.observe({ ...page, status: 'Pending' });
    expect(
      sent.map((s) => s.url.replace('https://dw.example.com', '').replace(/\?.*/, '')),
    ).toEqual(['/x/observe/unchanged', '/x/observe', '/x/observe', '/x/observe/unchanged']);
  });

  it("sends a page the schema refuses as it is, and shows the server's reason", async () => {
    const { sent, api } = fakeServer([
      {
        status: 400,
        body: { error: { message: 'snapshot.url: must be an http:// or https:// URL' } },
      },
    ]);
    await expect(api.observe({ ...page, url: 'javascript:alert(1)' })).rejects.toThrow(
      'snapshot.url: must be an http:// or https:// URL',
    );
    expect(sent.map((s) => s.url)).toEqual(['https://dw.example.com/x/observe']);
  });
});

it('asks badges with one id parameter per row', async () => {
  const { sent, api } = fakeServer([{ status: 200, body: [] }]);
  expect(await api.badges('demo-desk', ['1', 'a&b'])).toEqual([]);
  expect(sent[0]!.url).toBe('https://dw.example.com/x/badges?source=demo-desk&id=1&id=a%26b');
  expect(sent[0]!.init.method).toBe('GET');
});
