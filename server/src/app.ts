import type { IncomingMessage } from 'node:http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Db } from './db/client.js';
import { clientIp } from './http/client-ip.js';
import { connectorHooks } from './http/hooks.js';
import { demoDesk } from './http/demo.js';
import { icalFeed } from './http/ical-feed.js';
import { debugDetails, reportInternal, setDebugErrors } from './http/errors.js';
import { apiHeaders, securityHeaders } from './http/headers.js';
import { ssoRoutes } from './http/sso.js';
import { EXTENSION_ORIGIN, leanHandler, leanRoutes } from './http/lean.js';
import { pwaStatic } from './http/static.js';
import { appRouter } from './routers/index.js';
import { SESSION_COOKIE } from './routers/auth.js';
import { createContextInner, type Services } from './trpc.js';

export interface AppOptions {
  db: Db;
  services: Services;
  publicUrl: string;
  pwaDist: string;
  /** A reverse proxy sets X-Forwarded-For: count rate limits by the address it reports. */
  trustProxy?: boolean;
  /** Responses to unexpected errors carry the stack and causes (`DEBUG_ERRORS=true`; never in production). */
  debugErrors?: boolean;
  /** Largest request bodies, in bytes (tests make them small). */
  bodyLimits?: { default: number; kbUpload: number };
}

/**
 * Every body is small (tRPC calls, Demo Desk forms) except an admin's knowledge-base upload,
 * which carries its files as base64 in one `kb.import` call. Larger collections go through
 * `npm run kb:import`.
 */
export const BODY_LIMITS = { default: 1024 * 1024, kbUpload: 64 * 1024 * 1024 };

/**
 * A call (or a batch) that includes `kb.import`, from someone signed in: the upload's larger
 * limit. Anonymous requests never get it; the procedure itself checks for an admin.
 */
function isKbUpload(c: Context): boolean {
  const m = /^\/trpc\/([^/?]+)$/.exec(c.req.path);
  if (!m || !m[1]!.split(',').includes('kb.import')) return false;
  return /^Bearer ./.test(c.req.header('authorization') ?? '') || !!getCookie(c, SESSION_COOKIE);
}

function tooLarge(c: Context, maxSize: number) {
  const size =
    maxSize >= 1024 * 1024 ? `${maxSize / 1024 / 1024} MB` : `${Math.ceil(maxSize / 1024)} KB`;
  const message = `The request body is larger than ${size}`;
  c.header('connection', 'close');
  if (c.req.path.startsWith('/trpc/'))
    return c.json(
      {
        error: {
          message,
          code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
          data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
        },
      },
      413,
    );
  return c.text(message, 413);
}

/** The header the PWA sends with every call; a cross-site form or image cannot set it. */
export const CSRF_HEADER = 'x-deskwatch-csrf';

export function createApp({
  db,
  services,
  publicUrl,
  pwaDist,
  debugErrors = false,
  bodyLimits = BODY_LIMITS,
  trustProxy = false,
}: AppOptions) {
  const app = new Hono();
  /** The address rate limits count this request against. */
  const ipOf = (c: Context) => {
    const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
      ?.incoming?.socket?.remoteAddress;
    return clientIp(socket, c.req.header('x-forwarded-for'), trustProxy);
  };
  const secureCookies = publicUrl.startsWith('https://');
  setDebugErrors(debugErrors);

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    const e = reportInternal(err, `http ${c.req.method} ${c.req.routePath}`);
    return c.json({ error: e.message, errorId: e.id, ...debugDetails(err) }, e.status);
  });

  app.use('*', securityHeaders(publicUrl));

  // Refused on Content-Length before anything is read, or as soon as a streamed body passes
  // the limit; the connection is closed so the rest of the body is not read either. A GET or
  // HEAD has no body to limit (its Request carries none), and asking for one would build the
  // whole Request object that the node adapter otherwise spares such requests.
  const limit = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) });
  const limits = { default: limit(bodyLimits.default), kbUpload: limit(bodyLimits.kbUpload) };
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return (isKbUpload(c) ? limits.kbUpload : limits.default)(c, next);
  });

  app.get('/health', async (c) => {
    try {
      await db.run(sql`select 1`);
    } catch (err) {
      // Whatever the reason, this instance cannot serve: a load balancer should skip it.
      const e = reportInternal(err, 'health');
      return c.json({ ok: false, error: e.message, errorId: e.id }, 503);
    }
    return c.json({ ok: true, time: new Date(services.now()).toISOString() });
  });

  // Extensions call with a bearer token and no cookies; let their origins through CORS.
  const extensionCors = async (c: Context, next: () => Promise<void>) => {
    const origin = c.req.header('origin');
    if (origin && EXTENSION_ORIGIN.test(origin)) {
      c.header('access-control-allow-origin', origin);
      c.header('vary', 'origin');
      if (c.req.method === 'OPTIONS') {
        c.header(
          'access-control-allow-headers',
          'authorization, content-type, trpc-accept, x-trpc-source',
        );
        c.header('access-control-allow-methods', 'GET, POST');
        return c.body(null, 204);
      }
    }
    await next();
  };
  app.use('/trpc/*', extensionCors);
  app.use('/x/*', extensionCors);

  app.all('/trpc/*', async (c) => {
    const req = c.req.raw;
    const bearer = req.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1] ?? null;
    const sessionToken = bearer ? null : (getCookie(c, SESSION_COOKIE) ?? null);
    // Cookie-authenticated writes must prove they come from our own pages.
    if (sessionToken && req.method !== 'GET') {
      const origin = req.headers.get('origin');
      const sameOrigin =
        !origin || origin === new URL(req.url).origin || origin === new URL(publicUrl).origin;
      if (req.headers.get(CSRF_HEADER) !== '1' || !sameOrigin) {
        // Shaped like a tRPC error so clients show the message.
        return c.json(
          {
            error: {
              message: 'Cross-site request refused',
              code: -32003,
              data: { code: 'FORBIDDEN', httpStatus: 403 },
            },
          },
          403,
        );
      }
    }
    return fetchRequestHandler({
      endpoint: '/trpc',
      req,
      router: appRouter,
      createContext: async ({ resHeaders }) => {
        const caller = bearer
          ? await services.accounts.tokenCaller(bearer)
          : sessionToken
            ? await services.accounts.sessionCaller(sessionToken)
            : null;
        const ip = ipOf(c);
        return createContextInner({
          services,
          caller,
          sessionToken,
          resHeaders,
          secureCookies,
          clientIp: ip,
        });
      },
      // Unexpected errors are logged, with the id their answer carries, by the errorFormatter.
    });
  });

  app.route('/x', leanRoutes(services));
  app.route('/demo', demoDesk(db, services.now));
  app.route('/hooks', connectorHooks(services.connectors));
  app.route('/ical', icalFeed(services.shifts, services.now));
  app.route('/sso', ssoRoutes(services, secureCookies, ipOf));
  app.route('/', pwaStatic(pwaDist));

  // The extension's calls, most of the requests, skip the router and middleware (leanHandler).
  const lean = leanHandler(services, () => apiHeaders(publicUrl), bodyLimits.default);
  const routed = app.fetch;
  app.fetch = (req, env, ctx) =>
    lean(req, (env as { incoming?: IncomingMessage } | undefined)?.incoming) ??
    routed(req, env, ctx);
  return app;
}
