import { and, eq } from 'drizzle-orm';
import type { ParsedCalendarSpec, SlaState, TicketEvent, TicketSnapshot } from '@deskwatch/shared';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { ticketEvents, tickets } from '../db/schema.js';
import type { Sla } from './sla.js';

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
  /** The business calendar of the ticket's policy (null: 24x7), so the overlay ticks in business time. */
  calendar: ParsedCalendarSpec | null;
  policy: string;
}

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

export function createTickets(db: Db, now: () => number, sla: Sla) {
  const view = (
    t: TicketRow,
    e: { state: SlaState; spec: ParsedCalendarSpec | null; policyName: string },
  ): TicketWithSla => ({
    ticket: toView(t),
    sla: e.state,
    calendar: e.spec,
    policy: e.policyName,
  });

  return {
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
          requesterOrg: snap.requesterOrg,
          tags: JSON.stringify(snap.tags),
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
          if (snap.statusChanges.length === 0 && snap.statusCategory !== 'new') {
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
          if (snap.statusChanges.length === 0 && existing.category !== snap.statusCategory) {
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
        // A page that shows its status history gives the real times of each change.
        for (const c of snap.statusChanges) {
          const at = Math.max(Date.parse(c.at), createdAt);
          events.push({
            type: 'status',
            at,
            data: { category: c.statusCategory },
            dedupeKey: `history@${at}:${c.statusCategory}`,
          });
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
      // Store the state and its next instant, and answer with that same computation.
      return view(row, (await sla.recompute([row], { at: t })).get(row.id)!);
    },

    /** A ticket of the workspace with its SLA state now; with `explain`, the segments behind each clock. */
    async get(
      workspaceId: string,
      ticketId: string,
      opts: { explain?: boolean } = {},
    ): Promise<TicketWithSla | null> {
      const row = await db.query.tickets.findFirst({
        where: and(eq(tickets.id, ticketId), eq(tickets.workspaceId, workspaceId)),
      });
      return row ? view(row, await sla.stateOf(row, opts)) : null;
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
