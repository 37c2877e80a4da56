import { z } from 'zod';
import { ticketSnapshot, type TicketSnapshot } from './schemas/api.js';

/**
 * The digest of a ticket snapshot as validated by `ticketSnapshot` (its keys in the schema's
 * order, its defaults filled in): SHA-256 of its JSON, base64url without padding. The server
 * keeps it with each stored page; the extension computes it from the page it is about to send,
 * so an unchanged page is recognised from its key and digest alone (`observeCheckInput`).
 * WebCrypto, so the browser and the server run the same code.
 *
 * @example
 * await snapshotDigest(ticketSnapshot.parse(page)) // 'q3b…' (43 characters)
 */
export async function snapshotDigest(snap: TicketSnapshot): Promise<string> {
  const hash = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify(snap)),
  );
  let bin = '';
  for (const b of new Uint8Array(hash)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A ticket's key and the digest of the page the extension would send for it. */
export const observeCheckInput = z.strictObject({
  source: ticketSnapshot.shape.source,
  externalId: ticketSnapshot.shape.externalId,
  digest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'digest is a base64url SHA-256'),
});
