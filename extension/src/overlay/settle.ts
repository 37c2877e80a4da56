/** How long a ticket's reading must stay unchanged before its timers are shown. */
export const QUIET_MS = 300;
/** The longest the overlay says "reading…" before showing what the page gives. */
export const SETTLE_MAX_MS = 1500;

/**
 * Decides when a page has settled enough to trust what it shows: the read unchanged for
 * `quietMs`, or, while the adapter still waits for a section it knows (a history list, a
 * conversation that loads late), `maxMs` after the first read. Until then the overlay says
 * "reading…" and reports nothing, so a history list arriving late never makes timers briefly
 * wrong or writes a status the history then contradicts. `schedule` asks for another look after
 * a delay (the DOM may not change again); the clock is injected so tests drive it.
 */
export function createSettle({
  now,
  schedule,
  quietMs = QUIET_MS,
  maxMs = SETTLE_MAX_MS,
}: {
  now: () => number;
  schedule: (delayMs: number) => void;
  quietMs?: number;
  maxMs?: number;
}) {
  let page: string | null = null;
  let firstAt = 0;
  let key = '';
  let changedAt = 0;
  let settled = false;
  return {
    /** Whether the read of `pageKey` (one ticket on one page view) has settled, given its `readKey`. */
    update(pageKey: string, readKey: string, waiting: boolean): boolean {
      const t = now();
      if (pageKey !== page) {
        page = pageKey;
        firstAt = t;
        settled = false;
        key = '';
      }
      if (settled) return true;
      if (readKey !== key) {
        key = readKey;
        changedAt = t;
      }
      const quietLeft = waiting ? Infinity : changedAt + quietMs - t;
      const maxLeft = firstAt + maxMs - t;
      if (quietLeft <= 0 || maxLeft <= 0) return (settled = true);
      schedule(Math.min(quietLeft, maxLeft));
      return false;
    },
    /** Forgets the page (it is no longer a ticket page). */
    reset() {
      page = null;
    },
  };
}
