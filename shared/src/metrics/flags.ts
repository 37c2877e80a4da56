import type { RedFlagRule, RedFlagRules } from '../schemas/flags.js';

const DAY = 86_400_000;

/** What the rules look at, gathered by the server at one instant. */
export interface RedFlagInputs {
  /** Backlog at the end of each complete local day, oldest first. */
  backlog: { day: string; value: number | null }[];
  /** SLA compliance over the last 7 days: met / concluded, null when none concluded. */
  compliance: { rate: number | null; met: number; concluded: number };
  /** Tickets created per tag in the last 7 days and in the 7 before. */
  tagVolume: { current: Record<string, number>; previous: Record<string, number> };
  /** Escalations requested in the last `repeat_escalations.days` days: their ticket and subject. */
  escalations: { ticketId: string; subject: string }[];
  /** Open tickets (not solved or closed): when each was created. */
  open: { ticketId: string; createdAt: number }[];
}

/** One raised flag: which rule, what about (a tag, a ticket, or '' for the whole desk), its numbers. */
export interface RaisedFlag {
  rule: RedFlagRule;
  subject: string;
  title: string;
  numbers: Record<string, number | string>;
}

/**
 * The run of rises at the end of a daily series: how many days in a row the value went up, and
 * the points of the run (the day before the first rise, then each rising day). Null points end it.
 * @example risingRun([{ day: 'a', value: 5 }, { day: 'b', value: 6 }, { day: 'c', value: 8 }]).rises // 2
 */
export function risingRun(series: readonly { day: string; value: number | null }[]) {
  let i = series.length - 1;
  while (i > 0) {
    const cur = series[i]!.value;
    const prev = series[i - 1]!.value;
    if (cur === null || prev === null || cur <= prev) break;
    i--;
  }
  const points = series.length ? series.slice(i) : [];
  return { rises: Math.max(0, points.length - 1), points };
}

/** Tags whose volume rose against the previous period, most first: `current` above `previous`. */
export function risingTags(
  current: Record<string, number>,
  previous: Record<string, number>,
): { tag: string; current: number; previous: number }[] {
  return Object.entries(current)
    .map(([tag, n]) => ({ tag, current: n, previous: previous[tag] ?? 0 }))
    .filter((t) => t.current > t.previous)
    .sort(
      (a, b) => b.current - b.previous - (a.current - a.previous) || a.tag.localeCompare(b.tag),
    );
}

/**
 * Tags spiking: at least `minCount` tickets in the period and at least `ratio` times the previous
 * period's (a tag absent before spikes once it reaches `minCount`).
 */
export function spikingTags(
  current: Record<string, number>,
  previous: Record<string, number>,
  ratio: number,
  minCount: number,
) {
  return risingTags(current, previous).filter(
    (t) => t.current >= minCount && t.current >= ratio * t.previous,
  );
}

/** Tickets escalated `count` times or more, most first: each with its number of escalations. */
export function repeatEscalations(
  escalations: readonly { ticketId: string; subject: string }[],
  count: number,
): { ticketId: string; subject: string; count: number }[] {
  const by = new Map<string, { ticketId: string; subject: string; count: number }>();
  for (const e of escalations) {
    const r = by.get(e.ticketId) ?? { ticketId: e.ticketId, subject: e.subject, count: 0 };
    r.count++;
    by.set(e.ticketId, r);
  }
  return [...by.values()]
    .filter((r) => r.count >= count)
    .sort((a, b) => b.count - a.count || a.ticketId.localeCompare(b.ticketId));
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/**
 * Every flag the enabled rules raise on `inputs` at `now`. A flag is a condition, not an event:
 * the server raises it (and pushes) when it first holds and clears it when it no longer does.
 */
export function evaluateRedFlags(
  inputs: RedFlagInputs,
  rules: RedFlagRules,
  now: number,
): RaisedFlag[] {
  const out: RaisedFlag[] = [];
  if (rules.backlog_rising.enabled) {
    const run = risingRun(inputs.backlog);
    if (run.rises >= rules.backlog_rising.days) {
      const first = run.points[0]!;
      const last = run.points[run.points.length - 1]!;
      out.push({
        rule: 'backlog_rising',
        // One occurrence per run: it holds while the backlog keeps rising and clears when it stops.
        subject: '',
        title: `Backlog rising ${run.rises} days in a row: ${first.value} to ${last.value}`,
        numbers: { days: run.rises, from: first.value!, to: last.value!, since: first.day },
      });
    }
  }
  const c = inputs.compliance;
  if (
    rules.compliance_under_target.enabled &&
    c.rate !== null &&
    c.rate < rules.compliance_under_target.target
  )
    out.push({
      rule: 'compliance_under_target',
      subject: '',
      title: `SLA compliance ${pct(c.rate)} over 7 days, under the ${pct(rules.compliance_under_target.target)} target`,
      numbers: {
        rate: c.rate,
        met: c.met,
        concluded: c.concluded,
        target: rules.compliance_under_target.target,
      },
    });
  if (rules.category_spike.enabled) {
    const { ratio, minCount } = rules.category_spike;
    for (const t of spikingTags(
      inputs.tagVolume.current,
      inputs.tagVolume.previous,
      ratio,
      minCount,
    ))
      out.push({
        rule: 'category_spike',
        subject: t.tag,
        title: `“${t.tag}” spiking: ${t.current} tickets in 7 days, ${t.previous} the 7 before`,
        numbers: { tag: t.tag, current: t.current, previous: t.previous },
      });
  }
  if (rules.repeat_escalations.enabled)
    for (const r of repeatEscalations(inputs.escalations, rules.repeat_escalations.count))
      out.push({
        rule: 'repeat_escalations',
        subject: r.ticketId,
        title: `Escalated ${r.count} times in ${rules.repeat_escalations.days} days: ${r.subject}`,
        numbers: {
          ticketId: r.ticketId,
          escalations: r.count,
          days: rules.repeat_escalations.days,
        },
      });
  if (rules.aging_tickets.enabled) {
    const limit = rules.aging_tickets.days * DAY;
    const aging = inputs.open.filter((t) => now - t.createdAt >= limit);
    if (aging.length) {
      const oldest = Math.min(...aging.map((t) => t.createdAt));
      out.push({
        rule: 'aging_tickets',
        subject: '',
        title: `${aging.length} ticket${aging.length === 1 ? '' : 's'} open over ${rules.aging_tickets.days} days`,
        numbers: {
          tickets: aging.length,
          days: rules.aging_tickets.days,
          oldestDays: Math.floor((now - oldest) / DAY),
        },
      });
    }
  }
  return out;
}
