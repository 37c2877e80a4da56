import { expect, it } from 'vitest';
import {
  decideEscalationInput,
  pairingCode,
  pushSubscriptionInput,
  ticketSnapshot,
} from './api.js';

it('forgives case and dashes in a typed pairing code but rejects a short one', () => {
  expect(pairingCode.parse('abcd-2345')).toBe('ABCD2345');
  expect(pairingCode.safeParse('abc').success).toBe(false);
});

it('requires a reason to deny an escalation but not to approve', () => {
  expect(decideEscalationInput.safeParse({ escalationId: 'e1', decision: 'approve' }).success).toBe(
    true,
  );
  const denied = decideEscalationInput.safeParse({
    escalationId: 'e1',
    decision: 'deny',
    comment: '  ',
  });
  expect(denied.success).toBe(false);
  expect(denied.error?.issues[0]?.message).toBe('A denial needs a reason');
});

it('accepts only https push endpoints', () => {
  const keys = { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) };
  expect(pushSubscriptionInput.safeParse({ endpoint: 'http://push.example/x', keys }).success).toBe(
    false,
  );
  expect(
    pushSubscriptionInput.safeParse({ endpoint: 'https://push.example/x', keys }).success,
  ).toBe(true);
});

it('rejects a snapshot with an unknown status category or a relative time', () => {
  const good = {
    source: 'demo-desk',
    externalId: '7',
    url: 'http://127.0.0.1:8787/demo/tickets/7',
    subject: 'VPN down',
    status: 'Open',
    statusCategory: 'open',
    priority: 'high',
    requester: 'ana@example.com',
    createdAt: '2026-03-27T09:00:00.000Z',
    messages: [],
  };
  expect(ticketSnapshot.safeParse(good).success).toBe(true);
  expect(ticketSnapshot.safeParse({ ...good, statusCategory: 'waiting' }).success).toBe(false);
  expect(ticketSnapshot.safeParse({ ...good, createdAt: '2 hours ago' }).success).toBe(false);
});
