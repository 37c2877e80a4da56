import { describe, expect, it } from 'vitest';
import { snapshotDigest, ticketSnapshot } from '@deskwatch/shared';
import { snapshot } from '../testing.js';
import { snapshotDigestSync } from './snapshot-digest.js';

describe('snapshotDigestSync', () => {
  it("equals the shared (WebCrypto) digest the extension computes, whatever the page's text", async () => {
    const subjects = ['Plain', 'Ünïcödé ✓ 漢字 🎫', 'lone \ud800 surrogate', '', 'x'.repeat(500)];
    for (const subject of subjects) {
      const snap = ticketSnapshot.parse(snapshot({ subject }));
      expect(snapshotDigestSync(snap)).toBe(await snapshotDigest(snap));
    }
    const a = ticketSnapshot.parse(snapshot({ subject: 'a' }));
    const b = ticketSnapshot.parse(snapshot({ subject: 'b' }));
    expect(snapshotDigestSync(a)).not.toBe(snapshotDigestSync(b));
  });
});
