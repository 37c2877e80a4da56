import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where the server may send pushes. A push endpoint is a URL the browser chose, but a user can
 * save any URL, so without a rule the server would POST wherever it is told: an internal port
 * scanner. Endpoints must be on a known web push service, or on a host the operator allows
 * (a self-hosted push service); a known service must resolve to public addresses only, checked
 * at subscribe and again at every connection (the Agent's lookup), so DNS rebinding gains nothing.
 */

/** The browsers' push services, matched as the host itself or any subdomain. */
export const KNOWN_PUSH_SERVICES = [
  'fcm.googleapis.com', // Chrome, Edge on Android, Opera, Samsung Internet
  'push.services.mozilla.com', // Firefox: updates.push.services.mozilla.com
  'notify.windows.com', // Edge on Windows: *.notify.windows.com
  'push.apple.com', // Safari: web.push.apple.com
];

export interface AllowedHost {
  /** As `URL.hostname` spells it: lower case, IPv6 in brackets. */
  hostname: string;
  /** As `URL.port` spells it: '' for 443. */
  port: string;
}

/** One resolution of a name: every address, as `dns.lookup(name, { all: true })` gives them. */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;
export const systemResolve: Resolve = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

/** A push the server will not send: the message is for the user; nothing about the network. */
export class EndpointRefused extends Error {
  readonly code = 'EPUSHREFUSED';
}

/** `PUSH_ALLOWED_HOSTS`: comma-separated `host[:port]` (port 443 when left out). */
export function parseAllowedHosts(list: string): AllowedHost[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(`https://${entry}`);
      } catch {
        throw new Error(`"${entry}" is not a host[:port]`);
      }
      if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
        throw new Error(`"${entry}" is not a host[:port]`);
      return { hostname: url.hostname, port: url.port };
    });
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

function isKnownService(hostname: string) {
  return KNOWN_PUSH_SERVICES.some((s) => hostname === s || hostname.endsWith(`.${s}`));
}

/** Public unicast only: no loopback, private, link-local (metadata), unique-local, mapped or reserved ranges. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 it carries.
  return ipaddr.process(address).range() === 'unicast';
}

export interface EndpointPolicy {
  allowed: AllowedHost[];
  resolve: Resolve;
}

/**
 * The URL and host rules, without resolving: https, no credentials, a known service on the
 * default port or an allowed host:port. Returns the URL as the WHATWG parser reads it, the form
 * the server then sends to, so no second parser can read another host out of the same text.
 */
export function checkEndpointUrl(
  endpoint: string,
  allowed: AllowedHost[],
): { url: URL; operatorAllowed: boolean } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EndpointRefused('A push endpoint must be a URL');
  }
  if (url.protocol !== 'https:') throw new EndpointRefused('A push endpoint is an https:// URL');
  if (url.username || url.password)
    throw new EndpointRefused('A push endpoint carries no user name or password');
  if (allowed.some((a) => a.hostname === url.hostname && a.port === url.port))
    return { url, operatorAllowed: true };
  if (isIP(bare(url.hostname)) === 0 && isKnownService(url.hostname) && url.port === '')
    return { url, operatorAllowed: false };
  throw new EndpointRefused(
    `Push endpoints are accepted only on the browsers' push services; ${url.host} is not one of them (an operator can allow a self-hosted push service with PUSH_ALLOWED_HOSTS)`,
  );
}

function isAllowedHostname(hostname: string, allowed: AllowedHost[]) {
  return allowed.some((a) => bare(a.hostname) === bare(hostname));
}

export const PUBLIC_HOSTS_ONLY = 'only public hosts are reached';

/** Every address public, or refused; `why` ends the message (what the connection is for). */
export function refuseAddresses(
  hostname: string,
  addresses: { address: string }[],
  why = 'push services are public',
) {
  if (addresses.length === 0) throw new EndpointRefused(`${hostname} has no address`);
  if (addresses.some((a) => !isPublicAddress(a.address)))
    throw new EndpointRefused(`${hostname} resolves to a private or local address; ${why}`);
}

/** The checks at subscribe: the URL rules, then every address the name resolves to. */
export async function checkEndpoint(endpoint: string, policy: EndpointPolicy): Promise<URL> {
  const { url, operatorAllowed } = checkEndpointUrl(endpoint, policy.allowed);
  if (operatorAllowed) return url;
  let addresses: { address: string }[];
  try {
    addresses = await policy.resolve(url.hostname);
  } catch {
    throw new EndpointRefused(`${url.hostname} could not be resolved`);
  }
  refuseAddresses(url.hostname, addresses);
  return url;
}

/**
 * The lookup of the https Agent that sends pushes: it resolves once, refuses the connection
 * unless the host is a known service resolving to public addresses (or an allowed host), and
 * hands the connection exactly the addresses it checked. With `anyPublicHost` (a calendar feed,
 * an outgoing webhook) any name is accepted as long as it resolves to public addresses only.
 */
export function guardedLookup(
  policy: EndpointPolicy,
  opts: { anyPublicHost?: boolean } = {},
): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (
      err: NodeJS.ErrnoException | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void;
    void (async () => {
      const allowed = isAllowedHostname(hostname, policy.allowed);
      if (!allowed && !opts.anyPublicHost && !isKnownService(hostname))
        throw new EndpointRefused(`${hostname} is not a push service`);
      let addresses = await policy.resolve(hostname);
      if (!allowed)
        refuseAddresses(hostname, addresses, opts.anyPublicHost ? PUBLIC_HOSTS_ONLY : undefined);
      if (options.family === 4 || options.family === 6)
        addresses = addresses.filter((a) => a.family === options.family);
      if (addresses.length === 0) throw new EndpointRefused(`${hostname} has no address`);
      return addresses;
    })().then(
      (addresses) =>
        options.all
          ? done(null, addresses)
          : done(null, addresses[0]!.address, addresses[0]!.family),
      (err: NodeJS.ErrnoException) => done(err, ''),
    );
  };
}

/**
 * The checks for an outgoing webhook's URL (issue #19), at save and before each send: the
 * push endpoints' rules, except that any host may receive if every address it resolves to is
 * public; an operator-allowed host:port (`PUSH_ALLOWED_HOSTS`) may be private.
 */
export async function checkWebhookUrl(target: string, policy: EndpointPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new EndpointRefused('A webhook address must be a URL');
  }
  if (url.protocol !== 'https:') throw new EndpointRefused('A webhook address is an https:// URL');
  if (url.username || url.password)
    throw new EndpointRefused('A webhook address carries no user name or password');
  if (policy.allowed.some((a) => a.hostname === url.hostname && a.port === url.port)) return url;
  if (isIP(bare(url.hostname)) !== 0 && !isPublicAddress(bare(url.hostname)))
    throw new EndpointRefused(`${url.hostname} is a private or local address`);
  let addresses: { address: string }[];
  try {
    addresses = await policy.resolve(bare(url.hostname));
  } catch {
    throw new EndpointRefused(`${url.hostname} could not be resolved`);
  }
  refuseAddresses(url.hostname, addresses, 'webhooks go to public hosts');
  return url;
}
