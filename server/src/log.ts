/**
 * Server logging that stays readable when something fails many times a second (a database
 * outage fails every request and every scheduler tick): repeats are counted, not written.
 */

type Write = (...args: unknown[]) => void;

// Looked up at each call, so a test's spy on console.error sees what is written.
const toStderr: Write = (...args) => console.error(...args);

export interface ErrorLogOptions {
  now?: () => number;
  write?: Write;
  /** Within this window an error of the same kind is counted instead of written. */
  windowMs?: number;
}

/**
 * Writes the first error of each kind, then at most one line per kind per window: repeats in
 * between are counted and the count is written when the window ends (or at the next repeat
 * after it).
 */
export function createErrorLog({
  now = Date.now,
  write = toStderr,
  windowMs = 10_000,
}: ErrorLogOptions = {}) {
  const kinds = new Map<string, { since: number; suppressed: number; lastId: string }>();
  let timer: NodeJS.Timeout | null = null;

  function summary(key: string, k: { suppressed: number; lastId: string }) {
    write(
      `${key}: ${k.suppressed} more like this in the last ${windowMs / 1000} s (latest error id ${k.lastId}; ids of repeats are not logged one by one)`,
    );
  }

  // Says how many were held back even when none follows; never keeps the process up.
  function arm() {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
      if (kinds.size > 0) arm();
    }, windowMs);
    timer.unref();
  }

  /** Writes what is pending and forgets kinds whose window has ended. */
  function flush(all = false) {
    const t = now();
    for (const [key, k] of kinds) {
      if (!all && t - k.since < windowMs) continue;
      if (k.suppressed > 0) summary(key, k);
      kinds.delete(key);
    }
    if (kinds.size === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  }

  return {
    /**
     * Logs `details` under `key` (what kind of error, without the parts that vary per request)
     * unless the same kind was logged within the window. Returns whether it was written.
     */
    report(key: string, id: string, ...details: unknown[]): boolean {
      flush();
      const k = kinds.get(key);
      if (k) {
        k.suppressed++;
        k.lastId = id;
        return false;
      }
      kinds.set(key, { since: now(), suppressed: 0, lastId: id });
      write(`${key} (error id ${id}):`, ...details);
      arm();
      return true;
    },
    flush: () => flush(true),
  };
}
export type ErrorLog = ReturnType<typeof createErrorLog>;

/** The log every HTTP request's unexpected errors go to. */
export const errorLog = createErrorLog();

export interface FailureStreakOptions {
  now?: () => number;
  write?: Write;
  /** While failing, how often to say that it still is. */
  reminderMs?: number;
}

/**
 * For a loop that retries by itself (the scheduler's tick): the first failure of an outage is
 * written in full, the rest are counted (with a reminder now and then), and the recovery is
 * written with the count.
 */
export function failureStreak(
  name: string,
  { now = Date.now, write = toStderr, reminderMs = 60_000 }: FailureStreakOptions = {},
) {
  let failures = 0;
  let since = 0;
  let lastWritten = 0;
  let lastKind = '';
  return {
    failed(err: unknown) {
      const t = now();
      const kind = errorKind(err);
      if (failures === 0 || kind !== lastKind) {
        write(
          `${name} failed${failures ? ` differently after ${failures} failures` : ''}: retrying; repeats are counted, not logged`,
          err,
        );
        if (failures === 0) since = t;
        lastWritten = t;
      } else if (t - lastWritten >= reminderMs) {
        write(
          `${name} still failing: ${failures + 1} failures in ${Math.round((t - since) / 1000)} s: ${kind}`,
        );
        lastWritten = t;
      }
      lastKind = kind;
      failures++;
    },
    succeeded() {
      if (failures === 0) return;
      write(
        `${name} recovered after ${failures} failure${failures === 1 ? '' : 's'} in ${Math.round((now() - since) / 1000)} s`,
      );
      failures = 0;
      lastKind = '';
    },
  };
}

/**
 * Runs `pass` every `intervalMs` once started, never two passes at once (a pass still running
 * when the timer fires is left to finish), its outages told through `failureStreak(name)`;
 * `stop` waits for the pass under way. The timer keeps no process alive.
 */
export function repeatingPass(
  name: string,
  pass: () => Promise<unknown>,
  options: FailureStreakOptions = {},
) {
  const failures = failureStreak(name, options);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  return {
    start(intervalMs: number) {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = pass()
          .then(() => failures.succeeded())
          .catch((err) => failures.failed(err))
          .finally(() => (running = null));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

/**
 * What kind of error this is, without what varies per call (SQL, parameters, ids, ports):
 * the innermost cause's code, else its class and message with numbers blanked.
 */
export function errorKind(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 10 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  if (!(e instanceof Error)) return String(e).slice(0, 200);
  const code = (e as { code?: unknown }).code;
  const message = e.message.split('\n')[0]!.replace(/\d+/g, 'N').slice(0, 200);
  return typeof code === 'string' ? `${code}: ${message}` : `${e.name}: ${message}`;
}
