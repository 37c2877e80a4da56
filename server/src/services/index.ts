import type { Client } from '@libsql/client';
import type { Db } from '../db/client.js';
import { createHotDb, type HotDb } from '../db/hot.js';
import { Bus } from '../events.js';
import type { Services } from '../trpc.js';
import { createAccounts } from './accounts.js';
import { createAgents } from './agents.js';
import { createEscalations } from './escalations.js';
import { createAdapters } from './adapters.js';
import { createAlerts } from './alerts.js';
import { createLimiter } from './limiter.js';
import { createLive } from './live.js';
import {
  systemResolve,
  type AllowedHost,
  type EndpointPolicy,
  type Resolve,
} from './push-endpoint.js';
import { createPush, type VapidKeys } from './push.js';
import { createICalFetch } from './ical-fetch.js';
import { createScheduler } from './scheduler.js';
import { createSla } from './sla.js';
import { createMetrics } from './metrics.js';
import { createTickets } from './tickets.js';
import { createLean } from './lean.js';
import { createKb } from '../kb/index.js';
import { createAudit } from './audit.js';
import { createPeople } from './people.js';
import { createConnectors } from '../connectors/service.js';
import { createConnectorWatch } from '../connectors/watch.js';
import { createPoller } from '../connectors/poller.js';
import { sealingKey } from '../crypto.js';
import { createOnCall } from './oncall.js';
import { createRedFlags } from './redflags.js';
import { createDigest } from './digest.js';
import { createMetricCards } from './metric-cards.js';
import { createShifts } from './shifts.js';
import { createSso } from './sso.js';
import { createAutoEscalation, createPager } from './oncall-rules.js';
import { createOnCallWebhooks, createWebhookSender } from './oncall-webhooks.js';

export interface ServiceOptions {
  db: Db;
  client: Client;
  /** The hot paths' database (`openDb` returns it); without it, they go through `client`. */
  hot?: HotDb;
  now?: () => number;
  vapid: VapidKeys;
  vapidSubject?: string;
  /** Where people reach the server; links in notifications point here. */
  publicUrl: () => string;
  /** Hosts allowed besides the browsers' push services (`PUSH_ALLOWED_HOSTS`). */
  pushAllowedHosts?: AllowedHost[];
  /** Name resolution for push endpoints; tests stub it so nothing leaves loopback. */
  pushResolve?: Resolve;
  /** An extra CA (PEM) trusted for push services, e.g. a test's self-signed one. */
  pushCa?: string;
  pushRetryDelaysMs?: number[];
  /** Anyone may create a workspace by signing up (`ALLOW_SIGNUP`); off by default. */
  allowSignup?: boolean;
  /** Seals connectors' secrets (`CONNECTOR_SECRET_KEY`); without it connectors cannot hold any. */
  connectorSecretKey?: string | undefined;
  /** How pollers reach the tools' APIs; tests give a stub. */
  pollFetch?: typeof fetch;
  /** Hosts pollers may read though they are private (`CONNECTOR_ALLOWED_HOSTS`; tests: loopback). */
  connectorAllowedHosts?: AllowedHost[];
  /** Name resolution for pollers' base URLs (`base-url.ts`). */
  pollResolve?: Resolve;
  /** Single sign-on issuers on plain http:// (`SSO_ALLOW_HTTP`; loopback providers in tests). */
  ssoAllowHttp?: boolean;
  /** Calendar feeds' hosts allowed on private addresses (`ICAL_ALLOWED_HOSTS`). */
  icalAllowedHosts?: AllowedHost[];
  /** Name resolution for calendar feeds; tests stub it. */
  icalResolve?: Resolve;
  /** Calendar feeds on plain http:// (tests' loopback servers only). */
  icalAllowHttp?: boolean;
}

export function createServices(opts: ServiceOptions): Services {
  const now = opts.now ?? Date.now;
  const hot = opts.hot ?? createHotDb(opts.client, null);
  const bus = new Bus();
  const connectorKey = opts.connectorSecretKey ? sealingKey(opts.connectorSecretKey) : null;
  // Webhooks keep to the push endpoints' address rules and the operator's allowances.
  const endpointPolicy: EndpointPolicy = {
    allowed: opts.pushAllowedHosts ?? [],
    resolve: opts.pushResolve ?? systemResolve,
  };
  const sendWebhook = createWebhookSender(opts.client, {
    key: connectorKey,
    policy: endpointPolicy,
    ...(opts.pushCa ? { ca: opts.pushCa } : {}),
    publicUrl: opts.publicUrl,
    now,
  });
  const push = createPush(opts.db, opts.client, now, {
    vapid: opts.vapid,
    subject: opts.vapidSubject ?? 'mailto:admin@deskwatch.invalid',
    ...(opts.pushAllowedHosts ? { allowedHosts: opts.pushAllowedHosts } : {}),
    ...(opts.pushResolve ? { resolve: opts.pushResolve } : {}),
    ...(opts.pushCa ? { ca: opts.pushCa } : {}),
    ...(opts.pushRetryDelaysMs ? { retryDelaysMs: opts.pushRetryDelaysMs } : {}),
    sendWebhook,
  });
  const sla = createSla(opts.db, opts.client, now);
  const accounts = createAccounts(opts.db, now, hot);
  const limiter = createLimiter(opts.db, now);
  const live = createLive(opts.client, bus, now);
  const audit = createAudit(opts.db, now);
  const tickets = createTickets(hot, now, sla, opts.db);
  const oncall = createOnCall(opts.db, opts.client, now, (t) => push.kick(t));
  const shifts = createShifts(opts.db, opts.client, now, oncall, push);
  const connectorWatch = createConnectorWatch(opts.client, push, opts.publicUrl, undefined, oncall);
  const metrics = createMetrics(opts.db, opts.client, sla, now);
  const redFlags = createRedFlags(
    opts.db,
    opts.client,
    now,
    metrics,
    push,
    audit,
    opts.publicUrl,
    oncall,
  );
  const digest = createDigest(opts.db, opts.client, now, metrics, push, opts.publicUrl);
  const agents = createAgents(opts.db, now);
  const connectors = createConnectors(opts.db, now, tickets, connectorKey, opts.publicUrl, audit);
  const escalations = createEscalations(opts.db, now, bus, push, opts.publicUrl, oncall);
  const oncallRules = createAutoEscalation(opts.db, opts.client, now, escalations);
  return {
    audit,
    sso: createSso(opts.db, now, {
      audit,
      key: connectorKey,
      publicUrl: opts.publicUrl,
      allowHttp: opts.ssoAllowHttp ?? false,
    }),
    people: createPeople(opts.db, now, {
      audit,
      bus,
      publicUrl: opts.publicUrl,
      allowSignup: opts.allowSignup ?? false,
    }),
    now,
    bus,
    live,
    push,
    sla,
    scheduler: createScheduler(
      opts.client,
      now,
      sla,
      push,
      opts.publicUrl,
      async () => {
        await accounts.housekeeping();
        await push.housekeeping();
        // Silent or failing connectors: checked with the housekeeping, hours matter, not seconds.
        await connectorWatch.check(now());
        await limiter.housekeeping();
        await live.housekeeping();
      },
      undefined,
      {
        pageStatements: oncall.pageStatements,
        // Automatic escalation rules open their escalations before due pages move on.
        advanceDue: async (t) => {
          await oncallRules.check(t);
          return oncall.advanceDue(t);
        },
      },
      async (t) => {
        await redFlags.evaluateDue(t);
        await digest.sendDue(t);
        // Shift reminders and on-call device checks (paced by themselves, once a minute).
        await shifts.tick(t);
      },
      // Rollups of tickets marked since (late events, imports, policy changes), a slice a pass.
      async () => {
        await metrics.rollups.catchUpDue();
      },
    ),
    alerts: createAlerts(opts.client),
    adapters: createAdapters(opts.db, now),
    limiter,
    kb: createKb(opts.db, opts.client, now),
    accounts,
    agents,
    tickets,
    lean: createLean(hot, accounts, tickets),
    metrics,
    redFlags,
    digest,
    metricCards: createMetricCards(opts.client, now, metrics),
    connectors,
    poller: createPoller(opts.client, now, connectors, agents, connectorKey, {
      ...(opts.pollFetch ? { fetch: opts.pollFetch } : {}),
      urls: {
        allowed: opts.connectorAllowedHosts ?? [],
        resolve: opts.pollResolve ?? systemResolve,
      },
    }),
    escalations,
    oncall,
    shifts,
    webhooks: createOnCallWebhooks(opts.db, now, push, {
      key: connectorKey,
      policy: endpointPolicy,
    }),
    oncallRules,
    pager: createPager(oncall, push),
    icalFetch: createICalFetch({
      ...(opts.icalAllowedHosts ? { allowedHosts: opts.icalAllowedHosts } : {}),
      ...(opts.icalResolve ? { resolve: opts.icalResolve } : {}),
      allowHttp: opts.icalAllowHttp ?? false,
    }),
  };
}
