import { router } from '../trpc.js';
import { adaptersRouter } from './adapters.js';
import { agentsRouter } from './agents.js';
import { alertsRouter } from './alerts.js';
import { authRouter } from './auth.js';
import { escalationsRouter } from './escalations.js';
import { pairingRouter } from './pairing.js';
import { pushRouter } from './push.js';
import { slaRouter } from './sla.js';
import { ticketsRouter } from './tickets.js';
import { kbRouter } from './kb.js';
import { peopleRouter } from './people.js';
import { auditRouter } from './audit.js';
import { oncallRouter } from './oncall.js';
import { connectorsRouter } from './connectors.js';
import { metricsRouter } from './metrics.js';
import { flagsRouter } from './flags.js';
import { shiftsRouter } from './shifts.js';
import { ssoRouter } from './sso.js';

export const appRouter = router({
  auth: authRouter,
  pairing: pairingRouter,
  tickets: ticketsRouter,
  escalations: escalationsRouter,
  push: pushRouter,
  sla: slaRouter,
  alerts: alertsRouter,
  adapters: adaptersRouter,
  agents: agentsRouter,
  kb: kbRouter,
  people: peopleRouter,
  audit: auditRouter,
  oncall: oncallRouter,
  connectors: connectorsRouter,
  metrics: metricsRouter,
  flags: flagsRouter,
  shifts: shiftsRouter,
  sso: ssoRouter,
});
export type AppRouter = typeof appRouter;
