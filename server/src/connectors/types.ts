import type { z } from 'zod';
import type { Priority, StatusCategory } from '@deskwatch/shared';
import type { PollSource } from './poll-source.js';

/**
 * What a connector learns about one ticket from one delivery or poll, in the tool's own terms
 * already mapped to ours, with the tool's own timestamps (epoch ms).
 */
export interface TicketUpdate {
  externalId: string;
  url: string;
  /** The ticket's current fields, as far as this event says (left out: unchanged). */
  fields: {
    subject?: string;
    status?: string;
    statusCategory?: StatusCategory;
    priority?: Priority;
    requester?: string;
    requesterOrg?: string | null;
    assignee?: string | null;
    tags?: string[];
    createdAt?: number;
  };
  changes: Change[];
  /** When the tool says this happened (for lag). */
  toolAt: number;
}

/** One fact with the tool's id for it: the same fact delivered twice is one event. */
export type Change =
  | {
      type: 'created';
      id: string;
      at: number;
      status: string;
      category: StatusCategory;
      priority: Priority;
      /**
       * Key the status and priority at creation as the tool's pages do, by instant and value
       * with no id (their history lists start so), so that seen both ways they are one event.
       */
      asPages?: boolean;
    }
  | { type: 'status'; id: string; at: number; status: string; category: StatusCategory }
  | { type: 'priority'; id: string; at: number; priority: Priority }
  | {
      type: 'message';
      id: string;
      at: number;
      author: 'agent' | 'customer' | 'bot';
      public: boolean;
    };

/** A delivery read: its id (for idempotency) and what it says, or nothing we track (a ping). */
export interface ParsedDelivery {
  deliveryId: string;
  updates: TicketUpdate[];
  /** What it was, for the health view (`zen:event-type:ticket.created`, `issues.closed`). */
  kind: string;
}

export interface RequestParts {
  headers: Headers;
  /** The raw body, exactly as received (signatures cover its bytes). */
  body: string;
  /** When we received it (epoch ms), for tools whose payload carries no time of its own. */
  receivedAt?: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** How far a signed timestamp may be from our clock before the request counts as a replay. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** One file per tool (`zendesk.ts`, `github.ts`), the id from the filename, run by one service. */
export interface ConnectorTool<
  C = unknown,
  P extends ParsedDelivery | Promise<ParsedDelivery> = ParsedDelivery,
> {
  id: string;
  name: string;
  /** The adapter id its tickets carry, so the connector's ticket and the page's are one. */
  source: string;
  /** Its settings that are not secret (zod: refused whole when wrong). */
  config: z.ZodType<C>;
  /** How the tool signs a webhook, checked against the shared secret. */
  verify(req: RequestParts, secret: string, now: number, config?: C): Verdict;
  /** Reads a verified body; throws (with a message for the admin) when it is malformed. */
  parse(req: RequestParts, config: C): P;
  /** The adapter id when the settings choose it (the generic webhook); else `source`. */
  sourceOf?(config: C): string;
  /** A sample delivery as the tool would send it, for "send a test event". */
  sample(config: C, now: number): { body: string; sign(secret: string, now: number): Headers };
  /** How Deskwatch reads the tool's API with the connector's token (`poller.ts`), if it can. */
  poll?: PollSource<C>;
  /** Polled (with an API token) and sending webhooks too (Zendesk); else polled means API only. */
  webhooksToo?: boolean;
}

/** Any tool, as the service runs it (the generic webhook reads asynchronously). */
export type AnyTool<C = unknown> = ConnectorTool<C, ParsedDelivery | Promise<ParsedDelivery>>;
