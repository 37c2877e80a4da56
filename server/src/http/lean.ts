import type { IncomingMessage } from 'node:http';
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
 * They are answered by `leanHandler` ahead of the app's router and middleware (see
 * there). The app's route below serves `POST /x/observe` when that handler leaves it (a body
 * without Content-Length or over the limit, which the app's body limit then refuses; or a
 * request that did not come through node's server).
 */
export function leanRoutes(services: Services) {
  const app = new Hono();
  app.post('/observe', async (c) => {
    const a = await observe(
      services,
      c.req.header('authorization'),
      await c.req.json().catch(() => undefined),
    );
    return c.json(a.body, a.status);
  });
  return app;
}

/** `POST /x/observe` with its body parsed (undefined when it is not JSON: the schema refuses it). */
const observe = (services: Services, authorization: string | undefined, body: unknown) =>
  serve(
    authorization,
    observeInput,
    body,
    (token, input) => services.lean.observe(token, input.snapshot),
    ok,
  );

/** A request's body, read from node's own message, decoded as `Request.text()` decodes it. */
const bodyOf = (incoming: IncomingMessage) =>
  new Promise<string>((done, fail) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => done(new TextDecoder().decode(Buffer.concat(chunks))));
    incoming.on('error', fail);
  });

/**
 * The extension's calls answered ahead of the app's router and middleware: they are most of the
 * server's requests and need none of it (no cookie, no per-area CSP choice). Each answer carries
 * `headers` (the API's security headers, computed once by the same middleware as every other
 * answer), CORS for an extension origin, and a JSON body as one string; headers are read from
 * node's own message (no Headers object built). Unexpected errors are reported as the app's
 * `onError` reports them. Answers null for any other request, and for a `POST /x/observe` it
 * cannot read within `bodyLimit` from its Content-Length alone: the app serves those.
 */
export function leanHandler(
  services: Services,
  headers: () => Promise<Record<string, string>>,
  bodyLimit: number,
) {
  const { lean } = services;
  let fixed: Record<string, string> | null = null;

  type Route = (
    q: URLSearchParams,
    authorization: string | undefined,
    body: unknown,
  ) => Promise<Answer>;
  const routes: Record<string, Route> = {
    'GET /x/observe/unchanged': (q, authorization) =>
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
    'GET /x/ticket': (q, authorization) =>
      serve(
        authorization,
        ticketRef,
        { ticketId: q.get('ticketId') ?? undefined },
        (token, input) => lean.get(token, input.ticketId),
        (answer) =>
          answer ? ok(answer) : refuse(404, 'NOT_FOUND', 'No such ticket in your workspace'),
      ),
    'GET /x/badges': (q, authorization) =>
      serve(
        authorization,
        badgesInput,
        { source: q.get('source') ?? undefined, externalIds: q.getAll('id') },
        (token, input) => lean.badges(token, input.source, input.externalIds),
        ok,
      ),
    'POST /x/observe': (_q, authorization, body) => observe(services, authorization, body),
  };

  return (req: Request, incoming: IncomingMessage | undefined): Promise<Response> | null => {
    const method = req.method;
    if (method !== 'GET' && method !== 'POST') return null;
    const url = req.url;
    // The path and query of an absolute URL, without parsing the whole of it.
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const mark = url.indexOf('?', start);
    const name = `${method} ${url.slice(start, mark < 0 ? undefined : mark)}`;
    const route = routes[name];
    if (!route) return null;
    let body: Promise<string> | undefined;
    if (method === 'POST') {
      const length = Number(incoming?.headers['content-length'] ?? NaN);
      if (!incoming || !(length <= bodyLimit)) return null;
      body = bodyOf(incoming);
    }
    const header = (h: string) => {
      if (!incoming) return req.headers.get(h) ?? undefined;
      const v = incoming.headers[h];
      return Array.isArray(v) ? v[0] : v;
    };
    const q = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
    return (async () => {
      fixed ??= await headers();
      let a: Answer;
      try {
        let json: unknown;
        if (body) {
          try {
            json = JSON.parse(await body);
          } catch {
            // Not JSON: undefined, refused by the schema.
          }
        }
        a = await route(q, header('authorization'), json);
      } catch (err) {
        const e = reportInternal(err, `http ${name}`);
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
