import { DONE_CATEGORIES, type Priority, type StatusCategory } from '../domain.js';
import type { Calendar } from './calendar.js';
import { sortEvents, type TicketEvent } from './events.js';
import { SLA_METRICS, isPaused, targetMinutes, type SlaMetric, type SlaPolicy } from './policy.js';

export type TargetStatus = 'running' | 'paused' | 'met' | 'breached';

export interface TargetState {
  metric: SlaMetric;
  status: TargetStatus;
  /** True once the target was missed, whether the clock still runs, is paused or has stopped. */
  breached: boolean;
  targetMs: number;
  /** Business time consumed so far. */
  elapsedMs: number;
  /** `targetMs - elapsedMs`: negative once breached. */
  remainingMs: number;
  /** The instant the target is (or was) due; null while paused before a breach, since it is not known yet. */
  dueAt: number | null;
  /** When the clock stopped for good (the response or the resolution), if it did. */
  stoppedAt: number | null;
  /** The status category holding the clock, while paused. */
  pausedBy: StatusCategory | null;
  percentUsed: number;
}

export interface SlaState {
  computedAt: number;
  calendarId: string;
  priority: Priority;
  category: StatusCategory;
  targets: TargetState[];
}

interface Timeline {
  created: number;
  /** Instants where something that matters to a clock changes, ascending, all < now. */
  points: { at: number; category: StatusCategory; priority: Priority; firstPublicReply: boolean }[];
  priority: Priority;
  category: StatusCategory;
}

function buildTimeline(events: readonly TicketEvent[], now: number): Timeline {
  const sorted = sortEvents(events).filter((e) => e.at <= now);
  const createdEvent = sorted.find((e) => e.type === 'created');
  const created = createdEvent?.at ?? sorted[0]?.at ?? now;
  let category: StatusCategory = 'new';
  let priority: Priority = 'normal';
  let replied = false;
  const points: Timeline['points'] = [];
  for (const e of sorted) {
    let firstPublicReply = false;
    if (e.type === 'status') category = e.category;
    else if (e.type === 'priority') priority = e.priority;
    else if (
      e.type === 'message' &&
      e.author === 'agent' &&
      e.public &&
      !replied &&
      e.at >= created
    ) {
      replied = true;
      firstPublicReply = true;
    }
    const at = Math.max(e.at, created);
    const last = points[points.length - 1];
    if (last && last.at === at) {
      last.category = category;
      last.priority = priority;
      last.firstPublicReply ||= firstPublicReply;
    } else {
      points.push({ at, category, priority, firstPublicReply });
    }
  }
  if (points.length === 0)
    points.push({ at: created, category, priority, firstPublicReply: false });
  return { created, points, priority, category };
}

function clockRuns(policy: SlaPolicy, metric: SlaMetric, category: StatusCategory): boolean {
  if (isPaused(policy, metric, category)) return false;
  return !DONE_CATEGORIES.includes(category);
}

function metricState(
  tl: Timeline,
  policy: SlaPolicy,
  metric: SlaMetric,
  calendar: Calendar,
  now: number,
): TargetState | null {
  const minutes = targetMinutes(policy, metric, tl.priority);
  if (minutes === undefined) return null;
  const targetMs = minutes * 60_000;
  let elapsed = 0;
  let breachAt: number | null = null;
  let stoppedAt: number | null = null;
  for (let i = 0; i < tl.points.length; i++) {
    const p = tl.points[i]!;
    // First response ends at the first public agent reply; both metrics end when the ticket is done.
    // A reopen continues the resolution clock (same cycle); a first response, once given, stays given.
    if (metric === 'first_response' && p.firstPublicReply) {
      stoppedAt = p.at;
      break;
    }
    if (metric === 'first_response' && DONE_CATEGORIES.includes(p.category)) {
      stoppedAt = p.at;
      break;
    }
    const end = tl.points[i + 1]?.at ?? now;
    if (!clockRuns(policy, metric, p.category) || end <= p.at) continue;
    const span = calendar.businessBetween(p.at, end);
    if (breachAt === null && elapsed + span >= targetMs) {
      breachAt = calendar.addBusiness(p.at, targetMs - elapsed);
    }
    elapsed += span;
  }
  if (metric === 'resolution' && DONE_CATEGORIES.includes(tl.category)) {
    stoppedAt = lastDoneSince(tl);
  }
  const remainingMs = targetMs - elapsed;
  const breached = breachAt !== null;
  const running = stoppedAt === null && clockRuns(policy, metric, tl.category);
  const pausedBy = stoppedAt === null && !running ? tl.category : null;
  let status: TargetStatus;
  if (breached) status = 'breached';
  else if (stoppedAt !== null) status = 'met';
  else status = running ? 'running' : 'paused';
  const dueAt = breachAt ?? (running ? calendar.addBusiness(now, remainingMs) : null);
  return {
    metric,
    status,
    breached,
    targetMs,
    elapsedMs: elapsed,
    remainingMs,
    dueAt,
    stoppedAt,
    pausedBy,
    percentUsed: Math.round((elapsed / targetMs) * 1000) / 10,
  };
}

/** When the ticket last entered a done category. */
function lastDoneSince(tl: Timeline): number {
  let since = tl.created;
  for (let i = 0; i < tl.points.length; i++) {
    const p = tl.points[i]!;
    const prev = tl.points[i - 1];
    if (DONE_CATEGORIES.includes(p.category) && (!prev || !DONE_CATEGORIES.includes(prev.category)))
      since = p.at;
  }
  return since;
}

/**
 * The SLA state of a ticket from its event log.
 * Clocks run in business time of `calendar`, stop while the status category is in the
 * metric's pause set, and use the target of the ticket's current priority (a priority change
 * keeps elapsed and paused time). Events after `now` are ignored, so the same log gives the
 * same answer for the same `now`.
 * @example
 * computeSlaState(
 *   [{ type: 'created', at: Date.parse('2026-03-27T09:00:00Z') }, { type: 'priority', at: Date.parse('2026-03-27T09:00:00Z'), priority: 'high' }],
 *   defaultPolicy, calendar24x7, Date.parse('2026-03-27T09:20:00Z'),
 * ).targets[0] // { metric: 'first_response', status: 'running', remainingMs: 2_400_000, ... }
 */
export function computeSlaState(
  events: readonly TicketEvent[],
  policy: SlaPolicy,
  calendar: Calendar,
  now: number,
): SlaState {
  const tl = buildTimeline(events, now);
  const targets = SLA_METRICS.map((m) => metricState(tl, policy, m, calendar, now)).filter(
    (t): t is TargetState => t !== null,
  );
  return {
    computedAt: now,
    calendarId: calendar.id,
    priority: tl.priority,
    category: tl.category,
    targets,
  };
}

/**
 * Moves a computed target forward to `now` without the event log, as the overlay does every
 * second: only a running clock advances. Pure; the input is not changed.
 */
export function projectTarget(
  t: TargetState,
  calendar: Calendar,
  computedAt: number,
  now: number,
): TargetState {
  const clockRunning = t.stoppedAt === null && t.pausedBy === null;
  if (!clockRunning) return t;
  const elapsedMs = t.elapsedMs + calendar.businessBetween(computedAt, Math.max(computedAt, now));
  const remainingMs = t.targetMs - elapsedMs;
  const breached = remainingMs <= 0;
  return {
    ...t,
    elapsedMs,
    remainingMs,
    breached,
    status: breached ? 'breached' : 'running',
    percentUsed: Math.round((elapsedMs / t.targetMs) * 1000) / 10,
  };
}
