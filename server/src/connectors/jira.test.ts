import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JIRA_MAX_AGE_MS, jira, jiraSignature } from './jira.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/jira-service-management/${name}.json`, import.meta.url), 'utf8');
const headers = (body: string, id = 'w1', secret = 'jira-secret') =>
  new Headers({
    'x-atlassian-webhook-identifier': id,
    'x-hub-signature': jiraSignature(secret, body),
  });
const cfg = { site: 'https://acme.atlassian.net' };
const SENT = Date.parse('2026-03-27T08:40:00Z');

describe('Jira signature', () => {
  it('is the WebSub X-Hub-Signature: matches known vectors', () => {
    // GitHub's published vector for the same scheme, and one made with `openssl dgst -sha256 -hmac`.
    expect(jiraSignature("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
    expect(jiraSignature('jira-secret', '{"timestamp":1}')).toBe(
      'sha256=dbd12d56827eca143ef3ae749a7cf8af0bb626e0034b49ba0621a3bdfd3f6fb2',
    );
  });

  it('accepts the right secret, refuses another, a changed body, and a replay of an old delivery', () => {
    const body = fixture('issue-created');
    const h = headers(body);
    expect(jira.verify({ headers: h, body }, 'jira-secret', SENT + 1000)).toEqual({ ok: true });
    expect(jira.verify({ headers: h, body }, 'other-secret', SENT).ok).toBe(false);
    expect(
      jira.verify({ headers: h, body: body.replace('1042', '1043') }, 'jira-secret', SENT).ok,
    ).toBe(false);
    expect(jira.verify({ headers: new Headers(), body }, 'jira-secret', SENT).ok).toBe(false);
    const replay = jira.verify({ headers: h, body }, 'jira-secret', SENT + JIRA_MAX_AGE_MS + 1);
    expect(replay).toMatchObject({ ok: false, reason: expect.stringMatching(/replayed/) });
    // Sent "from the future" beyond the clock skew allowed.
    expect(jira.verify({ headers: h, body }, 'jira-secret', SENT - 10 * 60_000).ok).toBe(false);
  });
});

describe('Jira Service Management events', () => {
  const parse = (name: string, id = 'w1') => {
    const body = fixture(name);
    return jira.parse({ headers: headers(body, id), body }, cfg);
  };

  it('maps a created issue to a creation with its status category, priority and reporter', () => {
    const u = parse('issue-created').updates[0]!;
    expect(u).toMatchObject({
      externalId: 'SUP-1042',
      url: 'https://acme.atlassian.net/browse/SUP-1042',
      fields: {
        subject: 'Cannot log in to the portal',
        requester: 'ada@example.com',
        assignee: null,
        tags: ['portal'],
      },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'jira:10042:created',
        at: SENT,
        status: 'Waiting for support',
        category: 'open',
        priority: 'high',
      },
    ]);
  });

  it("maps a changelog's status and priority items, each its own change, at the issue's update time", () => {
    const u = parse('issue-updated-status', 'w2').updates[0]!;
    const at = Date.parse('2026-03-27T10:00:00Z');
    expect(u.changes).toEqual([
      {
        type: 'status',
        id: 'jira:10140:status',
        at,
        status: 'Waiting for customer',
        category: 'pending_customer',
      },
      { type: 'priority', id: 'jira:10140:priority', at, priority: 'urgent' },
    ]);
    expect(u.fields.assignee).toBe('bob@acme.example');
  });

  it('maps a public comment by an agent, and an internal one', () => {
    const u = parse('comment-created', 'w3').updates[0]!;
    expect(u.changes).toEqual([
      {
        type: 'message',
        id: '10300',
        at: Date.parse('2026-03-27T09:02:00Z'),
        author: 'agent',
        public: true,
      },
    ]);
    const internal = fixture('comment-created').replace('"jsdPublic": true', '"jsdPublic": false');
    expect(
      jira.parse({ headers: headers(internal, 'w4'), body: internal }, cfg).updates[0]!.changes[0],
    ).toMatchObject({ public: false });
  });
});
