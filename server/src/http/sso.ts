import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SsoErrorCode } from '@deskwatch/shared';
import { reportInternal } from './errors.js';
import { setSessionCookie } from '../routers/auth.js';
import type { Accounts } from '../services/accounts.js';
import { SSO_START_PER_ADDRESS, type Limiter } from '../services/limiter.js';
import { SSO_FLOW_TTL_MS, SsoRefused, type Sso } from '../services/sso.js';

/** Holds a sign-in's state between the start and the provider's callback, on this browser only. */
export const SSO_STATE_COOKIE = 'dw_sso_state';

const startQuery = z.strictObject({ email: z.email().max(254) });

/**
 * Single sign-on as browser navigations: `GET /sso/start?email=` sends the browser to the
 * workspace's identity provider, `GET /sso/callback` signs it in and opens the app. Failures go
 * back to the sign-in screen with a code (`/#sso-error=<code>`), never with text from the URL.
 */
export function ssoRoutes(
  { sso, accounts, limiter }: { sso: Sso; accounts: Accounts; limiter: Limiter },
  secureCookies: boolean,
  ipOf: (c: Context) => string,
) {
  const app = new Hono();
  const stateCookie = (value: string, maxAgeS: number) =>
    [
      `${SSO_STATE_COOKIE}=${value}`,
      `Max-Age=${maxAgeS}`,
      'Path=/sso',
      'HttpOnly',
      // Lax: the provider's redirect back is a top-level GET from its site, which Lax lets through.
      'SameSite=Lax',
      secureCookies ? 'Secure' : null,
    ]
      .filter(Boolean)
      .join('; ');
  const failed = (reason: SsoErrorCode, headers = new Headers()) => {
    headers.set('location', `/#sso-error=${reason}`);
    return new Response(null, { status: 302, headers });
  };
  const reasonOf = (err: unknown, where: string): SsoErrorCode => {
    if (err instanceof SsoRefused) return err.reason;
    // The provider's answers, network trouble, a wrong secret: logged, the person told to retry.
    reportInternal(err, where);
    return 'failed';
  };

  app.get('/start', async (c) => {
    const q = startQuery.safeParse(c.req.query());
    if (!q.success) return failed('unavailable');
    // Each start asks the provider and stores a pending flow: an anonymous flood is slowed down.
    if (!(await limiter.reserve(`sso-start:${ipOf(c)}`, SSO_START_PER_ADDRESS))) {
      const wait = await limiter.blockedFor([`sso-start:${ipOf(c)}`]);
      const headers = new Headers({
        'retry-after': String(Math.ceil(Math.max(wait, 1000) / 1000)),
      });
      return failed('busy', headers);
    }
    try {
      const { url, state } = await sso.start(q.data.email);
      const headers = new Headers({ location: url });
      headers.append('set-cookie', stateCookie(state, SSO_FLOW_TTL_MS / 1000));
      return new Response(null, { status: 302, headers });
    } catch (err) {
      return failed(reasonOf(err, 'sso start'));
    }
  });

  app.get('/callback', async (c) => {
    // The state is spent whatever happens next.
    const headers = new Headers({ 'set-cookie': stateCookie('', 0) });
    try {
      const userId = await sso.finish(new URL(c.req.url), getCookie(c, SSO_STATE_COOKIE));
      const session = await accounts.startSession(userId);
      if (!session) return failed('deactivated', headers);
      setSessionCookie({ resHeaders: headers, secureCookies }, session.token);
      headers.set('location', '/');
      return new Response(null, { status: 302, headers });
    } catch (err) {
      return failed(reasonOf(err, 'sso callback'), headers);
    }
  });
  return app;
}
