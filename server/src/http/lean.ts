import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { badgesInput, observeCheckInput, observeInput, ticketRef } from '@deskwatch/shared';
import type { ForToken } from '../services/lean.js';
import { ObservationError } from '../services/tickets.js';
import type { Services } from '../trpc.js';
import { issuesMessage } from './errors.js';

/** An answer the extension shows: `{ error: { message, code } }` with its HTTP status. */
const refuse = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ error: { message, code } }, status);

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
 */
export function leanRoutes(services: Services) {
  const { lean } = services;
  const app = new Hono();

  /** Validates, checks the token, answers; `run` answers null when the token is refused. */
  async function serve<S extends z.ZodType, T>(
    c: Context,
    schema: S,
    raw: unknown,
    run: (token: string, input: z.output<S>) => Promise<ForToken<T>>,
    send: (value: T) => Response,
  ) {
    const token = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
    if (!token) return refuse(c, 401, 'UNAUTHORIZED', 'Pair the extension first');
    const input = schema.safeParse(raw);
    if (!input.success) return refuse(c, 400, 'BAD_REQUEST', issuesMessage(input.error.issues));
    let res: ForToken<T>;
    try {
      res = await run(token, input.data);
    } catch (e) {
      if (!(e instanceof ObservationError)) throw e;
      return refuse(c, e.code === 'CONFLICT' ? 409 : 400, e.code, e.message);
    }
    if (!res)
      return refuse(c, 401, 'UNAUTHORIZED', 'This browser is no longer paired: pair it again');
    return send(res.value);
  }

  /** The JSON body, or undefined when it is not JSON (then refused by the schema). */
  const body = (c: Context) => c.req.json().catch(() => undefined);

  app.get('/observe/unchanged', (c) =>
    serve(
      c,
      observeCheckInput,
      {
        source: c.req.query('source'),
        externalId: c.req.query('externalId'),
        digest: c.req.query('digest'),
      },
      lean.unchanged,
      (unchanged) => c.json({ unchanged }),
    ),
  );

  app.post('/observe', async (c) =>
    serve(
      c,
      observeInput,
      await body(c),
      (token, input) => lean.observe(token, input.snapshot),
      (answer) => c.json(answer),
    ),
  );

  app.get('/ticket', (c) =>
    serve(
      c,
      ticketRef,
      { ticketId: c.req.query('ticketId') },
      (token, input) => lean.get(token, input.ticketId),
      (answer) =>
        answer ? c.json(answer) : refuse(c, 404, 'NOT_FOUND', 'No such ticket in your workspace'),
    ),
  );

  app.get('/badges', (c) =>
    serve(
      c,
      badgesInput,
      { source: c.req.query('source'), externalIds: c.req.queries('id') ?? [] },
      (token, input) => lean.badges(token, input.source, input.externalIds),
      (badges) => c.json(badges),
    ),
  );

  return app;
}
