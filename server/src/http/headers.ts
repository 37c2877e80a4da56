import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;
type Csp = NonNullable<SecureHeadersOptions['contentSecurityPolicy']>;

/**
 * The manager app: its own scripts, styles and icons only (the build has no inline script or
 * style; React sets styles through the DOM, which CSP allows); calls go to this origin; the
 * Workbox service worker is /sw.js.
 */
export const PWA_CSP: Csp = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The Demo Desk: no script at all, its stylesheet, its own forms. The extension's overlay is
 * not bound by it (content scripts run outside the page's CSP, and the overlay works on a page
 * with the strictest one: tests/e2e/spa.test.ts).
 */
export const DEMO_CSP: Csp = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/** JSON and event streams: nothing to load, never framed. */
export const API_CSP: Csp = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/**
 * Security headers for every answer, errors included: a CSP per area, nosniff, no framing, no
 * referrer to other sites, and HSTS when the public URL is https (the proxy in front holds the
 * certificate, see the README).
 */
export function securityHeaders(publicUrl: string): MiddlewareHandler {
  const https = publicUrl.startsWith('https://');
  const common: SecureHeadersOptions = {
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
  };
  const api = secureHeaders({ ...common, contentSecurityPolicy: API_CSP });
  const demo = secureHeaders({ ...common, contentSecurityPolicy: DEMO_CSP });
  const pwa = secureHeaders({ ...common, contentSecurityPolicy: PWA_CSP });
  return (c, next) => {
    const p = c.req.path;
    if (p === '/health' || p === '/trpc' || p.startsWith('/trpc/') || p.startsWith('/x/'))
      return api(c, next);
    if (p === '/demo' || p.startsWith('/demo/')) return demo(c, next);
    return pwa(c, next);
  };
}

/**
 * The headers `securityHeaders` gives an API answer (`/x/…`), computed once by that middleware,
 * for routes answered ahead of it (`leanReads`).
 */
export async function apiHeaders(publicUrl: string): Promise<Record<string, string>> {
  const probe = new Hono();
  probe.use('*', securityHeaders(publicUrl));
  probe.get('*', (c) => c.body(null, 204));
  return Object.fromEntries((await probe.request('/x/probe')).headers);
}
