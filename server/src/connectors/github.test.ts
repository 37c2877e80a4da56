import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { github, githubSignature } from './github.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/github/${name}.json`, import.meta.url), 'utf8');
const headers = (event: string, delivery: string, body: string, secret = 's3cret') =>
  new Headers({
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': githubSignature(secret, body),
  });

describe('GitHub signature', () => {
  it("matches GitHub's published test vector", () => {
    // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(githubSignature("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('accepts the right secret and refuses another, a changed body or no signature', () => {
    const body = fixture('issues-opened');
    const h = headers('issues', 'd1', body);
    expect(github.verify({ headers: h, body }, 's3cret', 0)).toEqual({ ok: true });
    expect(github.verify({ headers: h, body }, 'other', 0).ok).toBe(false);
    expect(github.verify({ headers: h, body: body.replace('42', '43') }, 's3cret', 0).ok).toBe(
      false,
    );
    expect(github.verify({ headers: new Headers(), body }, 's3cret', 0).ok).toBe(false);
  });
});

describe('GitHub issue events', () => {
  const cfg = { repositories: [] };
  const parse = (event: string, name: string, delivery = 'd1') => {
    const body = fixture(name);
    return github.parse({ headers: headers(event, delivery, body), body }, cfg);
  };

  it('maps an opened issue to a creation, its priority from its labels, the id as the page has it', () => {
    const u = parse('issues', 'issues-opened').updates[0]!;
    expect(u).toMatchObject({
      externalId: 'acme/widgets/issues/42',
      url: 'https://github.com/acme/widgets/issues/42',
      fields: { subject: 'Widget crashes on save', priority: 'high', requester: 'octo-customer' },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'gh:d1',
        at: Date.parse('2026-03-27T08:40:00Z'),
        status: 'Open',
        category: 'open',
        priority: 'high',
      },
    ]);
  });

  it("maps a member's comment to a public agent reply, with the comment's id", () => {
    expect(parse('issue_comment', 'issue-comment-created').updates[0]!.changes).toEqual([
      {
        type: 'message',
        id: '1234567',
        at: Date.parse('2026-03-27T09:02:00Z'),
        author: 'agent',
        public: true,
      },
    ]);
  });

  it('maps a closed issue to solved at its closing time', () => {
    expect(parse('issues', 'issues-closed', 'd3').updates[0]!.changes).toEqual([
      {
        type: 'status',
        id: 'gh:d3',
        at: Date.parse('2026-03-27T10:00:00Z'),
        status: 'Closed',
        category: 'solved',
      },
    ]);
  });

  it('leaves out pull requests, other repositories than those configured, and pings', () => {
    const body = fixture('issue-comment-created').replace(
      '"number": 42,',
      '"number": 42, "pull_request": {},',
    );
    expect(
      github.parse({ headers: headers('issue_comment', 'x', body), body }, cfg).updates,
    ).toEqual([]);
    const other = fixture('issues-opened');
    expect(
      github.parse(
        { headers: headers('issues', 'y', other), body: other },
        { repositories: ['acme/other'] },
      ).updates,
    ).toEqual([]);
    const ping =
      '{"zen":"hi","hook_id":1,"repository":{"full_name":"acme/widgets"},"hook":{"type":"Repository"}}';
    expect(github.parse({ headers: headers('ping', 'z', ping), body: ping }, cfg).updates).toEqual(
      [],
    );
  });
});
