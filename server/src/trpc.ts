import { initTRPC, TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { debugDetails, issuesMessage, reportInternal } from './http/errors.js';
import type { Accounts, Caller } from './services/accounts.js';
import type { Agents } from './services/agents.js';
import type { Escalations } from './services/escalations.js';
import { EscalationError } from './services/escalations.js';
import type { Push } from './services/push.js';
import { PushError } from './services/push.js';
import type { Adapters } from './services/adapters.js';
import type { Alerts } from './services/alerts.js';
import type { Limiter } from './services/limiter.js';
import type { Scheduler } from './services/scheduler.js';
import type { Sla } from './services/sla.js';
import { SlaConfigError } from './services/sla.js';
import type { Tickets } from './services/tickets.js';
import type { Lean } from './services/lean.js';
import { ObservationError } from './services/tickets.js';
import type { Bus } from './events.js';
import type { Live } from './services/live.js';
import type { Kb } from './kb/index.js';
import type { Audit } from './services/audit.js';
import type { Metrics } from './services/metrics.js';
import type { RedFlags } from './services/redflags.js';
import type { Digest } from './services/digest.js';
import type { MetricCards } from './services/metric-cards.js';
import { PeopleError, type People } from './services/people.js';
import type { Connectors } from './connectors/service.js';
import type { Poller } from './connectors/poller.js';
import { OnCallError, type OnCallService } from './services/oncall.js';
import type { Shifts } from './services/shifts.js';
import type { OnCallWebhooks } from './services/oncall-webhooks.js';
import type { AutoEscalation, Pager } from './services/oncall-rules.js';
import { ConnectorError } from './connectors/service.js';
import { SsoSettingsError, type Sso } from './services/sso.js';
import { ICalFetchError, type ICalFetch } from './services/ical-fetch.js';

export interface Services {
  accounts: Accounts;
  agents: Agents;
  tickets: Tickets;
  /** The extension's hot calls, token checked in the same statement (`/x/*`). */
  lean: Lean;
  escalations: Escalations;
  push: Push;
  bus: Bus;
  live: Live;
  sla: Sla;
  scheduler: Scheduler;
  alerts: Alerts;
  adapters: Adapters;
  limiter: Limiter;
  kb: Kb;
  people: People;
  audit: Audit;
  connectors: Connectors;
  poller: Poller;
  oncall: OnCallService;
  shifts: Shifts;
  webhooks: OnCallWebhooks;
  /** Automatic escalation rules (issue #19). */
  oncallRules: AutoEscalation;
  /** Pages on its own (red flags, connector failures): the path or every manager. */
  pager: Pager;
  metrics: Metrics;
  redFlags: RedFlags;
  digest: Digest;
  metricCards: MetricCards;
  sso: Sso;
  /** Holiday calendars fetched from a URL for the calendar form. */
  icalFetch: ICalFetch;
  now: () => number;
}

export interface Context {
  services: Services;
  caller: Caller | null;
  /** The session cookie's token, when the caller came with one (sign out needs it). */
  sessionToken: string | null;
  /** Response headers of the HTTP request, for Set-Cookie; absent under createCaller. */
  resHeaders: Headers | null;
  secureCookies: boolean;
  /** The client's address, for rate limits ('local' under createCaller). */
  clientIp: string;
}

/** The part of the context that needs no HTTP: tests build it directly and call routers through createCaller. */
export function createContextInner(opts: Partial<Context> & { services: Services }): Context {
  return {
    caller: null,
    sessionToken: null,
    resHeaders: null,
    secureCookies: false,
    clientIp: 'local',
    ...opts,
  };
}

const t = initTRPC.context<Context>().create({
  // Never add stacks because NODE_ENV happens to be unset; DEBUG_ERRORS decides (below).
  isDev: false,
  errorFormatter({ shape, error, path }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    // An unexpected error: the client gets a sentence and an id, the log gets the details.
    const internal =
      error.code === 'INTERNAL_SERVER_ERROR' ? reportInternal(error, `trpc ${path ?? '?'}`) : null;
    return {
      ...shape,
      code: internal ? TRPC_ERROR_CODES_BY_KEY[internal.code] : shape.code,
      // A readable sentence for people, and the field-level issues for forms.
      message: internal ? internal.message : zod ? issuesMessage(zod.issues) : shape.message,
      data: {
        code: internal ? internal.code : shape.data.code,
        httpStatus: internal ? internal.status : shape.data.httpStatus,
        path: shape.data.path,
        issues: zod
          ? zod.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
          : null,
        ...(internal ? { errorId: internal.id } : {}),
        ...debugDetails(error),
      },
    };
  },
  sse: {
    // Pings are all an idle feed costs (bench/server-watchers.bench.ts: 1,000 feeds pinged every
    // 10 s took ~4.5% of a core, unpinged ~0); every 20 s stays well inside the 60 s idle timeouts
    // of common proxies, and a client still notices a silently dead connection within 45 s.
    ping: { enabled: true, intervalMs: 20_000 },
    client: { reconnectAfterInactivityMs: 45_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services' errors that carry their tRPC code: their messages are written for users. */
const CODED_ERRORS = [
  EscalationError,
  ObservationError,
  PushError,
  PeopleError,
  ConnectorError,
  OnCallError,
  SsoSettingsError,
  ICalFetchError,
];

/** Turns a service's domain errors into typed tRPC errors. */
const domainErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (res.ok) return res;
  const cause = res.error.cause;
  if (CODED_ERRORS.some((E) => cause instanceof E)) {
    const { code, message } = cause as InstanceType<(typeof CODED_ERRORS)[number]>;
    throw new TRPCError({ code, message, cause });
  }
  if (cause instanceof SlaConfigError)
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  return res;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  return next({ ctx: { ...ctx, caller: ctx.caller } });
});

export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.caller.via !== 'session')
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'This needs a signed-in session, not an extension token',
    });
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.caller.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});

export const managerProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.caller.role === 'agent')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Managers and admins only' });
  return next();
});
