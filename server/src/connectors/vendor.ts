import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Priority } from '@deskwatch/shared';

// What the webhook tools have in common: HMACs over the raw body, constant-time comparison,
// the time formats they write, and a stable id for a delivery that carries none.

/** HMAC of `data` with `secret`, hex or base64, as each vendor writes it. */
export function hmac(
  alg: 'sha1' | 'sha256',
  secret: string,
  data: string,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return createHmac(alg, secret).update(data).digest(encoding);
}

/** Constant-time string equality (a length mismatch is simply false). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A stable id for a delivery from its bytes (tools that send no delivery id). */
export const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);

/**
 * An instant as the tools write it: ISO 8601 (`2026-03-27T08:40:00Z`), Jira's offset without a
 * colon (`2026-03-27T08:40:00.000+0000`), GitLab's and Chatwoot's `2026-03-27 08:40:00 UTC`, or
 * Unix seconds (Chatwoot's conversations). Read as epoch ms; anything else is refused.
 */
export const toolTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = readTime(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'a time (ISO 8601 or Unix seconds)' });
    return z.NEVER;
  }
  return ms;
});

export function readTime(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v * 1000 : null;
  const s = v.trim();
  let m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?) ?UTC$/.exec(s);
  if (m) return Date.parse(`${m[1]}T${m[2]}Z`);
  m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?)([+-]\d\d)(\d\d)$/.exec(s);
  if (m) return Date.parse(`${m[1]}${m[2]}:${m[3]}`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/** `Waiting for customer` → `Waiting for customer`; `pending reminder` → `Pending reminder`. */
export const statusLabel = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** A priority by the words tools use for it (`Highest`, `3 high`, `Medium`, `P1`), else normal. */
export function priorityFromName(name: string | null | undefined): Priority {
  const n = (name ?? '').toLowerCase();
  if (/urgent|highest|critical|blocker|\bp0\b/.test(n)) return 'urgent';
  if (/high|\bp1\b/.test(n)) return 'high';
  if (/low|\bp3\b/.test(n)) return 'low';
  return 'normal';
}
