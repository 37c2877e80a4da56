import type { ConnectorTool, TicketUpdate } from './types.js';

/** A ticket read from the tool's API, with the id of this version of it (for idempotency). */
export interface PolledTicket {
  /** e.g. `issue-7@2026-03-27T09:00:00Z`: the same version read twice applies once. */
  deliveryId: string;
  update: TicketUpdate;
}

/** Where a backfill stands, as the Connectors screen shows it. */
export interface BackfillProgress {
  /** `open`, `closed`, ... while it runs; `done` once every ticket was read. */
  phase: string;
  done: number;
  /** Tickets to read in all, once the tool has said (null: not known yet). */
  total: number | null;
}

/** One call's worth of a poll: the tickets read and the cursor to store after applying them. */
export interface PollPage {
  tickets: PolledTicket[];
  /** JSON-serialisable; stored only once every ticket of the page was taken in. */
  cursor: unknown;
  /** True: more is there now (the poller asks again at once); false: caught up. */
  more: boolean;
  progress?: BackfillProgress;
}

export interface PollContext<C> {
  config: C;
  /** The connector's API token, unsealed. */
  token: string;
  /** The names that count as agents on this tool (`agentNamesFor`). */
  agents: string[];
  /** GETs JSON, throwing `RateLimited` or `PollHttpError` (see `getJson`). */
  get: (url: string, headers: Record<string, string>) => Promise<unknown>;
  now: number;
}

/**
 * How a tool's API is read: a first cursor when connected (a backfill of open tickets and the
 * recently closed), then one page per call from a cursor, until caught up.
 */
export interface PollSource<C> {
  /** The cursor a connector set up at `now` starts from. */
  start(config: C, now: number): unknown;
  page(ctx: PollContext<C>, cursor: unknown): Promise<PollPage>;
  /** How long to wait once caught up. */
  intervalMs(config: C): number;
}

/** The tool said to wait (429, or 503 with `Retry-After`). */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited: retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** The tool answered with an error, or not at all. */
export class PollHttpError extends Error {}

/** How long `Retry-After` says to wait, in ms from `now`: seconds or an HTTP date; null: absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How long one request to a tool may take. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A JSON GET through `fetchFn`: 429 and 503 are `RateLimited` (Retry-After, else a minute). */
export function jsonGetter(
  fetchFn: typeof fetch,
  now: () => number,
  /** Refuses a URL the server must not read (`checkPollUrl`), before each request. */
  check?: (url: string) => Promise<unknown>,
) {
  return async (url: string, headers: Record<string, string>): Promise<unknown> => {
    if (check)
      try {
        await check(url);
      } catch (err) {
        throw new PollHttpError((err as Error).message);
      }
    let res: Response;
    try {
      res = await fetchFn(url, {
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      throw new PollHttpError(`${new URL(url).host} did not answer: ${(err as Error).message}`);
    }
    if (res.status === 429 || res.status === 503) {
      await res.body?.cancel();
      throw new RateLimited(retryAfterMs(res.headers.get('retry-after'), now()) ?? 60_000);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new PollHttpError(`GET ${new URL(url).pathname} answered ${res.status}`);
    }
    try {
      return await res.json();
    } catch {
      throw new PollHttpError(`GET ${new URL(url).pathname} answered with something not JSON`);
    }
  };
}

/**
 * The webhook half of a tool that sends none (it is polled): every request is refused, and
 * "send a test event" reads one page of its API instead (the service's `test`).
 */
export function noWebhooks<C>(name: string): Pick<ConnectorTool<C>, 'verify' | 'parse' | 'sample'> {
  return {
    verify: () => ({ ok: false, reason: `${name} sends no webhooks: Deskwatch polls its API` }),
    parse: () => {
      throw new Error(`${name} sends no webhooks`);
    },
    sample: () => ({ body: '{}', sign: () => new Headers() }),
  };
}
