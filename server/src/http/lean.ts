import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { badgesInput, observeCheckInput, observeInput, ticketRef } from '@deskwatch/shared';
import type { ForToken } from '../services/lean.js';
import { ObservationError } from '../services/tickets.js';
import type { Services } from '../trpc.js';
import { debugDetails, issuesMessage, reportInternal } from './errors.js';

/** What a route answers: a status and a JSON body. */
interface Answer {
  status: ContentfulStatusCode;
  body: unknown;
}

/** An answer the extension shows: `{ error: { message, code } }` with its HTTP status. */
const refuse = (status: ContentfulStatusCode, code: string, message: string): Answer => ({
  status,
  body: { error: { message, code } },
});
const ok = (body: unknown): Answer => ({ status: 200, body });

/** The origins of browser extensions, let through CORS (they call with a token, no cookies). */
export const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i;

/** Validates, checks the token, answers; `run` answers null when the token is refused. */
async function serve<S extends z.ZodType, T>(
  authorization: string | null | undefined,
  schema: S,
  raw: unknown,
  run: (token: string, input: z.output<S>) => Promise<ForToken<T>>,
  send: (value: T) => Answer,
): Promise<Answer> {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  if (!token) return refuse(401, 'UNAUTHORIZED', 'Pair the extension first');
  const input = schema.safeParse(raw);
  if (!input.success) return refuse(400, 'BAD_REQUEST', issuesMessage(input.error.issues));
  let res: ForToken<T>;
  try {
    res = await run(token, input.data);
  } catch (e) {
    if (!(e instanceof ObservationError)) throw e;
    return refuse(e.code === 'CONFLICT' ? 409 : 400, e.code, e.message);
  }
  if (!res) return refuse(401, 'UNAUTHORIZED', 'This browser is no longer paired: pair it again');
  return send(res.value);
}

/**
 * The extension's hot calls as plain routes, with no tRPC batching or envelope: the same zod
 * schemas and the same services as the `tickets` procedures, an extension token only (no
 * cookies, so no cross-site form can reach them). A rejected request writes nothing.
 *
 * - `GET /x/observe/unchanged?source=&externalId=&digest=`: `{ unchanged: TicketWithSla }`
 *   when that page is what this browser last sent and still the ticket's last, else
 *   `{ unchanged: null }` (send the page). One statement, the token's check included; a GET, so
 *   no body is read.
 * - `POST /x/observe` `{ snapshot }`: records the page (`tickets.observe`); its `TicketWithSla`.
 * - `GET /x/ticket?ticketId=`: `tickets.get`.
 * - `GET /x/badges?source=&id=…` (one `id` per row): `tickets.badges`.
 *
 * The GETs are answered by `leanReads` before the app's router and middleware (see there); the
 * POST goes through them (its body limit) and is served here.
 */
export function leanRoutes(services: Services) {
  const { lean } = services;
  const app = new Hono();
  app.post('/observe', async (c) => {
    const a = await serve(
      c.req.header('authorization'),
      observeInput,
      // Not JSON: undefined, refused by the schema.
      await c.req.json().catch(() => undefined),
      (token, input) => lean.observe(token, input.snapshot),
      ok,
    );
    return c.json(a.body, a.status);
  });
  return app;
}

/** What `leanReads` needs of a request: node's own message when there is one (no Headers built). */
interface Incoming {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The extension's reads (`GET /x/observe/unchanged`, `/x/ticket`, `/x/badges`), answered ahead
 * of the app's router and middleware: these are most of the server's requests and need none of
 * it (no cookie, no body, no per-area CSP choice). Each answer carries `headers` (the API's
 * security headers, computed once by the same middleware as every other answer), CORS for an
 * extension origin, and a JSON body as one string. Unexpected errors are reported as the app's
 * `onError` reports them. Answers null for any other request (the app serves it).
 */
export function leanReads(services: Services, headers: () => Promise<Record<string, string>>) {
  const { lean } = services;
  let fixed: Record<string, string> | null = null;

  const routes: Record<
    string,
    (q: URLSearchParams, authorization: string | undefined) => Promise<Answer>
  > = {
    '/x/observe/unchanged': (q, authorization) =>
      serve(
        authorization,
        observeCheckInput,
        {
          source: q.get('source') ?? undefined,
          externalId: q.get('externalId') ?? undefined,
          digest: q.get('digest') ?? undefined,
        },
        lean.unchanged,
        (unchanged) => ok({ unchanged }),
      ),
    '/x/ticket': (q, authorization) =>
      serve(
        authorization,
        ticketRef,
        { ticketId: q.get('ticketId') ?? undefined },
        (token, input) => lean.get(token, input.ticketId),
        (answer) =>
          answer ? ok(answer) : refuse(404, 'NOT_FOUND', 'No such ticket in your workspace'),
      ),
    '/x/badges': (q, authorization) =>
      serve(
        authorization,
        badgesInput,
        { source: q.get('source') ?? undefined, externalIds: q.getAll('id') },
        (token, input) => lean.badges(token, input.source, input.externalIds),
        ok,
      ),
  };

  return (req: Request, incoming: Incoming | undefined): Promise<Response> | null => {
    if (req.method !== 'GET') return null;
    const url = req.url;
    // The path and query of an absolute URL, without parsing the whole of it.
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const mark = url.indexOf('?', start);
    const route = routes[url.slice(start, mark < 0 ? undefined : mark)];
    if (!route) return null;
    const header = (name: string) => {
      if (!incoming) return req.headers.get(name) ?? undefined;
      const v = incoming.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const q = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
    return (async () => {
      fixed ??= await headers();
      let a: Answer;
      try {
        a = await route(q, header('authorization'));
      } catch (err) {
        const e = reportInternal(err, `http GET ${url.slice(start, mark < 0 ? undefined : mark)}`);
        a = { status: e.status, body: { error: e.message, errorId: e.id, ...debugDetails(err) } };
      }
      const h: Record<string, string> = { ...fixed, 'content-type': 'application/json' };
      const origin = header('origin');
      if (origin && EXTENSION_ORIGIN.test(origin)) {
        h['access-control-allow-origin'] = origin;
        h.vary = 'origin';
      }
      return new Response(JSON.stringify(a.body), { status: a.status, headers: h });
    })();
  };
}
