import { describe, expect, it } from 'vitest';
import { applyUpdate } from './apply.js';
import { hmac, readTime } from './vendor.js';

describe('vendor HMACs', () => {
  it('match the RFC test vectors (RFC 2202 for SHA-1, RFC 4231 for SHA-256)', () => {
    // Test case 2 of each: key "Jefe", data "what do ya want for nothing?".
    expect(hmac('sha1', 'Jefe', 'what do ya want for nothing?')).toBe(
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    );
    expect(hmac('sha1', 'Jefe', 'what do ya want for nothing?', 'base64')).toBe(
      Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64'),
    );
    expect(hmac('sha256', 'Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('tool times', () => {
  it('reads the formats the tools write, all as the same instant', () => {
    const want = Date.UTC(2026, 2, 27, 8, 40);
    for (const s of [
      '2026-03-27T08:40:00Z',
      '2026-03-27T08:40:00.000+0000',
      '2026-03-27T09:40:00.000+0100',
      '2026-03-27 08:40:00 UTC',
      '2026-03-27T10:40:00+02:00',
    ])
      expect(readTime(s), s).toBe(want);
    expect(readTime(want / 1000)).toBe(want);
  });

  it('refuses what is not a time', () => {
    for (const s of ['yesterday', '27/03/2026', '2026-03-27', ''])
      expect(readTime(s), s).toBeNull();
  });
});

describe('a tool that repeats the ticket as it is', () => {
  const base = {
    externalId: '7',
    url: 'https://x.example/7',
    fields: { createdAt: Date.UTC(2026, 2, 27, 8) },
    toolAt: 0,
  };
  it('adds a status or priority change only when it differs from the one in effect', () => {
    const created = applyUpdate(
      null,
      {
        ...base,
        changes: [
          {
            type: 'created',
            id: 'c',
            at: base.fields.createdAt,
            status: 'Open',
            category: 'open',
            priority: 'normal',
          },
        ],
      },
      'zammad',
    );
    if ('error' in created) throw new Error(created.error);
    const at = base.fields.createdAt + 60_000;
    const same = applyUpdate(
      created,
      {
        ...base,
        changes: [
          { type: 'status', id: 's1', at, status: 'Open', category: 'open' },
          { type: 'priority', id: 'p1', at, priority: 'normal' },
        ],
      },
      'zammad',
    );
    if ('error' in same) throw new Error(same.error);
    expect(same.statusChanges).toHaveLength(1);
    expect(same.priorityChanges).toHaveLength(1);
    const moved = applyUpdate(
      same,
      {
        ...base,
        changes: [
          { type: 'status', id: 's2', at: at + 1, status: 'Pending', category: 'pending_customer' },
          { type: 'status', id: 's3', at: at + 2, status: 'Open', category: 'open' },
        ],
      },
      'zammad',
    );
    if ('error' in moved) throw new Error(moved.error);
    expect(moved.statusChanges.map((s) => s.status)).toEqual(['Open', 'Pending', 'Open']);
  });
});
