import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  EndpointRefused,
  guardedLookup,
  PUBLIC_HOSTS_ONLY,
  refuseAddresses,
  systemResolve,
  type AllowedHost,
  type EndpointPolicy,
  type Resolve,
} from './push-endpoint.js';

/**
 * Fetches an iCalendar feed (a holidays calendar's URL) for an admin, who previews the holidays
 * in the app before adding them. The server fetches because the browser cannot (the feeds
 * rarely allow cross-origin reads); that makes it a request the server sends to a URL a user
 * typed, so it follows the push endpoints' address rules (push-endpoint.ts): https, no
 * credentials, public addresses only, checked before and again at the connection, unless the
 * operator allows the host. Parsing stays in the app (ical-holidays.ts); the server returns text.
 */

/** Holiday calendars are a few kilobytes; a national one with decades of dates stays far below. */
export const ICAL_MAX_BYTES = 1_000_000;
export const ICAL_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const TYPES = ['text/calendar', 'text/plain'];

/** A feed the server will not fetch or did not get; the message is for the admin. */
export class ICalFetchError extends Error {
  readonly code = 'BAD_REQUEST' as const;
}

export interface ICalFetchOptions {
  /** Hosts the operator allows even on private addresses (`ICAL_ALLOWED_HOSTS`). */
  allowedHosts?: AllowedHost[];
  resolve?: Resolve;
  /** Plain http:// too: tests' loopback servers only. */
  allowHttp?: boolean;
  maxBytes?: number;
  timeoutMs?: number;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

type Got = { text: string } | { redirect: string };

export function createICalFetch(opts: ICalFetchOptions = {}) {
  const policy: EndpointPolicy = {
    allowed: opts.allowedHosts ?? [],
    resolve: opts.resolve ?? systemResolve,
  };
  const maxBytes = opts.maxBytes ?? ICAL_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? ICAL_TIMEOUT_MS;
  const lookup = guardedLookup(policy, { anyPublicHost: true });

  /** The URL rules, then every address of the host (an IP literal is its own address). */
  async function check(raw: string): Promise<URL> {
    let url: URL;
    try {
      // webcal:// is how calendar sites spell a subscription; it is https underneath.
      url = new URL(raw.trim().replace(/^webcals?:/i, 'https:'));
    } catch {
      throw new ICalFetchError('The calendar address must be a URL');
    }
    if (url.protocol !== 'https:' && !(opts.allowHttp && url.protocol === 'http:'))
      throw new ICalFetchError('The calendar address must be an https:// URL');
    if (url.username || url.password)
      throw new ICalFetchError('The calendar address carries no user name or password');
    if (policy.allowed.some((a) => a.hostname === url.hostname && a.port === url.port)) return url;
    const host = bare(url.hostname);
    let addresses: { address: string }[];
    try {
      addresses = isIP(host) ? [{ address: host }] : await policy.resolve(url.hostname);
    } catch {
      throw new ICalFetchError(`${url.hostname} could not be resolved`);
    }
    try {
      refuseAddresses(url.hostname, addresses, PUBLIC_HOSTS_ONLY);
    } catch (err) {
      throw new ICalFetchError((err as Error).message);
    }
    return url;
  }

  function get(url: URL, signal: AbortSignal): Promise<Got> {
    return new Promise<Got>((resolve, reject) => {
      const fail = (message: string) => reject(new ICalFetchError(message));
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.get(
        url,
        {
          lookup,
          agent: false,
          signal,
          headers: { accept: 'text/calendar, text/plain;q=0.5', 'user-agent': 'Deskwatch' },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && res.headers.location) {
            res.resume();
            return resolve({ redirect: new URL(res.headers.location, url).href });
          }
          if (status !== 200) {
            res.resume();
            return fail(`${url.host} answered ${status}`);
          }
          const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          if (!TYPES.includes(type)) {
            res.resume();
            return fail(`${url.host} sent ${type || 'no type'}, not a calendar (text/calendar)`);
          }
          const tooBig = () => {
            req.destroy();
            fail(`The calendar is larger than ${Math.round(maxBytes / 1000)} kB`);
          };
          if (Number(res.headers['content-length'] ?? 0) > maxBytes) return tooBig();
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) return tooBig();
            chunks.push(chunk);
          });
          res.on('end', () => {
            if (size <= maxBytes)
              resolve({ text: new TextDecoder().decode(Buffer.concat(chunks)) });
          });
          res.on('error', (err) => reject(err));
        },
      );
      req.on('error', (err) => reject(err));
    });
  }

  /** The feed's text, from `raw` or where it redirects (each hop checked like the first). */
  async function fetchText(raw: string): Promise<{ url: string; text: string }> {
    const signal = AbortSignal.timeout(timeoutMs);
    let next = raw;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const url = await check(next);
      let got: Got;
      try {
        got = await get(url, signal);
      } catch (err) {
        if (err instanceof ICalFetchError) throw err;
        if (err instanceof EndpointRefused) throw new ICalFetchError(err.message);
        if (signal.aborted)
          throw new ICalFetchError(
            `${url.host} did not send the calendar within ${timeoutMs / 1000} s`,
          );
        throw new ICalFetchError(`${url.host} could not be reached`);
      }
      if ('text' in got) return { url: url.href, text: got.text };
      next = got.redirect;
    }
    throw new ICalFetchError(`The calendar address redirects more than ${MAX_REDIRECTS} times`);
  }

  return { fetchText };
}
export type ICalFetch = ReturnType<typeof createICalFetch>;
