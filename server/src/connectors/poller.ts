import type { Client } from '@libsql/client';
import { agentNamesFor } from '@deskwatch/shared';
import { newId, unseal } from '../crypto.js';
import { repeatingPass } from '../log.js';
import type { Agents } from '../services/agents.js';
import { TOOLS } from './index.js';
import { checkPollUrl, type PollUrlPolicy } from './base-url.js';
import { jsonGetter, RateLimited, type PollPage, type PollSource } from './poll-source.js';
import type { Connectors } from './service.js';

/**
 * How long a claim on a connector holds: an instance that died mid-poll gives its connector up
 * after this, and another resumes from the stored cursor. Renewed with every page.
 */
export const POLL_LEASE_MS = 60_000;
/** The longest a failing tool is left alone between tries. */
export const MAX_BACKOFF_MS = 3_600_000;
/** Pages one connector gets per turn before others have theirs (a backfill goes on next turn). */
const PAGES_PER_TURN = 20;
/** Connectors claimed per tick. */
const CLAIM_BATCH = 10;

/** What the `cursor` column holds: the tool's cursor and how many tries in a row failed. */
interface Stored {
  at: unknown;
  errors: number;
}

export interface PollOutcome {
  connectorId: string;
  pages: number;
  tickets: number;
  /** caught-up: waits its interval; more: next turn goes on; waiting: rate limited or failing; lost: another instance took it over. */
  outcome: 'caught-up' | 'more' | 'waiting' | 'lost';
  error?: string;
}

const POLLED = () =>
  Object.values(TOOLS)
    .filter((t) => t.poll)
    .map((t) => t.id);

/**
 * Reads connected tools' APIs. Each turn claims the connectors due (`poll_not_before` passed)
 * through the database in one statement, setting `poll_not_before` to a lease: several instances
 * never poll one connector at once, and one that died is taken over when its lease runs out.
 * Pages are taken in through the connectors' intake (idempotent by each ticket version's id),
 * then the cursor is stored with a renewed lease, only while the lease is still ours; so a
 * restart resumes after the last page applied and a page applied twice changes nothing. A tool
 * that says to wait (`Retry-After`) is left alone that long; one that fails, with a backoff.
 */
export function createPoller(
  client: Client,
  now: () => number,
  connectors: Connectors,
  agents: Agents,
  key: Buffer | null,
  opts: {
    fetch?: typeof fetch;
    pagesPerTurn?: number;
    instanceId?: string;
    /** Which hosts the tools' APIs may be on (`base-url.ts`); without it, any. */
    urls?: PollUrlPolicy;
  } = {},
) {
  const { urls } = opts;
  const get = jsonGetter(
    opts.fetch ?? fetch,
    now,
    urls ? (url: string) => checkPollUrl(url, urls) : undefined,
  );
  const pagesPerTurn = opts.pagesPerTurn ?? PAGES_PER_TURN;
  const instanceId = opts.instanceId ?? newId();

  async function claim(t: number) {
    const rs = await client.execute({
      sql: `UPDATE connectors SET poll_not_before = ?
            WHERE id IN (SELECT id FROM connectors
                         WHERE enabled = 1 AND api_token IS NOT NULL
                           AND tool IN (SELECT value FROM json_each(?))
                           AND COALESCE(poll_not_before, 0) <= ?
                         ORDER BY COALESCE(poll_not_before, 0) LIMIT ?)
            RETURNING id, workspace_id, tool, config, api_token, cursor`,
      args: [t + POLL_LEASE_MS, JSON.stringify(POLLED()), t, CLAIM_BATCH],
    });
    return rs.rows.map((r) => ({
      id: r[0] as string,
      workspaceId: r[1] as string,
      tool: r[2] as string,
      config: r[3] as string,
      apiToken: r[4] as string,
      cursor: r[5] as string | null,
      lease: t + POLL_LEASE_MS,
    }));
  }

  /**
   * Stores where the poll got to and when to come back, if the lease is still `lease`; false:
   * another instance holds it now (this one stops without writing).
   */
  async function save(
    id: string,
    lease: number,
    state: Stored,
    notBefore: number,
    extra: { progress?: PollPage['progress']; error?: string } = {},
  ) {
    const rs = await client.execute({
      sql: `UPDATE connectors SET cursor = ?, poll_not_before = ?,
              backfill = COALESCE(?, backfill),
              failures = failures + ?, last_error = COALESCE(?, last_error),
              last_error_at = CASE WHEN ? IS NULL THEN last_error_at ELSE ? END
            WHERE id = ? AND poll_not_before = ?`,
      args: [
        JSON.stringify(state),
        notBefore,
        extra.progress ? JSON.stringify(extra.progress) : null,
        extra.error ? 1 : 0,
        extra.error ?? null,
        extra.error ?? null,
        now(),
        id,
        lease,
      ],
    });
    return rs.rowsAffected === 1;
  }

  async function pollOne(c: Awaited<ReturnType<typeof claim>>[number]): Promise<PollOutcome> {
    const out: PollOutcome = { connectorId: c.id, pages: 0, tickets: 0, outcome: 'more' };
    const tool = TOOLS[c.tool]!;
    const src = tool.poll as PollSource<unknown>;
    const config: unknown = JSON.parse(c.config);
    let state: Stored = c.cursor
      ? (JSON.parse(c.cursor) as Stored)
      : { at: src.start(config, now()), errors: 0 };
    let lease = c.lease;
    const fail = async (error: string, waitMs: number) => {
      out.outcome = (await save(c.id, lease, state, now() + waitMs, { error }))
        ? 'waiting'
        : 'lost';
      out.error = error;
      return out;
    };
    if (!key) return fail('CONNECTOR_SECRET_KEY is not set on the server', MAX_BACKOFF_MS);
    let token: string;
    try {
      token = unseal(key, c.apiToken);
    } catch {
      return fail('The API token cannot be read with this server key: rotate it', MAX_BACKOFF_MS);
    }
    const names = agentNamesFor(await agents.list(c.workspaceId), tool.source);
    for (let i = 0; i < pagesPerTurn; i++) {
      let page: PollPage;
      try {
        page = await src.page({ config, token, agents: names, get, now: now() }, state.at);
      } catch (err) {
        if (err instanceof RateLimited)
          return fail(`${tool.name}: ${err.message}`, err.retryAfterMs);
        state = { ...state, errors: state.errors + 1 };
        const backoff = Math.min(src.intervalMs(config) * 2 ** state.errors, MAX_BACKOFF_MS);
        return fail(`${tool.name}: ${(err as Error).message}`, backoff);
      }
      // The page commits whole (on a local file), before its cursor is stored.
      out.tickets += await connectors.ingestPage(c.id, page.tickets);
      out.pages++;
      state = { at: page.cursor, errors: 0 };
      const t = now();
      const next = page.more ? t + POLL_LEASE_MS : t + src.intervalMs(config);
      const progress = page.progress ? { progress: page.progress } : {};
      if (!(await save(c.id, lease, state, next, progress))) {
        out.outcome = 'lost';
        return out;
      }
      if (!page.more) {
        out.outcome = 'caught-up';
        return out;
      }
      lease = next;
    }
    // Its turn is over: due again at once, so the next tick goes on where this one stopped.
    if (!(await save(c.id, lease, state, now()))) out.outcome = 'lost';
    return out;
  }

  /** One pass: polls every connector due at `t` (each claimed by this instance only). */
  async function tick(t = now()): Promise<PollOutcome[]> {
    const outcomes: PollOutcome[] = [];
    for (const c of await claim(t)) outcomes.push(await pollOne(c));
    return outcomes;
  }

  const loop = repeatingPass('[poller] tick', tick, { now });
  return {
    instanceId,
    tick,
    /** Runs `tick` every `intervalMs` until `stop`; passes never overlap. */
    start(intervalMs = 5_000) {
      loop.start(intervalMs);
    },
    stop: () => loop.stop(),
  };
}
export type Poller = ReturnType<typeof createPoller>;
