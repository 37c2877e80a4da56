import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of Deskwatch's generic JSON webhooks (issue #19). The receiver recomputes
 * `HMAC-SHA256(secret, "<timestamp>.<raw body>")` and refuses a timestamp outside the replay
 * window, so a captured request cannot be played again later.
 */
export const TIMESTAMP_HEADER = 'deskwatch-timestamp';
export const SIGNATURE_HEADER = 'deskwatch-signature';
/** How far a receiver lets the timestamp stray from its clock. */
export const REPLAY_WINDOW_S = 300;

/**
 * The headers for `body` sent at `t` (epoch ms).
 * @example webhookSignature('s3cret', 1774602000000, '{}') // { 'deskwatch-timestamp': '1774602000', 'deskwatch-signature': 'v1=…' }
 */
export function webhookSignature(secret: string, t: number, body: string) {
  const ts = String(Math.floor(t / 1000));
  const mac = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: `v1=${mac}` };
}

/** The receiver's check, as the README shows it: true only for a fresh, untouched body. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  t: number,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(t / 1000 - ts) > REPLAY_WINDOW_S) return false;
  const want = Buffer.from(webhookSignature(secret, ts * 1000, body)[SIGNATURE_HEADER]);
  const got = Buffer.from(headers.signature ?? '');
  return got.length === want.length && timingSafeEqual(got, want);
}
