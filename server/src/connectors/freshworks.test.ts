import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshdesk, freshservice, SECRET_HEADER } from './freshworks.js';

const fixture = (tool: string, name: string) =>
  readFileSync(new URL(`./fixtures/${tool}/${name}.json`, import.meta.url), 'utf8');
const AT = Date.parse('2026-03-27T08:40:00Z');
const headers = (secret = 'fd-shared-secret') => new Headers({ [SECRET_HEADER]: secret });

describe('Freshworks shared secret', () => {
  it('accepts the header with the secret; refuses another, or none', () => {
    const body = fixture('freshdesk', 'ticket-created');
    expect(freshdesk.verify({ headers: headers(), body }, 'fd-shared-secret', 0)).toEqual({
      ok: true,
    });
    expect(
      freshdesk.verify({ headers: headers('fd-shared-secreT'), body }, 'fd-shared-secret', 0).ok,
    ).toBe(false);
    expect(freshservice.verify({ headers: new Headers(), body }, 'fd-shared-secret', 0).ok).toBe(
      false,
    );
  });
});

describe('Freshdesk and Freshservice rule deliveries', () => {
  const cfg = { subdomain: 'acme' };

  it('maps a creation rule: created when received, its status, priority, company and tags', () => {
    const body = fixture('freshdesk', 'ticket-created');
    const u = freshdesk.parse({ headers: headers(), body, receivedAt: AT }, cfg).updates[0]!;
    expect(u).toMatchObject({
      externalId: '312',
      url: 'https://acme.freshdesk.com/a/tickets/312',
      fields: {
        subject: 'Order 1042 arrived damaged',
        requester: 'ada@example.com',
        requesterOrg: 'Example Ltd',
        assignee: null,
        tags: ['damaged', 'shipping'],
        createdAt: AT,
      },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'freshdesk:312:created',
        at: AT,
        status: 'Open',
        category: 'open',
        priority: 'high',
      },
    ]);
  });

  it("maps an agent reply rule: a public agent message and the ticket's status now", () => {
    const body = fixture('freshdesk', 'agent-reply');
    const d = freshdesk.parse({ headers: headers(), body, receivedAt: AT + 60_000 }, cfg);
    const u = d.updates[0]!;
    expect(u.changes).toContainEqual(
      expect.objectContaining({
        type: 'status',
        status: 'Waiting on Customer',
        category: 'pending_customer',
      }),
    );
    expect(u.changes).toContainEqual(
      expect.objectContaining({ type: 'message', at: AT + 60_000, author: 'agent', public: true }),
    );
    // The same bytes at another time are another delivery (a rule has no delivery id).
    expect(
      freshdesk.parse({ headers: headers(), body, receivedAt: AT + 120_000 }, cfg).deliveryId,
    ).not.toBe(d.deliveryId);
  });

  it("reads Freshservice's prefixed ids and its own creation time", () => {
    const body = fixture('freshservice', 'ticket-updated');
    const u = freshservice.parse({ headers: headers(), body, receivedAt: AT + 3_600_000 }, cfg)
      .updates[0]!;
    expect(u).toMatchObject({
      externalId: '77',
      url: 'https://acme.freshservice.com/a/tickets/77',
      fields: { status: 'Resolved', statusCategory: 'solved', priority: 'urgent', createdAt: AT },
    });
  });

  it('refuses a status it cannot place', () => {
    const body = fixture('freshdesk', 'agent-reply').replace('Waiting on Customer', 'Escalated');
    expect(() => freshdesk.parse({ headers: headers(), body, receivedAt: AT }, cfg)).toThrow(
      /unknown status/,
    );
  });
});
