import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ticketSnapshot, type TicketSnapshotInput } from './schemas/api.js';
import { observeCheckInput, snapshotDigest } from './snapshot-digest.js';

const page: TicketSnapshotInput = {
  source: 'demo-desk',
  externalId: '42',
  url: 'https://desk.example.com/tickets/42',
  subject: 'Printer on fire — ünïcode',
  status: 'Open',
  statusCategory: 'open',
  priority: 'high',
  requester: 'ana@example.com',
  createdAt: '2026-03-27T09:00:00Z',
  messages: [{ author: 'customer', public: true, at: '2026-03-27T09:00:00Z' }],
};

describe('snapshotDigest', () => {
  it('is the base64url SHA-256 of the validated snapshot, as stored digests were computed', async () => {
    const snap = ticketSnapshot.parse(page);
    const node = createHash('sha256').update(JSON.stringify(snap)).digest('base64url');
    expect(await snapshotDigest(snap)).toBe(node);
  });

  it('does not depend on the order of the keys the adapter produced', async () => {
    const reordered = Object.fromEntries(Object.entries(page).reverse()) as TicketSnapshotInput;
    expect(await snapshotDigest(ticketSnapshot.parse(reordered))).toBe(
      await snapshotDigest(ticketSnapshot.parse(page)),
    );
  });

  it('changes when anything on the page changes', async () => {
    const a = await snapshotDigest(ticketSnapshot.parse(page));
    const b = await snapshotDigest(ticketSnapshot.parse({ ...page, status: 'Pending' }));
    expect(a).not.toBe(b);
  });

  it('is what observeCheckInput accepts as a digest', async () => {
    const digest = await snapshotDigest(ticketSnapshot.parse(page));
    expect(observeCheckInput.parse({ source: 'demo-desk', externalId: '42', digest })).toEqual({
      source: 'demo-desk',
      externalId: '42',
      digest,
    });
    expect(
      observeCheckInput.safeParse({ source: 'demo-desk', externalId: '42', digest: 'x' }).success,
    ).toBe(false);
  });
});
