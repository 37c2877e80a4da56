import { randomBytes } from 'node:crypto';
import { errorKind, errorLog, type ErrorLog } from '../log.js';

/**
 * What a client learns of an unexpected error: a sentence and an id to quote. The details
 * (stack, SQL and its parameters) go to the server log under that id.
 */
export interface InternalError {
  id: string;
  status: 500 | 503;
  code: 'INTERNAL_SERVER_ERROR' | 'SERVICE_UNAVAILABLE';
  message: string;
}

let debug = false;
/** With `DEBUG_ERRORS=true`, responses also carry the stack and the causes (never in production). */
export function setDebugErrors(on: boolean) {
  debug = on;
}
export const debugErrors = () => debug;

const reported = new WeakMap<object, InternalError>();

/**
 * Logs an unexpected error (once per error object, and rate-limited per kind) with a new id and
 * returns what the client may see. A database that cannot be reached is a 503: it passes.
 */
export function reportInternal(
  err: unknown,
  where: string,
  log: ErrorLog = errorLog,
): InternalError {
  const known = typeof err === 'object' && err !== null ? reported.get(err) : undefined;
  if (known) return known;
  const id = randomBytes(6).toString('hex');
  const unavailable = databaseUnavailable(err);
  const r: InternalError = unavailable
    ? {
        id,
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: `The database is not answering; try again in a moment (error id ${id})`,
      }
    : {
        id,
        status: 500,
        code: 'INTERNAL_SERVER_ERROR',
        message: `Something went wrong on the server (error id ${id})`,
      };
  // An outage fails every route alike: one kind for all of them.
  log.report(
    unavailable ? `[database] unavailable: ${errorKind(err)}` : `[${where}] ${errorKind(err)}`,
    id,
    err,
  );
  if (typeof err === 'object' && err !== null) reported.set(err, r);
  return r;
}

/** A validation failure as one readable sentence: each issue with its field's path. */
export const issuesMessage = (
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
) =>
  issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');

/** What `DEBUG_ERRORS=true` adds to a response: the stack and each cause's message. */
export function debugDetails(err: unknown): { stack?: string; causes?: string[] } {
  if (!debug || !(err instanceof Error)) return {};
  const causes: string[] = [];
  for (let e = err.cause; e instanceof Error && causes.length < 10; e = e.cause)
    causes.push(`${e.name}: ${e.message}`);
  return { ...(err.stack ? { stack: err.stack } : {}), causes };
}

// Connection failures (sqld or Turso unreachable) and a file locked past the busy timeout.
const UNAVAILABLE =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_\w+|HRANA_WEBSOCKET_ERROR|HRANA_CLOSED_ERROR|SERVER_ERROR|SQLITE_BUSY\w*|SQLITE_LOCKED\w*|SQLITE_IOERR\w*)$/;

/** Whether the error comes from the database driver and says the database cannot be reached. */
export function databaseUnavailable(err: unknown): boolean {
  let fromDriver = false;
  let unreachable = false;
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (!(e instanceof Error) || seen.has(e) || seen.size > 20) return;
    seen.add(e);
    if (/^(DrizzleQueryError|LibsqlError|LibsqlBatchError)$/.test(e.constructor.name))
      fromDriver = true;
    if (e.stack?.includes('@libsql')) fromDriver = true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) unreachable = true;
    walk(e.cause);
    if (e instanceof AggregateError) for (const x of e.errors) walk(x);
  };
  walk(err);
  return fromDriver && unreachable;
}
