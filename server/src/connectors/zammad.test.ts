import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zammad, zammadSignature } from './zammad.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/zammad/${name}.json`, import.meta.url), 'utf8');
const headers = (body: string, id = 'z1', secret = 'zm-secret') =>
  new Headers({
    'x-zammad-trigger': 'Deskwatch',
    'x-zammad-delivery': id,
    'x-hub-signature': zammadSignature(secret, body),
  });
const cfg = { baseUrl: 'https://support.acme.example' };

describe('Zammad signature', () => {
  it('is sha1= + hex HMAC-SHA1 of the body: matches a vector made with openssl', () => {
    expect(zammadSignature('zm-secret', '{"ticket":{"id":1}}')).toBe(
      'sha1=ed75f53cc3e501870a1f7e69eeb0d39147159c66',
    );
  });

  it('accepts the right token and refuses another, a changed body, none or no delivery id', () => {
    const body = fixture('ticket-created');
    const h = headers(body);
    expect(zammad.verify({ headers: h, body }, 'zm-secret', 0)).toEqual({ ok: true });
    expect(zammad.verify({ headers: h, body }, 'zm-secreT', 0).ok).toBe(false);
    expect(
      zammad.verify({ headers: h, body: body.replace('jams', 'jam') }, 'zm-secret', 0).ok,
    ).toBe(false);
    expect(zammad.verify({ headers: new Headers(), body }, 'zm-secret', 0).ok).toBe(false);
    const noId = new Headers({ 'x-hub-signature': zammadSignature('zm-secret', body) });
    expect(zammad.verify({ headers: noId, body }, 'zm-secret', 0).ok).toBe(false);
  });
});

describe('Zammad ticket deliveries', () => {
  const parse = (name: string, id = 'z1') => {
    const body = fixture(name);
    return zammad.parse({ headers: headers(body, id), body }, cfg);
  };

  it("maps a new ticket with the customer's first article: created in its state, the article's id", () => {
    const u = parse('ticket-created').updates[0]!;
    const at = Date.parse('2026-03-27T08:40:00Z');
    expect(u).toMatchObject({
      externalId: '31',
      url: 'https://support.acme.example/#ticket/zoom/31',
      fields: {
        subject: 'Printer on floor 3 jams',
        status: 'New',
        statusCategory: 'new',
        priority: 'high',
        requester: 'ada@acme.example',
        requesterOrg: 'Acme Ltd',
        tags: ['printer'],
      },
    });
    expect(u.changes[0]).toEqual({
      type: 'created',
      id: 'zm:31:created',
      at,
      status: 'New',
      category: 'new',
      priority: 'high',
    });
    expect(u.changes.at(-1)).toEqual({
      type: 'message',
      id: '65',
      at,
      author: 'customer',
      public: true,
    });
  });

  it("maps an agent's internal note and the ticket's new state", () => {
    const u = parse('article-internal-note', 'z2').updates[0]!;
    const at = Date.parse('2026-03-27T09:02:00Z');
    expect(u.fields).toMatchObject({
      status: 'Open',
      statusCategory: 'open',
      assignee: 'bob@acme.example',
    });
    expect(u.changes).toContainEqual({
      type: 'status',
      id: `zm:31:state@${at}`,
      at,
      status: 'Open',
      category: 'open',
    });
    expect(u.changes).toContainEqual({
      type: 'message',
      id: '66',
      at,
      author: 'agent',
      public: false,
    });
  });

  it('refuses a state it cannot place (quarantined by the service)', () => {
    const body = fixture('ticket-created').replace('"state": "new"', '"state": "escalated"');
    expect(() => zammad.parse({ headers: headers(body), body }, cfg)).toThrow(
      /unknown Zammad state/,
    );
  });
});
