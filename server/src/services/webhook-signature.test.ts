import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature.js';

const secret = 'whsec-test-vector';
const body = '{"type":"page.notified"}';
const t = Date.parse('2026-03-27T09:00:00Z'); // 1774602000 s

describe('webhook signature', () => {
  it('matches a vector computed with openssl (HMAC-SHA256 of "<timestamp>.<body>")', () => {
    // printf '%s' '1774602000.{"type":"page.notified"}' | openssl dgst -sha256 -hmac whsec-test-vector
    expect(webhookSignature(secret, t, body)).toEqual({
      'deskwatch-timestamp': '1774602000',
      'deskwatch-signature': 'v1=c10273d3b1a6351fed6a13d965e6899f20b0ab726cd68880c8a3798233b13867',
    });
  });

  const headers = (h: Record<string, string>) => ({
    timestamp: h['deskwatch-timestamp'],
    signature: h['deskwatch-signature'],
  });

  it('verifies within the five-minute replay window and refuses outside it', () => {
    const h = headers(webhookSignature(secret, t, body));
    expect(verifyWebhookSignature(secret, h, body, t + 299_000)).toBe(true);
    expect(verifyWebhookSignature(secret, h, body, t - 299_000)).toBe(true);
    expect(verifyWebhookSignature(secret, h, body, t + 301_000)).toBe(false);
  });

  it('refuses an altered body, another secret, or missing headers', () => {
    const h = headers(webhookSignature(secret, t, body));
    expect(verifyWebhookSignature(secret, h, body.replace('page', 'pagE'), t)).toBe(false);
    expect(verifyWebhookSignature('other', h, body, t)).toBe(false);
    expect(
      verifyWebhookSignature(secret, { timestamp: undefined, signature: undefined }, body, t),
    ).toBe(false);
  });
});
