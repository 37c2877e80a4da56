import { describe, expect, it } from 'vitest';
import {
  conflictText,
  flush,
  newlyAnswered,
  settle,
  type OutboxStore,
  type QueuedDecision,
} from './outbox';

const queued = (over: Partial<QueuedDecision> = {}): QueuedDecision => ({
  escalationId: 'e1',
  decision: 'approve',
  comment: '',
  by: 'Mia Manager',
  ticketSubject: 'VPN drops',
  queuedAt: 1,
  status: 'queued',
  ...over,
});

function memory(items: QueuedDecision[]): OutboxStore & { items: Map<string, QueuedDecision> } {
  const m = new Map(items.map((d) => [d.escalationId, d]));
  return {
    items: m,
    all: async () => [...m.values()],
    put: async (d) => void m.set(d.escalationId, d),
    remove: async (id) => void m.delete(id),
  };
}

describe('settle', () => {
  it('drops a decision the server took', () => {
    expect(settle(queued(), { ok: true })).toBeNull();
  });
  it('keeps a decision queued while offline', () => {
    expect(settle(queued(), { ok: false, offline: true })).toEqual(queued());
  });
  it('tells who decided first when someone else did', () => {
    const d = settle(queued(), {
      ok: false,
      code: 'CONFLICT',
      message: 'Already denied by Ada Admin',
      current: { state: 'denied', decidedBy: 'Ada Admin' },
    })!;
    expect(d.status).toBe('conflict');
    expect(conflictText(d)).toBe('Ada Admin decided first (denied); your approval was not sent.');
  });
  it('counts its own earlier send (a lost answer) as done, not as a conflict', () => {
    expect(
      settle(queued(), {
        ok: false,
        code: 'CONFLICT',
        message: 'Already approved by Mia Manager',
        current: { state: 'approved', decidedBy: 'Mia Manager' },
      }),
    ).toBeNull();
  });
  it('keeps a decision for the next sign-in when the session ended', () => {
    expect(settle(queued(), { ok: false, code: 'UNAUTHORIZED', message: 'Sign in first' })).toEqual(
      queued(),
    );
  });
  it('marks a refused decision failed with the reason', () => {
    expect(
      settle(queued(), { ok: false, code: 'NOT_FOUND', message: 'No such escalation' }),
    ).toMatchObject({ status: 'failed', message: 'No such escalation' });
  });
});

describe('flush', () => {
  it('sends oldest first and stops at the first sign of still being offline', async () => {
    const store = memory([
      queued({ escalationId: 'b', queuedAt: 2 }),
      queued({ escalationId: 'a', queuedAt: 1 }),
      queued({ escalationId: 'c', queuedAt: 3 }),
    ]);
    const sent: string[] = [];
    const n = await flush(store, async (d) => {
      sent.push(d.escalationId);
      return d.escalationId === 'b' ? { ok: false, offline: true } : { ok: true };
    });
    expect(sent).toEqual(['a', 'b']);
    expect(n).toBe(1);
    expect([...store.items.keys()].sort()).toEqual(['b', 'c']);
  });
  it('never sends again what already came back as a conflict', async () => {
    const store = memory([queued({ status: 'conflict' })]);
    let calls = 0;
    await flush(store, async () => {
      calls++;
      return { ok: true };
    });
    expect(calls).toBe(0);
  });
});

describe('newlyAnswered', () => {
  it('names the queued decisions that came back as conflicts, not older ones', () => {
    const old = queued({ escalationId: 'old', status: 'conflict' });
    const before = [old, queued({ escalationId: 'a' }), queued({ escalationId: 'b' })];
    const after = [old, queued({ escalationId: 'a', status: 'conflict' })];
    expect(newlyAnswered(before, after).map((d) => d.escalationId)).toEqual(['a']);
  });
});
