import { defaultPolicy } from '@deskwatch/shared';
import { seedDemoMetricsHistory } from './metrics-demo.js';
import { newId } from './crypto.js';
import type { Db } from './db/client.js';
import { eq } from 'drizzle-orm';
import { demoChanges, demoMessages, demoTickets, slaPolicies, workspaces } from './db/schema.js';
import { seedDemoHistory } from './kb/demo-history.js';
import { demoArticles } from './kb/demo-kb.js';
import type { Services } from './trpc.js';

export const DEMO_PASSWORD = 'deskwatch-demo';
export const DEMO_USERS = [
  { email: 'admin@acme.test', name: 'Ada Admin', role: 'admin' },
  { email: 'manager@acme.test', name: 'Mia Manager', role: 'manager' },
  { email: 'agent@acme.test', name: 'Alex Agent', role: 'agent' },
] as const;

const MIN = 60_000;
/**
 * Demo tickets, with creation times relative to the first start so the timers are live. Each
 * has its story's status history (minutes before the first start), shown on its Demo Desk page,
 * so its timers are right from the first view: the solved one was solved a day ago, the pending
 * one has waited on the customer since the agent's question.
 */
export const DEMO_TICKETS = [
  {
    subject: 'Cannot log in after password reset',
    status: 'Open',
    priority: 'High',
    requester: 'ana.silva@example.com',
    ageMin: 25,
    history: [{ at: 20, field: 'status', from: 'New', to: 'Open' }],
    thread: [
      {
        kind: 'customer',
        at: 25,
        body: 'I reset my password this morning and now the login page says "invalid credentials".',
      },
    ],
  },
  {
    subject: 'VPN disconnects every 10 minutes',
    status: 'New',
    priority: 'Urgent',
    requester: 'li.wei@example.com',
    ageMin: 10,
    history: [],
    thread: [
      {
        kind: 'customer',
        at: 10,
        body: 'Since the update the VPN drops every ten minutes. Whole sales team affected.',
      },
    ],
  },
  {
    subject: 'Invoice shows the wrong VAT number',
    status: 'Pending',
    priority: 'Normal',
    requester: 'finance@globex.example',
    ageMin: 180,
    history: [
      { at: 170, field: 'status', from: 'New', to: 'Open' },
      { at: 120, field: 'status', from: 'Open', to: 'Pending' },
    ],
    thread: [
      { kind: 'customer', at: 180, body: 'Invoice INV-2291 has our old VAT number on it.' },
      {
        kind: 'agent',
        at: 120,
        body: 'Could you send us the new VAT certificate so we can update your account?',
      },
    ],
  },
  {
    subject: 'Add a new user to the billing portal',
    status: 'Open',
    priority: 'Low',
    requester: 'ops@initech.example',
    // Forgotten for two days and two hours: both clocks well past due, not just at it.
    ageMin: 50 * 60,
    history: [{ at: 50 * 60 - 5, field: 'status', from: 'New', to: 'Open' }],
    thread: [
      {
        kind: 'customer',
        at: 50 * 60,
        body: 'Please add sam@initech.example as a billing contact.',
      },
    ],
  },
  {
    subject: 'Export to CSV times out for large reports',
    status: 'On-hold',
    priority: 'High',
    requester: 'data@umbrella.example',
    ageMin: 300,
    history: [
      { at: 290, field: 'status', from: 'New', to: 'Open' },
      { at: 240, field: 'status', from: 'Open', to: 'On-hold' },
    ],
    thread: [
      { kind: 'customer', at: 300, body: 'Exports over 50k rows fail with a timeout.' },
      { kind: 'agent', at: 240, body: 'Reproduced; waiting for engineering.', internal: true },
    ],
  },
  {
    subject: 'Printer on floor 3 prints blank pages',
    status: 'Solved',
    priority: 'Normal',
    requester: 'frontdesk@example.com',
    ageMin: 26 * 60,
    history: [
      { at: 25 * 60 + 30, field: 'status', from: 'New', to: 'Open' },
      { at: 25 * 60, field: 'status', from: 'Open', to: 'Solved' },
    ],
    thread: [
      { kind: 'customer', at: 26 * 60, body: 'All pages come out blank.' },
      {
        kind: 'agent',
        at: 25 * 60,
        body: 'The toner seal was still on; removed it, all good now.',
      },
    ],
  },
] as const;

/** Seeds the demo workspace and Demo Desk once, on an empty database. Returns false if there was data already. */
export async function seedDemo(db: Db, services: Services): Promise<boolean> {
  const existing = await db.query.workspaces.findFirst();
  if (existing) return false;
  const now = services.now();
  const ws = await services.accounts.createWorkspace('Acme Support');
  const ids = {} as Record<(typeof DEMO_USERS)[number]['role'], string>;
  for (const u of DEMO_USERS)
    ids[u.role] = await services.accounts.createUser({
      workspaceId: ws,
      ...u,
      password: DEMO_PASSWORD,
    });
  await seedDemoOnCall(services, ws, ids);
  await db.insert(slaPolicies).values({
    id: newId(),
    workspaceId: ws,
    position: 0,
    policyJson: JSON.stringify(defaultPolicy),
    updatedAt: now,
  });
  for (const t of DEMO_TICKETS) {
    const [row] = await db
      .insert(demoTickets)
      .values({
        subject: t.subject,
        status: t.status,
        priority: t.priority,
        requester: t.requester,
        createdAt: now - t.ageMin * MIN,
        historyKnown: true,
      })
      .returning();
    for (const m of t.thread) {
      await db.insert(demoMessages).values({
        ticketId: row!.id,
        authorKind: m.kind,
        authorName: m.kind === 'agent' ? 'Demo Agent' : t.requester,
        public: !('internal' in m && m.internal),
        body: m.body,
        createdAt: now - m.at * MIN,
      });
    }
    for (const h of t.history)
      await db.insert(demoChanges).values({ ticketId: row!.id, ...h, at: now - h.at * MIN });
  }
  return true;
}

/**
 * A two-layer schedule (office hours, then nights and weekends on a layer below) and a
 * two-level path for the demo. The path is not the default: alerts keep going to every
 * manager until an admin makes it the default, so the demo behaves as before on-call existed.
 */
async function seedDemoOnCall(
  services: Services,
  workspaceId: string,
  ids: Record<'admin' | 'manager' | 'agent', string>,
) {
  const admin = {
    userId: ids.admin,
    workspaceId,
    role: 'admin' as const,
    name: 'Ada Admin',
    email: 'admin@acme.test',
    via: 'session' as const,
  };
  const all = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const { id: scheduleId } = await services.oncall.saveSchedule(admin, {
    name: 'Support on call',
    timeZone: 'Europe/Amsterdam',
    layers: [
      {
        id: 'office',
        name: 'Office hours',
        start: '2026-01-05T09:00', // a Monday
        turn: 'weekly',
        participants: [ids.manager, ids.admin],
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
      },
      {
        id: 'after-hours',
        name: 'Nights and weekends',
        start: '2026-01-05T17:00',
        turn: 'daily',
        participants: [ids.admin, ids.manager],
        restrictions: [
          { days: [...all], start: '17:00', end: '09:00' },
          { days: ['sat', 'sun'], start: '09:00', end: '17:00' },
        ],
      },
    ],
  });
  await services.oncall.savePath(admin, {
    name: 'Support escalation',
    isDefault: false,
    repeat: 1,
    levels: [
      { targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 15 },
      { targets: [{ kind: 'role', role: 'admin' }], timeoutMinutes: 30 },
    ],
  });
}

/**
 * The demo workspace's knowledge base, imported on every start with the demo on: re-importing
 * by source key leaves unchanged articles alone, so an existing database also gets new ones.
 */
export async function seedDemoKb(db: Db, services: Services) {
  const ws = await db.query.workspaces.findFirst({ where: eq(workspaces.name, 'Acme Support') });
  if (!ws) return null;
  return services.kb.articles.import(
    ws.id,
    'demo',
    demoArticles().map((data, i) => ({ ref: `demo #${i + 1}`, data })),
  );
}

/** A month of the desk's tickets for the manager's glance, observed like real pages; once. */
export async function seedDemoMetrics(db: Db, services: Services, baseUrl: string) {
  const ws = await db.query.workspaces.findFirst({ where: eq(workspaces.name, 'Acme Support') });
  return ws ? seedDemoMetricsHistory(services, ws.id, baseUrl) : 0;
}

/** A month of past tickets and what agents did with the knowledge base, for the insights screen; once. */
export async function seedDemoKbHistory(db: Db, services: Services) {
  const ws = await db.query.workspaces.findFirst({ where: eq(workspaces.name, 'Acme Support') });
  return ws ? seedDemoHistory(db, ws.id, services.now()) : false;
}
