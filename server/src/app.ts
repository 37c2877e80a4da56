import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from './db/client.js';
import { clientIp } from './http/client-ip.js';
import { demoDesk } from './http/demo.js';
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
}

/** The header the PWA sends with every call; a cross-site form or image cannot set it. */
export const CSRF_HEADER = 'x-deskwatch-csrf';
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i;

export function createApp({ db, services, publicUrl, pwaDist, trustProxy = false }: AppOptions) {
  const app = new Hono();
  const secureCookies = publicUrl.startsWith('https://');

  app.onError((err, c) => {
    console.error('[http]', err);
    return c.json({ error: 'Internal error' }, 500);
  });

  app.get('/health', async (c) => {
    await db.run(sql`select 1`);
    return c.json({ ok: true, time: new Date(services.now()).toISOString() });
  });

  // Extensions call with a bearer token and no cookies; let their origins through CORS.
  app.use('/trpc/*', async (c, next) => {
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
  });

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
        const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
          ?.incoming?.socket?.remoteAddress;
        const ip = clientIp(socket, req.headers.get('x-forwarded-for') ?? undefined, trustProxy);
        return createContextInner({
          services,
          caller,
          sessionToken,
          resHeaders,
          secureCookies,
          clientIp: ip,
        });
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path}:`, error);
      },
    });
  });

  app.route('/demo', demoDesk(db, services.now));
  app.route('/', pwaStatic(pwaDist));
  return app;
}
