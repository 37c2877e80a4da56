import type { SlaState, TargetState } from '@deskwatch/shared';

/** A list row's badge as stored beside the SLA state (`ticket_sla.badge_json`): no ticket keys. */
export interface StoredBadge {
  metric: TargetState['metric'];
  status: TargetState['status'];
  breached: boolean;
  clock: TargetState['clock'];
  /** When the clock is due (null while paused before a breach). */
  dueAt: number | null;
  /** As of `computedAt`; for a paused clock, what is left when it resumes. */
  remainingMs: number;
  targetMs: number;
  computedAt: number;
  /** The clock stopped before the ticket was first seen, at a time no page showed. */
  outcomeUnknown?: true;
}

/**
 * The target a list badge shows: the running clock due first, else the paused one with the least
 * left, else the first breached, else the last. The migration that added `badge_json` backfills
 * with the same choice in SQL (`drizzle/0033_sla_badge.sql`); a test keeps the two equal.
 */
export function badgeTarget(targets: TargetState[]): TargetState | null {
  const live = targets.filter((t) => t.stoppedAt === null);
  const byDue = (a: TargetState, b: TargetState) =>
    (a.dueAt ?? Number.POSITIVE_INFINITY) - (b.dueAt ?? Number.POSITIVE_INFINITY);
  return (
    live.filter((t) => t.status !== 'paused').sort(byDue)[0] ??
    live.sort((a, b) => a.remainingMs - b.remainingMs)[0] ??
    targets.find((t) => t.breached) ??
    targets.at(-1) ??
    null
  );
}

/** A state's badge, as its writers store it next to the state (null: no clock to show). */
export function storedBadge(state: SlaState): StoredBadge | null {
  const t = badgeTarget(state.targets);
  if (!t) return null;
  return {
    metric: t.metric,
    status: t.status,
    breached: t.breached,
    clock: t.clock,
    dueAt: t.dueAt,
    remainingMs: t.remainingMs,
    targetMs: t.targetMs,
    computedAt: state.computedAt,
    ...(t.outcomeUnknown ? { outcomeUnknown: true as const } : {}),
  };
}

/** `badge_json` for a state: what every writer of `ticket_sla` stores with `state_json`. */
export const badgeJson = (state: SlaState): string | null => {
  const b = storedBadge(state);
  return b ? JSON.stringify(b) : null;
};
