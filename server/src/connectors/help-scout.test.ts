import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpScout, helpScoutSignature } from './help-scout.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/help-scout/${name}.json`, import.meta.url), 'utf8');
const headers = (event: string, body: string, secret = 'hs-secret') =>
  new Headers({
    'x-helpscout-event': event,
    'x-helpscout-signature': helpScoutSignature(secret, body),
  });
const cfg = { mailboxes: [] };

describe('Help Scout signature', () => {
  it('is base64 HMAC-SHA1 of the body: matches a vector made with openssl', () => {
    expect(helpScoutSignature('hs-secret', '{"id":1}')).toBe('Pbx/x3SdWsdj0x9/lL0MYJdUQoo=');
  });

  it('accepts the right key and refuses another, a changed body or none', () => {
    const body = fixture('convo-customer-reply');
    const h = headers('convo.customer.reply.created', body);
    expect(helpScout.verify({ headers: h, body }, 'hs-secret', 0)).toEqual({ ok: true });
    expect(helpScout.verify({ headers: h, body }, 'hs-secreT', 0).ok).toBe(false);
    expect(
      helpScout.verify({ headers: h, body: body.replace('1042', '1043') }, 'hs-secret', 0).ok,
    ).toBe(false);
    expect(helpScout.verify({ headers: new Headers(), body }, 'hs-secret', 0).ok).toBe(false);
  });
});

describe('Help Scout conversation events', () => {
  const parse = (event: string, name: string) => {
    const body = fixture(name);
    return helpScout.parse({ headers: headers(event, body), body, receivedAt: 0 }, cfg);
  };

  it("maps a customer reply: each thread a message with the page's thread id", () => {
    const d = parse('convo.customer.reply.created', 'convo-customer-reply');
    const u = d.updates[0]!;
    expect(u).toMatchObject({
      externalId: '2391938111',
      url: 'https://secure.helpscout.net/conversation/2391938111/349',
      fields: {
        subject: 'Refund for order 1042',
        requester: 'ada@example.com',
        assignee: 'bob@acme.example',
        tags: ['refund'],
      },
    });
    expect(u.changes.filter((c) => c.type === 'message')).toEqual([
      {
        type: 'message',
        id: '2198262392',
        at: Date.parse('2026-03-27T09:30:00Z'),
        author: 'customer',
        public: true,
      },
      {
        type: 'message',
        id: '2198262391',
        at: Date.parse('2026-03-27T09:02:00Z'),
        author: 'agent',
        public: true,
      },
      {
        type: 'message',
        id: '2198262390',
        at: Date.parse('2026-03-27T08:40:00Z'),
        author: 'customer',
        public: true,
      },
    ]);
  });

  it('maps a closed conversation to solved at its closing time; a line item is no message', () => {
    const u = parse('convo.status', 'convo-status-closed').updates[0]!;
    const at = Date.parse('2026-03-27T10:00:00Z');
    expect(u.changes).toContainEqual({
      type: 'status',
      id: `hs:2391938111:status@${at}`,
      at,
      status: 'Closed',
      category: 'solved',
    });
    expect(u.changes.some((c) => c.id === '2198262393')).toBe(false);
  });

  it('knows a delivery by its event and bytes: the same one twice has one id', () => {
    const a = parse('convo.status', 'convo-status-closed');
    const b = parse('convo.status', 'convo-status-closed');
    const c = parse('convo.tags', 'convo-status-closed');
    expect(a.deliveryId).toBe(b.deliveryId);
    expect(a.deliveryId).not.toBe(c.deliveryId);
  });

  it('leaves out other mailboxes than those configured and customer events', () => {
    const body = fixture('convo-status-closed');
    expect(
      helpScout.parse({ headers: headers('convo.status', body), body }, { mailboxes: [1] }).updates,
    ).toEqual([]);
    expect(
      helpScout.parse({ headers: headers('customer.created', '{}'), body: '{}' }, cfg).updates,
    ).toEqual([]);
  });
});
