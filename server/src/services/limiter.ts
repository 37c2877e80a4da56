/**
 * Counts failures per key in a fixed window, to slow down password and pairing-code guessing.
 * Per instance, in memory: several instances each allow the limit, which still bounds guessing.
 */
export function createLimiter(now: () => number) {
  const buckets = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Milliseconds until `key` may try again, or 0 when it may now. */
    blockedFor(key: string, limit: number): number {
      const b = buckets.get(key);
      if (!b || b.resetAt <= now()) return 0;
      return b.count >= limit ? b.resetAt - now() : 0;
    },
    fail(key: string, windowMs: number) {
      const b = buckets.get(key);
      if (!b || b.resetAt <= now()) buckets.set(key, { count: 1, resetAt: now() + windowMs });
      else b.count += 1;
      if (buckets.size > 10_000)
        for (const [k, v] of buckets) if (v.resetAt <= now()) buckets.delete(k);
    },
    clear(key: string) {
      buckets.delete(key);
    },
  };
}
export type Limiter = ReturnType<typeof createLimiter>;
