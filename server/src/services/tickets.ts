import { and, asc, desc, eq, inArray, notInArray } from 'drizzle-orm';
import {
  calendar24x7,
  DONE_CATEGORIES,
  computeSlaState,
  defaultPolicy,
  slaPolicy,
  ticketEvent,
  type SlaPolicy,
  type SlaState,
  type TicketEvent,
  type TicketSnapshot,
} from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { slaPolicies, ticketEvents, tickets } from '../db/schema.js';

type TicketRow = typeof tickets.$inferSelect;

export interface TicketView {
  id: string;
  source: string;
  externalId: string;
  url: string;
  subject: string;
  status: string;
  category: string;
  priority: string;
  requester: string;
  createdAt: number;
}

export interface TicketWithSla {
  ticket: TicketView;
  sla: SlaState;
}

/** A ticket whose SLA needs a manager's eye: a target breached, or past the warning share of its time. */
export interface SlaAlert {
  ticket: TicketView;
  target: SlaState['targets'][number];
  level: 'warning' | 'breached';
}

/** Share of a target's time after which an open ticket shows as at risk (per-policy thresholds come with the SLA engine). */
export const AT_RISK_PERCENT = 75;

const toView = (t: TicketRow): TicketView => ({
  id: t.id,
  source: t.source,
  externalId: t.externalId,
  url: t.url,
  subject: t.subject,
  status: t.status,
  category: t.category,
  priority: t.priority,
  requester: t.requester,
  createdAt: t.createdAt,
});

export function createTickets(db: Db, now: () => number) {
  async function policyFor(workspaceId: string): Promise<SlaPolicy> {
    const row = await db.query.slaPolicies.findFirst({
      where: eq(slaPolicies.workspaceId, workspaceId),
      orderBy: asc(slaPolicies.position),
    });
    return row ? slaPolicy.parse(JSON.parse(row.policyJson)) : defaultPolicy;
  }

  async function eventsOf(ticketId: string): Promise<TicketEvent[]> {
    const rows = await db.query.ticketEvents.findMany({
      where: eq(ticketEvents.ticketId, ticketId),
      orderBy: [asc(ticketEvents.at), asc(ticketEvents.recordedAt)],
    });
    return rows.map((r) => ticketEvent.parse({ type: r.type, at: r.at, ...JSON.parse(r.data) }));
  }

  async function withSla(t: TicketRow): Promise<TicketWithSla> {
    const [policy, events] = await Promise.all([policyFor(t.workspaceId), eventsOf(t.id)]);
    // Calendar time until business calendars are configurable (the SLA engine issue).
    return { ticket: toView(t), sla: computeSlaState(events, policy, calendar24x7, now()) };
  }

  return {
    policyFor,

    /**
     * Records what a page showed. The event log only grows by what changed since the last
     * observation, so reporting the same page twice writes nothing new.
     */
    async observe(workspaceId: string, snap: TicketSnapshot): Promise<TicketWithSla> {
      const t = now();
      const createdAt = Date.parse(snap.createdAt);
      const row = await db.transaction(async (tx) => {
        const fields = {
          url: snap.url,
          subject: snap.subject,
          status: snap.status,
          category: snap.statusCategory,
          priority: snap.priority,
          requester: snap.requester,
          lastSeenAt: t,
        };
        const existing = await tx.query.tickets.findFirst({
          where: and(
            eq(tickets.workspaceId, workspaceId),
            eq(tickets.source, snap.source),
            eq(tickets.externalId, snap.externalId),
          ),
        });
        const events: { type: TicketEvent['type']; at: number; data: object; dedupeKey: string }[] =
          [];
        let ticketId: string;
        if (!existing) {
          ticketId = newId();
          await tx.insert(tickets).values({
            id: ticketId,
            workspaceId,
            source: snap.source,
            externalId: snap.externalId,
            createdAt,
            firstSeenAt: t,
            ...fields,
          });
          events.push({ type: 'created', at: createdAt, data: {}, dedupeKey: 'created' });
          // The priority a ticket is first seen with is taken as its priority since creation;
          // its status is known only from now on (a page shows no history).
          events.push({
            type: 'priority',
            at: createdAt,
            data: { priority: snap.priority },
            dedupeKey: `priority@${createdAt}`,
          });
          if (snap.statusCategory !== 'new') {
            events.push({
              type: 'status',
              at: t,
              data: { category: snap.statusCategory },
              dedupeKey: `status@${t}`,
            });
          }
        } else {
          ticketId = existing.id;
          await tx.update(tickets).set(fields).where(eq(tickets.id, ticketId));
          if (existing.category !== snap.statusCategory) {
            events.push({
              type: 'status',
              at: t,
              data: { category: snap.statusCategory },
              dedupeKey: `status@${t}`,
            });
          }
          if (existing.priority !== snap.priority) {
            events.push({
              type: 'priority',
              at: t,
              data: { priority: snap.priority },
              dedupeKey: `priority@${t}`,
            });
          }
        }
        for (const m of snap.messages) {
          const at = Date.parse(m.at);
          const key = m.externalId
            ? `msg:${m.externalId}`
            : `msg:${m.author}:${m.public ? 'pub' : 'int'}:${at}`;
          events.push({
            type: 'message',
            at,
            data: { author: m.author, public: m.public },
            dedupeKey: key,
          });
        }
        if (events.length > 0) {
          await tx
            .insert(ticketEvents)
            .values(
              events.map((e) => ({
                id: newId(),
                ticketId,
                workspaceId,
                type: e.type,
                at: e.at,
                data: JSON.stringify(e.data),
                dedupeKey: e.dedupeKey,
                recordedAt: t,
              })),
            )
            .onConflictDoNothing();
        }
        return (await tx.query.tickets.findFirst({ where: eq(tickets.id, ticketId) }))!;
      });
      return withSla(row);
    },

    async get(workspaceId: string, ticketId: string): Promise<TicketWithSla | null> {
      const row = await db.query.tickets.findFirst({
        where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
      });
      return row ? withSla(row) : null;
    },

    /** Open tickets whose SLA is breached or at risk, most urgent first. */
    async alerts(workspaceId: string, limit = 50): Promise<SlaAlert[]> {
      const open = await db.query.tickets.findMany({
        where: and(
          eq(tickets.workspaceId, workspaceId),
          notInArray(tickets.category, [...DONE_CATEGORIES]),
        ),
        orderBy: desc(tickets.lastSeenAt),
        limit: 1000,
      });
      if (open.length === 0) return [];
      const policy = await policyFor(workspaceId);
      const rows = await db.query.ticketEvents.findMany({
        where: and(
          eq(ticketEvents.workspaceId, workspaceId),
          inArray(
            ticketEvents.ticketId,
            open.map((t) => t.id),
          ),
        ),
        orderBy: [asc(ticketEvents.at), asc(ticketEvents.recordedAt)],
      });
      const byTicket = new Map<string, TicketEvent[]>();
      for (const r of rows) {
        const list = byTicket.get(r.ticketId) ?? [];
        list.push(ticketEvent.parse({ type: r.type, at: r.at, ...JSON.parse(r.data) }));
        byTicket.set(r.ticketId, list);
      }
      const t = now();
      const alerts: SlaAlert[] = [];
      for (const row of open) {
        const sla = computeSlaState(byTicket.get(row.id) ?? [], policy, calendar24x7, t);
        for (const target of sla.targets) {
          if (target.status === 'met') continue;
          if (target.breached) alerts.push({ ticket: toView(row), target, level: 'breached' });
          else if (target.percentUsed >= AT_RISK_PERCENT)
            alerts.push({ ticket: toView(row), target, level: 'warning' });
        }
      }
      return alerts.sort((a, b) => a.target.remainingMs - b.target.remainingMs).slice(0, limit);
    },

    async eventCount(workspaceId: string, ticketId: string) {
      const rows = await db.query.ticketEvents.findMany({
        where: and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.workspaceId, workspaceId)),
        columns: { id: true },
      });
      return rows.length;
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
