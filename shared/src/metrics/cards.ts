import { ageBucket, median, type AgeBucket, type Period } from './definitions.js';

/** An escalation as the escalation card needs it. */
export interface EscalationRow {
  ticketId: string;
  subject: string;
  type: string;
  severity: string;
  state: string;
  createdAt: number;
  decidedAt: number | null;
  /** Its page went past its first level (a level's timeout passed with nobody deciding). */
  pastTimeout: boolean;
}

export interface EscalationStats {
  total: number;
  byType: Record<string, number>;
  bySeverity: Record<string, number>;
  approved: number;
  denied: number;
  /** approved / (approved + denied), of those requested in the period; null when none decided. */
  approvalRate: number | null;
  /** Median of decision instant minus request instant, over the approved and denied. */
  medianDecisionMs: number | null;
  /** Waited past a level's timeout (paged on) or expired undecided. */
  waitedPastTimeout: number;
  /** Tickets escalated twice or more in the period. */
  repeat: { ticketId: string; subject: string; count: number }[];
}

const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/**
 * The escalation card over the escalations requested in `period`: count by type and severity,
 * approval rate and median time to decision of those decided, how many waited past a level's
 * timeout, and the tickets escalated more than once.
 */
export function escalationStats(rows: readonly EscalationRow[], period: Period): EscalationStats {
  const s: EscalationStats = {
    total: 0,
    byType: {},
    bySeverity: {},
    approved: 0,
    denied: 0,
    approvalRate: null,
    medianDecisionMs: null,
    waitedPastTimeout: 0,
    repeat: [],
  };
  const waits: number[] = [];
  const per = new Map<string, { ticketId: string; subject: string; count: number }>();
  for (const e of rows) {
    if (e.createdAt < period.from || e.createdAt >= period.to) continue;
    s.total++;
    inc(s.byType, e.type);
    inc(s.bySeverity, e.severity);
    if (e.state === 'approved') s.approved++;
    if (e.state === 'denied') s.denied++;
    if ((e.state === 'approved' || e.state === 'denied') && e.decidedAt !== null)
      waits.push(e.decidedAt - e.createdAt);
    if (e.pastTimeout || e.state === 'expired') s.waitedPastTimeout++;
    const r = per.get(e.ticketId) ?? { ticketId: e.ticketId, subject: e.subject, count: 0 };
    r.count++;
    per.set(e.ticketId, r);
  }
  const decided = s.approved + s.denied;
  s.approvalRate = decided ? s.approved / decided : null;
  s.medianDecisionMs = median(waits);
  s.repeat = [...per.values()]
    .filter((r) => r.count >= 2)
    .sort((a, b) => b.count - a.count || a.ticketId.localeCompare(b.ticketId));
  return s;
}

/** A ticket behind a number, as the drill-down lists it (what `metricTickets` rows become). */
export interface AgentTicketRow {
  assignee: string | null;
  businessMs?: number | null;
  note?: string | null;
  at?: number | null;
}

export interface AgentStats {
  /** As the tool names them; null for unassigned tickets. */
  assignee: string | null;
  /** Tickets solved in the period. */
  handled: number;
  /** Open tickets at the end of the period. */
  open: number;
  firstResponseMedianMs: number | null;
  /** Breached targets in the period. */
  breaches: number;
  /** Tickets reopened in the period / tickets solved in it; null with none solved. */
  reopenRate: number | null;
}

/**
 * The agents card: per assignee, from the tickets behind the solved, backlog, first response,
 * breaches and reopened numbers (so each agent's figures add up to the team's), busiest first.
 */
export function agentStats(rows: {
  solved: readonly AgentTicketRow[];
  backlog: readonly AgentTicketRow[];
  firstResponse: readonly AgentTicketRow[];
  breaches: readonly AgentTicketRow[];
  reopened: readonly AgentTicketRow[];
}): AgentStats[] {
  const by = new Map<string | null, AgentStats & { times: number[]; reopened: number }>();
  const of = (a: string | null) => {
    let s = by.get(a);
    if (!s) {
      s = {
        assignee: a,
        handled: 0,
        open: 0,
        firstResponseMedianMs: null,
        breaches: 0,
        reopenRate: null,
        times: [],
        reopened: 0,
      };
      by.set(a, s);
    }
    return s;
  };
  for (const r of rows.solved) of(r.assignee).handled++;
  for (const r of rows.backlog) of(r.assignee).open++;
  for (const r of rows.firstResponse)
    if (typeof r.businessMs === 'number') of(r.assignee).times.push(r.businessMs);
  // A row per ticket; its note lists each breached target ("first_response breached, ...").
  for (const r of rows.breaches) of(r.assignee).breaches += r.note ? r.note.split(', ').length : 1;
  for (const r of rows.reopened) of(r.assignee).reopened++;
  return [...by.values()]
    .map(({ times, reopened, ...s }) => ({
      ...s,
      firstResponseMedianMs: median(times),
      reopenRate: s.handled ? reopened / s.handled : null,
    }))
    .sort(
      (a, b) =>
        b.handled + b.open - (a.handled + a.open) ||
        (a.assignee ?? '\uffff').localeCompare(b.assignee ?? '\uffff'),
    );
}

/** Backlog at `at` by status category and age bucket, from the backlog drill-down's rows. */
export function backlogBreakdown(
  rows: readonly { note?: string | null; at?: number | null }[],
  at: number,
) {
  const byCategory: Record<string, number> = {};
  const byAge: Record<AgeBucket, number> = { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 };
  for (const r of rows) {
    inc(byCategory, r.note ?? 'unknown');
    if (typeof r.at === 'number') byAge[ageBucket(at - r.at)]++;
  }
  return { open: rows.length, byCategory, byAge };
}
