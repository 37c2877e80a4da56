import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatwoot, chatwootSignature } from './chatwoot.js';
import { REPLAY_WINDOW_MS } from './types.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/chatwoot/${name}.json`, import.meta.url), 'utf8');
const NOW = Date.parse('2026-03-27T08:40:05Z');
const headers = (body: string, id = 'c1', t = NOW, secret = 'cw-secret') => {
  const ts = String(Math.floor(t / 1000));
  return new Headers({
    'x-chatwoot-delivery': id,
    'x-chatwoot-timestamp': ts,
    'x-chatwoot-signature': chatwootSignature(secret, ts, body),
  });
};
const cfg = { baseUrl: 'https://chat.acme.example' };

describe('Chatwoot signature', () => {
  it('is sha256= + hex HMAC-SHA256 of "timestamp.body": matches a vector made with openssl', () => {
    expect(chatwootSignature('cw-secret', '1774600800', '{"event":"conversation_created"}')).toBe(
      'sha256=5f92cbfbb456d56438e5abba3cde90580e5ca088214ad45840eabc22f50aa949',
    );
  });

  it('accepts a fresh signed delivery; refuses another secret, a changed body and a stale replay', () => {
    const body = fixture('conversation-created');
    const h = headers(body);
    expect(chatwoot.verify({ headers: h, body }, 'cw-secret', NOW)).toEqual({ ok: true });
    expect(chatwoot.verify({ headers: h, body }, 'cw-secreT', NOW).ok).toBe(false);
    expect(
      chatwoot.verify({ headers: h, body: body.replace('57', '58') }, 'cw-secret', NOW).ok,
    ).toBe(false);
    expect(chatwoot.verify({ headers: new Headers(), body }, 'cw-secret', NOW).ok).toBe(false);
    expect(
      chatwoot.verify({ headers: h, body }, 'cw-secret', NOW + REPLAY_WINDOW_MS + 1000),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/replayed/),
    });
  });
});

describe('Chatwoot events', () => {
  const parse = (name: string, id = 'c1') => {
    const body = fixture(name);
    return chatwoot.parse({ headers: headers(body, id), body }, cfg);
  };

  it('maps a created conversation: its display id, link, priority and labels', () => {
    const u = parse('conversation-created').updates[0]!;
    expect(u).toMatchObject({
      externalId: '57',
      url: 'https://chat.acme.example/app/accounts/3/conversations/57',
      fields: { status: 'Open', priority: 'high', requester: 'ada@example.com', tags: ['billing'] },
    });
    expect(u.changes).toEqual([
      {
        type: 'created',
        id: 'cw:3:57:created',
        at: 1774600800000,
        status: 'Open',
        category: 'open',
        priority: 'high',
      },
    ]);
  });

  it("maps an agent's outgoing message with the message's id", () => {
    const u = parse('message-created', 'c2').updates[0]!;
    expect(u.changes).toEqual([
      {
        type: 'message',
        id: '4012',
        at: Date.parse('2026-03-27T09:02:00Z'),
        author: 'agent',
        public: true,
      },
    ]);
    expect(u.fields.createdAt).toBe(1774600800000);
  });

  it('maps a resolved conversation to solved at its update time', () => {
    const u = parse('conversation-status-changed', 'c3').updates[0]!;
    expect(u.changes[0]).toEqual({
      type: 'status',
      id: 'cw:c3:status',
      at: 1774605600500,
      status: 'Resolved',
      category: 'solved',
    });
  });
});
