import { createHash } from 'node:crypto';
import type { TicketSnapshot } from '@deskwatch/shared';

/**
 * `snapshotDigest` (shared, WebCrypto, so the extension computes the same) done synchronously
 * with node's own hash: the same SHA-256 of the same JSON (UTF-8), base64url without padding.
 * WebCrypto's digest is asynchronous, a hop to the thread pool and back that cost an
 * observation more than the hash itself (5% of a new ticket's CPU in the profile).
 * `snapshot-digest.test.ts` holds the two equal.
 */
export const snapshotDigestSync = (snap: TicketSnapshot): string =>
  createHash('sha256').update(JSON.stringify(snap)).digest('base64url');
