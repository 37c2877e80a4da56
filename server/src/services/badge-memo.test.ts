import { describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { badgeMemo } from './badge-memo.js';
import { badgeFromRow } from './tickets.js';

describe('badgeMemo', () => {
  it("answers badgeFromRow's badge, again only while the stored state is the same text", async () => {
    const env = await testEnv();
    try {
      const trpc = await env.as('agent@alpha.test', 'token');
      const one = await trpc.tickets.observe({ snapshot: snapshot() });
      const state = async () =>
        (
          await env.client.execute({
            sql: 'SELECT state_json FROM ticket_sla WHERE ticket_id = ?',
            args: [one.ticket.id],
          })
        ).rows[0]![0] as string;
      const before = await state();
      const memo = badgeMemo(2);
      const first = memo('1', one.ticket.id, before);
      expect(first).toEqual(badgeFromRow('1', one.ticket.id, before));
      expect(first).not.toBeNull();
      expect(memo('1', one.ticket.id, before)).toBe(first);
      // The ticket changes: its stored state is new text, so a new badge.
      env.clock.advance(5 * 60_000);
      await trpc.tickets.observe({ snapshot: snapshot({ priority: 'low' }) });
      const after = await state();
      expect(after).not.toBe(before);
      expect(memo('1', one.ticket.id, after)).toEqual(badgeFromRow('1', one.ticket.id, after));
      expect(memo('1', one.ticket.id, after)).not.toEqual(first);
      // Bounded: past `max` tickets it starts over, answers unchanged.
      memo('2', 'other-a', before);
      memo('3', 'other-b', before);
      expect(memo('1', one.ticket.id, after)).toEqual(badgeFromRow('1', one.ticket.id, after));
    } finally {
      env.close();
    }
  });
});
