import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitlab } from './gitlab.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/gitlab/${name}.json`, import.meta.url), 'utf8');
const headers = (event: string, uuid: string, token = 'gl-secret-token') =>
  new Headers({ 'x-gitlab-event': event, 'x-gitlab-event-uuid': uuid, 'x-gitlab-token': token });
const cfg = { projects: [] };
const parse = (event: string, name: string, uuid = 'u1') => {
  const body = fixture(name);
  return gitlab.parse({ headers: headers(event, uuid), body }, cfg);
};

describe('GitLab token', () => {
  it('accepts the secret token and refuses another, none, or no event UUID', () => {
    const body = fixture('issue-open');
    const ok = { headers: headers('Issue Hook', 'u1'), body };
    expect(gitlab.verify(ok, 'gl-secret-token', 0)).toEqual({ ok: true });
    expect(gitlab.verify(ok, 'gl-secret-tokem', 0).ok).toBe(false);
    expect(gitlab.verify({ headers: new Headers(), body }, 'gl-secret-token', 0).ok).toBe(false);
    const noUuid = new Headers({ 'x-gitlab-token': 'gl-secret-token' });
    expect(gitlab.verify({ headers: noUuid, body }, 'gl-secret-token', 0).ok).toBe(false);
  });
});

describe('GitLab issue and note events', () => {
  it("maps an opened issue to a creation with its scoped priority label, the id as the page's", () => {
    const u = parse('Issue Hook', 'issue-open').updates[0]!;
    expect(u).toMatchObject({
      externalId: 'acme/support/widgets/-/issues/17',
      url: 'https://gitlab.example.com/acme/support/widgets/-/issues/17',
      fields: {
        subject: 'Widget crashes on save',
        priority: 'high',
        tags: ['bug', 'priority::high'],
      },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'gl:u1',
        at: Date.parse('2026-03-27T08:40:00Z'),
        status: 'Open',
        category: 'open',
        priority: 'high',
      },
    ]);
  });

  it('maps a closed issue to solved at its closing time, with its assignee', () => {
    const u = parse('Issue Hook', 'issue-close', 'u2').updates[0]!;
    expect(u.fields.assignee).toBe('bob');
    expect(u.changes).toEqual([
      {
        type: 'status',
        id: 'gl:u2',
        at: Date.parse('2026-03-27T10:00:00Z'),
        status: 'Closed',
        category: 'solved',
      },
    ]);
  });

  it("maps a team member's note to a public agent message with the note's id", () => {
    const u = parse('Note Hook', 'note-issue').updates[0]!;
    expect(u.externalId).toBe('acme/support/widgets/-/issues/17');
    expect(u.url).toBe('https://gitlab.example.com/acme/support/widgets/-/issues/17');
    expect(u.changes).toEqual([
      {
        type: 'message',
        id: '1241',
        at: Date.parse('2026-03-27T09:02:00Z'),
        author: 'agent',
        public: true,
      },
    ]);
    const internal = fixture('note-issue').replace('"internal": false', '"internal": true');
    expect(
      gitlab.parse({ headers: headers('Note Hook', 'u4'), body: internal }, cfg).updates[0]!
        .changes[0],
    ).toMatchObject({ public: false });
  });

  it('leaves out other projects than those configured and other hooks', () => {
    const body = fixture('issue-open');
    expect(
      gitlab.parse({ headers: headers('Issue Hook', 'u5'), body }, { projects: ['acme/other'] })
        .updates,
    ).toEqual([]);
    const push = '{"object_kind":"push","project":{"path_with_namespace":"acme/support/widgets"}}';
    expect(gitlab.parse({ headers: headers('Push Hook', 'u6'), body: push }, cfg).updates).toEqual(
      [],
    );
  });

  it('throws on a payload that is not the documented shape (quarantined by the service)', () => {
    const body = fixture('issue-open').replace('"iid": 17', '"iid": "seventeen"');
    expect(() => gitlab.parse({ headers: headers('Issue Hook', 'u7'), body }, cfg)).toThrow();
  });
});
