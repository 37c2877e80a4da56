import { isIP } from 'node:net';
import {
  isPublicAddress,
  parseAllowedHosts,
  type AllowedHost,
  type Resolve,
} from '../services/push-endpoint.js';

/**
 * Where a poller may read from. An admin types a tool's base URL, so without a rule the server
 * would GET whatever it is told, its loopback and private network included (an internal port
 * scanner, the cloud's metadata address). The rule is the push endpoints' (`push-endpoint.ts`):
 * the name must resolve to public addresses only, checked before every request, unless the
 * operator allows the host (`CONNECTOR_ALLOWED_HOSTS`: a tool on the private network, or the
 * local fakes and Redmine of the tests).
 */
export interface PollUrlPolicy {
  /** A host alone allows any port; `host:port` that port only. */
  allowed: AllowedHost[];
  resolve: Resolve;
}

/** A base URL the server will not read: the message is for the admin. */
export class PollUrlRefused extends Error {}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The URL's host is allowed or resolves to public addresses only; throws `PollUrlRefused`.
 *
 * @example await checkPollUrl('https://redmine.example.com/issues.json', policy)
 */
export async function checkPollUrl(raw: string, policy: PollUrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PollUrlRefused(`${raw} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PollUrlRefused(`${url.protocol} is not http or https`);
  if (url.username || url.password)
    throw new PollUrlRefused('The base URL carries no user name or password (use the API token)');
  const host = bare(url.hostname);
  if (policy.allowed.some((a) => bare(a.hostname) === host && (!a.port || a.port === url.port)))
    return url;
  let addresses: { address: string }[];
  if (isIP(host)) addresses = [{ address: host }];
  else
    try {
      addresses = await policy.resolve(host);
    } catch {
      throw new PollUrlRefused(`${host} could not be resolved`);
    }
  if (addresses.length === 0) throw new PollUrlRefused(`${host} has no address`);
  if (addresses.some((a) => !isPublicAddress(a.address)))
    throw new PollUrlRefused(
      `${host} is a private or local address; the server reads only public ones unless the operator allows the host (CONNECTOR_ALLOWED_HOSTS)`,
    );
  return url;
}

/**
 * `CONNECTOR_ALLOWED_HOSTS`: `host[:port]` entries as `PUSH_ALLOWED_HOSTS` reads them, but a
 * host without a port allows any port (a tool's API is seldom on 443 inside a network).
 *
 * @example parseConnectorHosts('redmine.internal,10.0.0.5:8080')
 */
export function parseConnectorHosts(list: string): AllowedHost[] {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parseAllowedHosts(list).map((h, i) =>
    /:\d+$/.test(entries[i]!) ? h : { ...h, port: '' },
  );
}
