import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { InValue } from '@libsql/client';
import type { z } from 'zod';
import type { EscalationState } from '@deskwatch/shared';
import type { requestEscalationInput } from '@deskwatch/shared';
import { newId, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import { actionTokens, escalations, tickets, users } from '../db/schema.js';
import type { Bus } from '../events.js';
import type { Caller } from './accounts.js';
import type { OnCallService } from './oncall.js';
import { escalationSubject } from './oncall-subjects.js';
import type { Push } from './push.js';

export const ACTION_TOKEN_TTL_MS = 60 * 60_000;

export interface EscalationView {
  id: string;
  ticketId: string;
  ticketSubject: string;
  ticketUrl: string;
  type: 'tier2' | 'manager_approval' | 'incident';
  severity: 'low' | 'normal' | 'high' | 'critical';
  reason: string;
  state: EscalationState;
  requestedBy: string;
  createdAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  comment: string | null;
}

export class EscalationError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

const requester = alias(users, 'requester');
const decider = alias(users, 'decider');

export function createEscalations(
  db: Db,
  now: () => number,
  bus: Bus,
  push: Push,
  publicUrl: () => string,
  oncall?: Pick<OnCallService, 'pageStatements' | 'acknowledgeSource'>,
) {
  const select = () =>
    db
      .select({
        id: escalations.id,
        ticketId: escalations.ticketId,
        ticketSubject: tickets.subject,
        ticketUrl: tickets.url,
        type: escalations.type,
        severity: escalations.severity,
        reason: escalations.reason,
        state: escalations.state,
        requestedBy: requester.name,
        createdAt: escalations.createdAt,
        decidedBy: decider.name,
        decidedAt: escalations.decidedAt,
        comment: escalations.decisionComment,
        workspaceId: escalations.workspaceId,
      })
      .from(escalations)
      .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
      .innerJoin(requester, eq(requester.id, escalations.requestedBy))
      .leftJoin(decider, eq(decider.id, escalations.decidedBy));

  const strip = ({
    workspaceId: _ws,
    ...v
  }: EscalationView & { workspaceId: string }): EscalationView => v;

  async function get(workspaceId: string, id: string): Promise<EscalationView | null> {
    const [row] = await select().where(
      and(eq(escalations.id, id), eq(escalations.workspaceId, workspaceId)),
    );
    return row ? strip(row) : null;
  }

  async function decide(
    caller: Caller,
    id: string,
    decision: 'approve' | 'deny',
    comment: string,
  ): Promise<EscalationView> {
    if (caller.role === 'agent')
      throw new EscalationError('FORBIDDEN', 'Only managers and admins decide escalations');
    const t = now();
    const updated = await db
      .update(escalations)
      .set({
        state: decision === 'approve' ? 'approved' : 'denied',
        decidedBy: caller.userId,
        decidedAt: t,
        decisionComment: comment || null,
        updatedAt: t,
      })
      .where(
        and(
          eq(escalations.id, id),
          eq(escalations.workspaceId, caller.workspaceId),
          eq(escalations.state, 'pending'),
        ),
      )
      .returning({ ticketId: escalations.ticketId });
    const current = await get(caller.workspaceId, id);
    if (!current) throw new EscalationError('NOT_FOUND', 'No such escalation');
    if (updated.length === 0) {
      const who = current.decidedBy ? ` by ${current.decidedBy}` : '';
      const when = current.decidedAt ? ` at ${new Date(current.decidedAt).toISOString()}` : '';
      throw new EscalationError('CONFLICT', `Already ${current.state}${who}${when}`);
    }
    // The decision is taken: the notification buttons of every manager stop working.
    await db
      .update(actionTokens)
      .set({ usedAt: t })
      .where(and(eq(actionTokens.escalationId, id), isNull(actionTokens.usedAt)));
    // A decision answers the page too: its path stops.
    await oncall?.acknowledgeSource(caller.workspaceId, id, caller.userId, t);
    bus.publish({
      workspaceId: caller.workspaceId,
      ticketId: current.ticketId,
    });
    return current;
  }

  return {
    get,
    decide,

    async request(
      caller: Caller,
      input: z.infer<typeof requestEscalationInput>,
    ): Promise<EscalationView> {
      const ticket = await db.query.tickets.findFirst({
        where: and(eq(tickets.id, input.ticketId), eq(tickets.workspaceId, caller.workspaceId)),
      });
      if (!ticket) throw new EscalationError('NOT_FOUND', 'No such ticket in your workspace');
      const id = newId();
      const t = now();
      const insert = db
        .insert(escalations)
        .values({
          id,
          workspaceId: caller.workspaceId,
          ticketId: ticket.id,
          requestedBy: caller.userId,
          type: input.type,
          severity: input.severity,
          reason: input.reason,
          state: 'pending',
          createdAt: t,
          updatedAt: t,
        })
        .toSQL();
      // The escalation and its notifications are written together: none is lost to a crash
      // between them. Each person's action token is made when their push is sent. With a default
      // escalation path the request pages its first level; without one, every manager.
      const notice = {
        workspaceId: caller.workspaceId,
        kind: 'escalation' as const,
        sourceId: id,
        t,
        payload: {
          kind: 'escalation',
          escalationId: id,
          ticketSubject: ticket.subject,
          reason: input.reason,
          requestedBy: caller.name,
          severity: input.severity,
          url: `${publicUrl()}/escalations/${id}`,
        },
      };
      const write = { sql: insert.sql, args: insert.params as InValue[] };
      const paged = await oncall?.pageStatements({
        ...notice,
        title: `Escalation: ${ticket.subject}`,
        subject: escalationSubject(ticket, input.type, input.severity),
      });
      if (paged) await push.writeAndKick([write, ...paged], t);
      else await push.writeAndNotifyManagers([write], notice);
      bus.publish({
        workspaceId: caller.workspaceId,
        ticketId: ticket.id,
      });
      const view = (await get(caller.workspaceId, id))!;
      return view;
    },

    /** A decision from a notification button: the single-use token stands for its manager. */
    async decideWithToken(
      token: string,
      decision: 'approve' | 'deny',
      comment: string,
    ): Promise<EscalationView> {
      const t = now();
      const [spent] = await db
        .update(actionTokens)
        .set({ usedAt: t })
        .where(
          and(
            eq(actionTokens.tokenHash, sha256(token)),
            isNull(actionTokens.usedAt),
            gt(actionTokens.expiresAt, t),
          ),
        )
        .returning();
      if (!spent)
        throw new EscalationError(
          'FORBIDDEN',
          'This notification link has expired or was already used; open the app to decide',
        );
      const u = await db.query.users.findFirst({ where: eq(users.id, spent.userId) });
      if (!u) throw new EscalationError('FORBIDDEN', 'Unknown user');
      return decide(
        {
          userId: u.id,
          workspaceId: u.workspaceId,
          role: u.role,
          name: u.name,
          email: u.email,
          via: 'token',
        },
        spent.escalationId,
        decision,
        comment,
      );
    },

    async list(caller: Caller, state?: EscalationState): Promise<EscalationView[]> {
      const rows = await select()
        .where(
          and(
            eq(escalations.workspaceId, caller.workspaceId),
            state ? eq(escalations.state, state) : undefined,
          ),
        )
        .orderBy(desc(escalations.createdAt))
        .limit(200);
      return rows.map(strip);
    },

    /** The escalations `caller` asked for, newest first: pending and decided, with the reason. */
    async mine(caller: Caller): Promise<EscalationView[]> {
      const rows = await select()
        .where(
          and(
            eq(escalations.workspaceId, caller.workspaceId),
            eq(escalations.requestedBy, caller.userId),
          ),
        )
        .orderBy(desc(escalations.createdAt))
        .limit(100);
      return rows.map(strip);
    },

    async forTicket(workspaceId: string, ticketId: string): Promise<EscalationView[]> {
      const rows = await select()
        .where(and(eq(escalations.workspaceId, workspaceId), eq(escalations.ticketId, ticketId)))
        .orderBy(desc(escalations.createdAt))
        .limit(20);
      return rows.map(strip);
    },
  };
}
export type Escalations = ReturnType<typeof createEscalations>;
