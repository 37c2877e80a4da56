import type { Client } from '@libsql/client';
import type { Agent } from 'node:https';
import type { Db } from '../db/client.js';
import { Bus } from '../events.js';
import type { Services } from '../trpc.js';
import { createAccounts } from './accounts.js';
import { createEscalations } from './escalations.js';
import { createAdapters } from './adapters.js';
import { createAlerts } from './alerts.js';
import { createLimiter } from './limiter.js';
import { createPush, type VapidKeys } from './push.js';
import { createScheduler } from './scheduler.js';
import { createSla } from './sla.js';
import { createTickets } from './tickets.js';
import { createKb } from '../kb/index.js';

export interface ServiceOptions {
  db: Db;
  client: Client;
  now?: () => number;
  vapid: VapidKeys;
  vapidSubject?: string;
  /** Where people reach the server; links in notifications point here. */
  publicUrl: () => string;
  pushAgent?: Agent;
  pushRetryDelaysMs?: number[];
}

export function createServices(opts: ServiceOptions): Services {
  const now = opts.now ?? Date.now;
  const bus = new Bus();
  const push = createPush(opts.db, now, {
    vapid: opts.vapid,
    subject: opts.vapidSubject ?? 'mailto:admin@deskwatch.invalid',
    ...(opts.pushAgent ? { agent: opts.pushAgent } : {}),
    ...(opts.pushRetryDelaysMs ? { retryDelaysMs: opts.pushRetryDelaysMs } : {}),
  });
  const sla = createSla(opts.db, opts.client, now);
  const accounts = createAccounts(opts.db, now);
  const limiter = createLimiter(opts.db, now);
  return {
    now,
    bus,
    push,
    sla,
    scheduler: createScheduler(opts.client, now, sla, push, opts.publicUrl, async () => {
      await accounts.housekeeping();
      await limiter.housekeeping();
    }),
    alerts: createAlerts(opts.client),
    adapters: createAdapters(opts.db, now),
    limiter,
    kb: createKb(opts.db, opts.client, now),
    accounts,
    tickets: createTickets(opts.db, now, sla),
    escalations: createEscalations(opts.db, now, bus, push, opts.publicUrl),
  };
}
