import type { TicketSnapshot } from '@deskwatch/shared';
import type { HotDb } from '../db/hot.js';
import {
  TOKEN_CALLER_COLUMNS,
  TOKEN_CALLER_FROM,
  TOKEN_VALID,
  tokenCallerFromRow,
  type Accounts,
  type Caller,
} from './accounts.js';
import { SLA_EVENT_COLUMNS } from './sla.js';
import {
  badgeFromStored,
  sourceOf,
  TICKET_COLUMNS,
  TICKET_KEY_COLUMNS,
  type TicketBadge,
  type Tickets,
  type TicketWithSla,
} from './tickets.js';
import { tokenHash } from './token-hash.js';

/** The token's caller columns come first in every statement below. */
const CALLER_WIDTH = 6;

/**
 * Arguments: the tool, the ticket's external id, the token's hash. The token's caller and, in the
 * same row, its workspace's ticket as an observation reads it, with this browser as the source.
 */
const UNCHANGED = `SELECT ${TOKEN_CALLER_COLUMNS}, ${TICKET_KEY_COLUMNS} FROM ${TOKEN_CALLER_FROM}
  LEFT JOIN tickets t ON t.workspace_id = u.workspace_id AND t.source = ? AND t.external_id = ?
  LEFT JOIN ticket_sla s ON s.ticket_id = t.id
  LEFT JOIN ticket_sources src ON src.ticket_id = t.id AND src.source_key = 'token:' || tk.id
  WHERE ${TOKEN_VALID}`;
/** Arguments: the ticket's id, the token's hash. */
const TICKET = `SELECT ${TOKEN_CALLER_COLUMNS}, ${TICKET_COLUMNS} FROM ${TOKEN_CALLER_FROM}
  LEFT JOIN tickets t ON t.id = ? AND t.workspace_id = u.workspace_id
  WHERE ${TOKEN_VALID}`;
/** Arguments: the ticket's id, the token's hash: its events, when it is the token's workspace's. */
const EVENTS = `SELECT ${SLA_EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = (
  SELECT t.id FROM ${TOKEN_CALLER_FROM} JOIN tickets t ON t.id = ? AND t.workspace_id = u.workspace_id WHERE ${TOKEN_VALID}
) ORDER BY at, recorded_at`;
/** Arguments: the tool, the external ids as a JSON array, the token's hash. */
const BADGES = `SELECT ${TOKEN_CALLER_COLUMNS}, t.external_id, t.id, s.badge_json FROM ${TOKEN_CALLER_FROM}
  LEFT JOIN tickets t ON t.workspace_id = u.workspace_id AND t.source = ? AND t.external_id IN (SELECT value FROM json_each(?))
  LEFT JOIN ticket_sla s ON s.ticket_id = t.id
  WHERE ${TOKEN_VALID}`;

/** An answer for a valid token, or null when the token is unknown, revoked or its user deactivated. */
export type ForToken<T> = { caller: Caller; value: T } | null;

/**
 * The extension's hot calls with its token checked in the same statement as the read, so each
 * costs one statement (one round trip to a server), a revoked token is still refused at once, and
 * its use is recorded as `tokenCaller` records it. The answers are the tickets service's own.
 */
export function createLean(hot: HotDb, accounts: Accounts, tickets: Tickets) {
  /** The token's caller from a statement's first row, its use noted; null: refused. */
  function callerOf(rows: unknown[][]): Caller | null {
    const r = rows[0];
    if (!r) return null;
    const caller = tokenCallerFromRow(r);
    accounts.noteTokenUse(caller.tokenId!);
    return caller;
  }

  return {
    /**
     * The stored answer when the page whose digest is `digest` is what this browser last sent
     * for the ticket and still its last (what `tickets.observe` would answer for that page,
     * writing nothing); null when the page must be sent.
     */
    async unchanged(
      token: string,
      key: { source: string; externalId: string; digest: string },
    ): Promise<ForToken<TicketWithSla | null>> {
      const [rows] = await hot.read([
        { sql: UNCHANGED, args: [key.source, key.externalId, tokenHash(token)] },
      ]);
      const caller = callerOf(rows!);
      if (!caller) return null;
      const row = rows![0]!.slice(CALLER_WIDTH);
      return { caller, value: await tickets.storedAnswer(caller.workspaceId, row, key.digest) };
    },

    /** Records a page as this browser saw it (`tickets.observe`). */
    async observe(token: string, snap: TicketSnapshot): Promise<ForToken<TicketWithSla>> {
      const caller = await accounts.tokenCaller(token);
      if (!caller) return null;
      return { caller, value: await tickets.observe(caller.workspaceId, snap, sourceOf(caller)) };
    },

    /** A ticket of the token's workspace with its SLA state now (null: no such ticket there). */
    async get(token: string, ticketId: string): Promise<ForToken<TicketWithSla | null>> {
      const hash = tokenHash(token);
      const [rows, events] = await hot.read([
        { sql: TICKET, args: [ticketId, hash] },
        { sql: EVENTS, args: [ticketId, hash] },
      ]);
      const caller = callerOf(rows!);
      if (!caller) return null;
      const row = rows![0]!.slice(CALLER_WIDTH);
      if (row[0] == null) return { caller, value: null };
      return { caller, value: await tickets.stateNow(caller.workspaceId, row, events!) };
    },

    /** Badges for a list's rows, from the badges stored with the SLA state of the tickets the workspace has seen. */
    async badges(
      token: string,
      source: string,
      externalIds: string[],
    ): Promise<ForToken<TicketBadge[]>> {
      const [rows] = await hot.read([
        { sql: BADGES, args: [source, JSON.stringify(externalIds), tokenHash(token)] },
      ]);
      const caller = callerOf(rows!);
      if (!caller) return null;
      const value = rows!.flatMap((r) => {
        const [externalId, ticketId, badge] = r.slice(CALLER_WIDTH) as (string | null)[];
        const b = ticketId ? badgeFromStored(externalId!, ticketId, badge ?? null) : null;
        return b ? [b] : [];
      });
      return { caller, value };
    },
  };
}
export type Lean = ReturnType<typeof createLean>;
