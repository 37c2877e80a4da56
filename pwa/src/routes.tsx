import { lazy, type ComponentType, type ReactNode } from 'react';

export type Role = 'agent' | 'manager' | 'admin';

/** What a screen gets from the route that shows it. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  me: { name: string; role: Role; email?: string };
}

export interface ScreenRoute {
  /** A wouter pattern: `/escalations/:id`. */
  path: string;
  /** Who may open it; everyone signed in when absent. */
  roles?: readonly Role[];
  render: (ctx: RouteContext) => ReactNode;
  /** Shown in the bottom tab bar, in this order. */
  tab?: { label: string; order: number };
}

// One chunk per screen: the inbox shell stays small and each screen loads on first visit
// (the service worker precaches every chunk, so visited or not, they open offline).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- lazy() itself takes ComponentType<any>
function screen<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const Escalation = screen(() => import('./screens/Escalation'), 'Escalation');
const Article = screen(() => import('./screens/Article'), 'Article');
const Connect = screen(() => import('./screens/Connect'), 'Connect');
const Settings = screen(() => import('./screens/Settings'), 'Settings');
const SlaSettings = screen(() => import('./screens/SlaSettings'), 'SlaSettings');
const AdapterSettings = screen(() => import('./screens/AdapterSettings'), 'AdapterSettings');
const AgentSettings = screen(() => import('./screens/AgentSettings'), 'AgentSettings');
const TicketSources = screen(() => import('./screens/TicketSources'), 'TicketSources');
const Metrics = screen(() => import('./screens/Metrics'), 'Metrics');
const MetricDetail = screen(() => import('./screens/MetricDetail'), 'MetricDetail');
const RedFlags = screen(() => import('./screens/metrics/RedFlags'), 'RedFlags');
const KbInsights = screen(() => import('./screens/KbInsights'), 'KbInsights');
const KbSettings = screen(() => import('./screens/KbSettings'), 'KbSettings');
const People = screen(() => import('./screens/admin/People'), 'People');
const Audit = screen(() => import('./screens/admin/Audit'), 'Audit');
const OnCall = screen(() => import('./screens/OnCall'), 'OnCall');
const ScheduleDetail = screen(() => import('./screens/oncall/ScheduleDetail'), 'ScheduleDetail');
const ScheduleEditor = screen(() => import('./screens/oncall/ScheduleEditor'), 'ScheduleEditor');
const Devices = screen(() => import('./screens/oncall/Devices'), 'Devices');
const PathsSettings = screen(() => import('./screens/oncall/PathsSettings'), 'PathsSettings');
const QuietHours = screen(() => import('./screens/oncall/QuietHours'), 'QuietHours');
const Connectors = screen(() => import('./screens/admin/Connectors'), 'Connectors');
const Sso = screen(() => import('./screens/admin/Sso'), 'Sso');

const MANAGERS = ['manager', 'admin'] as const;
const ADMINS = ['admin'] as const;

/**
 * Every screen but the inbox (the fallback, in the main chunk). Add a screen with one entry here;
 * `tab` puts it in the bottom bar.
 */
export const ROUTES: ScreenRoute[] = [
  {
    path: '/escalations/:id',
    render: ({ params, query }) => (
      <Escalation id={params.id!} startDenying={query.get('decide') === 'deny'} />
    ),
  },
  { path: '/kb/:id', render: ({ params }) => <Article id={decodeParam(params.id!)} /> },
  {
    path: '/oncall',
    render: ({ me }) => <OnCall role={me.role} />,
    tab: { label: 'On call', order: 10 },
  },
  { path: '/oncall/schedules/new', roles: MANAGERS, render: () => <ScheduleEditor /> },
  {
    path: '/oncall/schedules/:id/edit',
    roles: MANAGERS,
    render: ({ params }) => <ScheduleEditor id={params.id!} />,
  },
  {
    path: '/oncall/schedules/:id',
    render: ({ params, me }) => <ScheduleDetail id={params.id!} role={me.role} />,
  },
  { path: '/oncall/devices', render: ({ me }) => <Devices role={me.role} /> },
  { path: '/oncall/paths', roles: MANAGERS, render: () => <PathsSettings /> },
  { path: '/oncall/quiet-hours', render: () => <QuietHours /> },
  {
    path: '/metrics',
    roles: MANAGERS,
    render: ({ query }) => <Metrics search={query} />,
    tab: { label: 'Metrics', order: 10 },
  },
  {
    path: '/metrics/kb',
    roles: MANAGERS,
    render: () => <KbInsights />,
    tab: { label: 'KB insights', order: 20 },
  },
  { path: '/metrics/flags', roles: MANAGERS, render: () => <RedFlags /> },
  {
    path: '/metrics/:metric',
    roles: MANAGERS,
    render: ({ params, query }) => <MetricDetail metric={params.metric!} search={query} />,
  },
  { path: '/connect', render: () => <Connect />, tab: { label: 'Connect extension', order: 80 } },
  {
    path: '/settings',
    render: ({ me }) => <Settings name={me.name} role={me.role} />,
    tab: { label: 'Settings', order: 90 },
  },
  { path: '/settings/sla', roles: ADMINS, render: () => <SlaSettings /> },
  { path: '/settings/adapters', roles: ADMINS, render: () => <AdapterSettings /> },
  { path: '/settings/agents', roles: ADMINS, render: () => <AgentSettings /> },
  {
    path: '/settings/kb',
    roles: MANAGERS,
    render: ({ me }) => <KbSettings admin={me.role === 'admin'} />,
  },
  { path: '/settings/people', roles: ADMINS, render: ({ me }) => <People myEmail={me.email} /> },
  { path: '/settings/audit', roles: ADMINS, render: () => <Audit /> },
  { path: '/settings/connectors', roles: ADMINS, render: () => <Connectors /> },
  { path: '/settings/sso', roles: ADMINS, render: () => <Sso /> },
  {
    path: '/tickets/:id/sources',
    roles: MANAGERS,
    render: ({ params }) => <TicketSources ticketId={params.id!} />,
  },
];

/** Article ids come percent-encoded in the path; the router has already undone `decodeURI`'s part. */
function decodeParam(v: string) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function allowed(route: ScreenRoute, role: Role) {
  return !route.roles || route.roles.includes(role);
}
