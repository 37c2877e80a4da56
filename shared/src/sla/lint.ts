import { DONE_CATEGORIES, PRIORITIES, STATUS_CATEGORIES } from '../domain.js';
import { calendarSpec, type CalendarSpec } from '../calendar/spec.js';
import { WEEKDAYS } from '../constants.js';
import { SLA_METRICS, type SlaPolicy } from './policy.js';

export interface LintIssue {
  severity: 'error' | 'warning';
  /** Index of the policy in the ordered list. */
  policy: number;
  message: string;
}

const OPEN_CATEGORIES = STATUS_CATEGORIES.filter((c) => !DONE_CATEGORIES.includes(c));

function hasOpenTime(spec: CalendarSpec): boolean {
  const hours = calendarSpec.parse(spec).hours;
  return hours === '24x7' || WEEKDAYS.some((d) => hours[d].length > 0);
}

/** Whether every ticket matched by `later` is also matched by `earlier`. */
function covers(earlier: SlaPolicy['conditions'], later: SlaPolicy['conditions']): boolean {
  const within = (e: readonly string[] | undefined, l: readonly string[] | undefined) =>
    e === undefined || (l !== undefined && l.every((x) => e.includes(x)));
  return (
    within(earlier.sources, later.sources) &&
    within(earlier.priorities, later.priorities) &&
    within(earlier.categories, later.categories) &&
    within(earlier.tags, later.tags) &&
    within(earlier.requesterOrgs, later.requesterOrgs)
  );
}

/**
 * Checks an ordered list of policies against the workspace's calendars. Errors are
 * configurations that can never work (a clock that can never start or is always paused);
 * warnings are ones that are very likely mistakes (a policy no ticket can reach).
 * @example
 * lintPolicies([{ ...defaultPolicy, calendarId: 'nope' }], {}) // [{ severity: 'error', policy: 0, message: '…unknown calendar "nope"' }]
 */
export function lintPolicies(
  policies: readonly SlaPolicy[],
  calendars: Readonly<Record<string, CalendarSpec>>,
): LintIssue[] {
  const issues: LintIssue[] = [];
  policies.forEach((p, i) => {
    const err = (message: string) =>
      issues.push({ severity: 'error', policy: i, message: `Policy "${p.name}": ${message}` });
    const warn = (message: string) =>
      issues.push({ severity: 'warning', policy: i, message: `Policy "${p.name}": ${message}` });
    const businessTargets = SLA_METRICS.some((m) =>
      Object.values(p.targets[m]).some((t) => t?.clock === 'business'),
    );
    if (p.calendarId !== null) {
      const cal = calendars[p.calendarId];
      if (!cal) err(`uses an unknown calendar "${p.calendarId}"`);
      else if (businessTargets && !hasOpenTime(cal))
        err(
          `its calendar "${p.calendarId}" has no business hours, so business-time clocks can never start`,
        );
    }
    const priorities = p.conditions.priorities ?? PRIORITIES;
    if (!SLA_METRICS.some((m) => priorities.some((pr) => p.targets[m][pr] !== undefined))) {
      err(
        `has no target for ${p.conditions.priorities ? 'the priorities it applies to' : 'any priority'}, so no clock can start`,
      );
    }
    for (const m of SLA_METRICS) {
      if (Object.keys(p.targets[m]).length === 0) continue;
      const cats = p.conditions.categories ?? OPEN_CATEGORIES;
      if (cats.filter((c) => !DONE_CATEGORIES.includes(c)).every((c) => p.pauseOn[m].includes(c))) {
        err(
          `${m.replace('_', ' ')} is paused in every status it can run in, so it is always paused`,
        );
      }
    }
    if (
      p.conditions.categories &&
      p.conditions.categories.every((c) => DONE_CATEGORIES.includes(c))
    ) {
      err('applies only to solved or closed tickets, where no clock runs');
    }
    for (const m of p.warnings.beforeDueMinutes) {
      const all = SLA_METRICS.flatMap((metric) =>
        Object.values(p.targets[metric]).map((t) => t!.minutes),
      );
      if (all.length > 0 && all.every((t) => t <= m))
        warn(
          `the warning ${m} minutes before due is longer than every target, so it fires at once`,
        );
    }
    const shadow = policies.slice(0, i).findIndex((q) => covers(q.conditions, p.conditions));
    if (shadow >= 0)
      warn(
        `never applies: every ticket it matches is matched first by "${policies[shadow]!.name}"`,
      );
  });
  return issues;
}
