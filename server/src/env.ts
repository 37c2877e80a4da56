import { z } from 'zod';
import { parseConnectorHosts } from './connectors/base-url.js';
import { parseAllowedHosts } from './services/push-endpoint.js';

/** A comma-separated `host[:port]` list, read by `parse`; a bad entry is a clear startup error. */
const hostList = <T>(parse: (list: string) => T) =>
  z
    .string()
    .default('')
    .transform((list, ctx) => {
      try {
        return parse(list);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

const envSchema = z.object({
  DATABASE_URL: z.string().default('file:./data/deskwatch.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  DATABASE_SYNC_URL: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  PUBLIC_URL: z.url().optional(),
  /** Behind a reverse proxy that sets X-Forwarded-For: rate limits count the address it reports. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  PWA_DIST: z.string().optional(),
  VAPID_SUBJECT: z.string().default('mailto:admin@deskwatch.invalid'),
  /**
   * Push endpoints are accepted on the browsers' push services only; this adds hosts, as a
   * comma-separated `host[:port]` list (port 443 if left out), for a self-hosted push service.
   * These may resolve to private addresses.
   */
  PUSH_ALLOWED_HOSTS: hostList(parseAllowedHosts),
  /**
   * Pollers read only public addresses; this allows hosts (a tool on the private network), as a
   * comma-separated `host[:port]` list: a host alone, any port.
   */
  CONNECTOR_ALLOWED_HOSTS: hostList(parseConnectorHosts),
  /**
   * Holiday calendars are fetched from public hosts only; this adds hosts (`host[:port]`, comma
   * separated) that may resolve to private addresses, e.g. an intranet calendar.
   */
  ICAL_ALLOWED_HOSTS: hostList(parseAllowedHosts),
  /** Anyone who reaches the server may create a workspace by signing up; off: the operator's command only. */
  ALLOW_SIGNUP: z.enum(['true', 'false']).default('false'),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** With the demo: a month of past tickets and knowledge-base use, on a fresh database. */
  SEED_DEMO_HISTORY: z.enum(['true', 'false']).default('true'),
  /** The SLA scheduler; every instance may run it (work is claimed through the database). */
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /**
   * How often each instance reads `live_changes` for changes made by other instances (open
   * overlays see them within about this long); one query per instance, whatever the feeds.
   */
  LIVE_POLL_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  /** Answers to unexpected errors carry the stack and causes; for development only. */
  DEBUG_ERRORS: z.enum(['true', 'false']).default('false'),
  /**
   * Seals connectors' API tokens and webhook secrets at rest (at least 32 characters; keep it
   * out of the database's backups). Without it, connectors cannot be set up.
   */
  CONNECTOR_SECRET_KEY: z.string().min(32).optional(),
  /**
   * Single sign-on providers on plain http:// (a provider on loopback, in development and
   * tests); off: issuers must be https://.
   */
  SSO_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
});
export type Env = z.infer<typeof envSchema>;

/** A setting that does not parse; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The only place the server reads `process.env`. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      `Bad configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
