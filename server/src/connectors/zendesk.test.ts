import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zendesk, zendeskSignature } from './zendesk.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/zendesk/${name}.json`, import.meta.url), 'utf8');
const cfg = { subdomain: 'acme' };
const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const NOW = Date.parse('2026-03-27T09:00:00Z');

function signed(body: string, ts = '2026-03-27T09:00:00Z', secret = SECRET) {
  return new Headers({
    'x-zendesk-webhook-signature-timestamp': ts,
    'x-zendesk-webhook-signature': zendeskSignature(secret, ts, body),
  });
}

describe('Zendesk signature', () => {
  it('is base64(HMAC-SHA256(timestamp + body)) (vector computed with openssl)', () => {
    // printf '%s' '2026-03-27T09:00:00Z{"id":"e1"}' | openssl dgst -sha256 -hmac <secret> -binary | base64
    expect(zendeskSignature(SECRET, '2026-03-27T09:00:00Z', '{"id":"e1"}')).toBe(
      '8e5CyP4FlfOWBYTzNcnp4rj0JybW5tqjkbGfBaG27VE=',
    );
  });

  it('accepts a request signed with the secret within the replay window', () => {
    const body = fixture('ticket-created');
    expect(zendesk.verify({ headers: signed(body), body }, SECRET, NOW)).toEqual({ ok: true });
    expect(
      zendesk.verify({ headers: signed(body), body }, SECRET, NOW + 4 * 60_000), // 4 min later
    ).toEqual({ ok: true });
  });

  it('refuses a bad signature, a changed body, a missing header and another secret', () => {
    const body = fixture('ticket-created');
    const bad = new Headers(signed(body));
    bad.set(
      'x-zendesk-webhook-signature',
      'AAAA' + bad.get('x-zendesk-webhook-signature')!.slice(4),
    );
    expect(zendesk.verify({ headers: bad, body }, SECRET, NOW).ok).toBe(false);
    expect(zendesk.verify({ headers: signed(body), body: body + ' ' }, SECRET, NOW).ok).toBe(false);
    expect(zendesk.verify({ headers: new Headers(), body }, SECRET, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unsigned/),
    });
    expect(
      zendesk.verify({ headers: signed(body, undefined, 'other'), body }, SECRET, NOW).ok,
    ).toBe(false);
  });

  it('refuses a correctly signed request whose timestamp is stale (a replay) or from the future', () => {
    const body = fixture('ticket-created');
    const headers = signed(body, '2026-03-27T08:50:00Z'); // 10 min before NOW
    expect(zendesk.verify({ headers, body }, SECRET, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/stale or replayed/),
    });
    const ahead = signed(body, '2026-03-27T09:10:00Z'); // 10 min after NOW
    expect(zendesk.verify({ headers: ahead, body }, SECRET, NOW).ok).toBe(false);
  });
});

describe('Zendesk ticket events', () => {
  const parse = (name: string) =>
    zendesk.parse({ headers: new Headers(), body: fixture(name) }, cfg);

  it('maps ticket.created to a creation with its status and priority, at the ticket time', () => {
    const p = parse('ticket-created');
    expect(p.deliveryId).toBe('7a2c6f2e-1d1b-4c63-9a8e-3f0c2b8d5e01');
    expect(p.updates).toHaveLength(1);
    const u = p.updates[0]!;
    expect(u).toMatchObject({
      externalId: '5158',
      url: 'https://acme.zendesk.com/agent/tickets/5158',
      fields: {
        subject: 'Cannot login to mobile app',
        statusCategory: 'new',
        priority: 'high',
        requester: 'zendesk:user/8447388090494',
        requesterOrg: 'zendesk:org/8447346613374',
        assignee: null,
        tags: ['mobile', 'login'],
        createdAt: Date.parse('2026-03-27T08:40:00Z'),
      },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'zd:7a2c6f2e-1d1b-4c63-9a8e-3f0c2b8d5e01',
        at: Date.parse('2026-03-27T08:40:00Z'),
        status: 'New',
        category: 'new',
        priority: 'high',
      },
    ]);
  });

  it('maps a status change (pending: waiting on the customer) at the event time', () => {
    expect(parse('status-changed').updates[0]!.changes).toEqual([
      {
        type: 'status',
        id: 'zd:0d3c1b6e-8a41-4a55-b0a3-6e2f1c9d7b02',
        at: Date.parse('2026-03-27T09:10:00.123Z'),
        status: 'Pending',
        category: 'pending_customer',
      },
    ]);
  });

  it('maps a comment by staff to a public agent message with the comment id the page shows', () => {
    expect(parse('comment-added').updates[0]!.changes).toEqual([
      {
        type: 'message',
        id: '9876543210',
        at: Date.parse('2026-03-27T09:05:00.123Z'),
        author: 'agent',
        public: true,
      },
    ]);
  });

  it('maps a priority change', () => {
    expect(parse('priority-changed').updates[0]!.changes).toEqual([
      expect.objectContaining({ type: 'priority', priority: 'urgent' }),
    ]);
  });

  it('throws on a payload whose ticket has no status it knows (nothing to apply)', () => {
    const body = fixture('status-changed').replace('"PENDING"', '"WAITING"');
    expect(() => zendesk.parse({ headers: new Headers(), body }, cfg)).toThrow();
  });

  it('takes a non-ticket event (a user created) as nothing to apply', () => {
    const body = JSON.stringify({
      id: 'u1',
      type: 'zen:event-type:user.created',
      time: '2026-03-27T09:00:00Z',
      detail: { id: '1' },
    });
    expect(zendesk.parse({ headers: new Headers(), body }, cfg).updates).toEqual([]);
  });
});
