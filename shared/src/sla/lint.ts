import { DONE_CATEGORIES, PRIORITIES, STATUS_CATEGORIES } from '../domain.js';
import { calendarSpec, type CalendarSpec } from '../calendar/spec.js';
import { WEEKDAYS, type Weekday } from '../constants.js';
import { SLA_METRICS, type SlaPolicy } from './policy.js';

export interface LintIssue {
  severity: 'error' | 'warning';
  /** Index of the policy in the ordered list; -1 for an issue of a calendar. */
  policy: number;
  message: string;
  /**
   * Where in the policy (or calendar) the issue lies, as a zod issue's path, so that a form
   * shows it next to that field: `['targets', 'first_response']`, `['hours', 'mon', 0]`.
   */
  path: (string | number)[];
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
    const err = (message: string, path: (string | number)[]) =>
      issues.push({
        severity: 'error',
        policy: i,
        message: `Policy "${p.name}": ${message}`,
        path,
      });
    const warn = (message: string, path: (string | number)[]) =>
      issues.push({
        severity: 'warning',
        policy: i,
        message: `Policy "${p.name}": ${message}`,
        path,
      });
    const businessTargets = SLA_METRICS.some((m) =>
      Object.values(p.targets[m]).some((t) => t?.clock === 'business'),
    );
    if (p.calendarId !== null) {
      const cal = calendars[p.calendarId];
      if (!cal) err(`uses an unknown calendar "${p.calendarId}"`, ['calendarId']);
      else if (businessTargets && !hasOpenTime(cal))
        err(
          `its calendar "${p.calendarId}" has no business hours, so business-time clocks can never start`,
          ['calendarId'],
        );
    }
    const priorities = p.conditions.priorities ?? PRIORITIES;
    if (!SLA_METRICS.some((m) => priorities.some((pr) => p.targets[m][pr] !== undefined))) {
      err(
        `has no target for ${p.conditions.priorities ? 'the priorities it applies to' : 'any priority'}, so no clock can start`,
        ['targets'],
      );
    }
    for (const m of SLA_METRICS) {
      if (Object.keys(p.targets[m]).length === 0) continue;
      const cats = p.conditions.categories ?? OPEN_CATEGORIES;
      if (cats.filter((c) => !DONE_CATEGORIES.includes(c)).every((c) => p.pauseOn[m].includes(c))) {
        err(
          `${m.replace('_', ' ')} is paused in every status it can run in, so it is always paused`,
          ['pauseOn', m],
        );
      }
    }
    if (
      p.conditions.categories &&
      p.conditions.categories.every((c) => DONE_CATEGORIES.includes(c))
    ) {
      err('applies only to solved or closed tickets, where no clock runs', [
        'conditions',
        'categories',
      ]);
    }
    for (const m of p.warnings.beforeDueMinutes) {
      const all = SLA_METRICS.flatMap((metric) =>
        Object.values(p.targets[metric]).map((t) => t!.minutes),
      );
      if (all.length > 0 && all.every((t) => t <= m))
        warn(
          `the warning ${m} minutes before due is longer than every target, so it fires at once`,
          ['warnings', 'beforeDueMinutes'],
        );
    }
    const shadow = policies.slice(0, i).findIndex((q) => covers(q.conditions, p.conditions));
    if (shadow >= 0)
      warn(
        `never applies: every ticket it matches is matched first by "${policies[shadow]!.name}"`,
        ['conditions'],
      );
  });
  return issues;
}

/** Weekday names as people read them, for messages and forms. */
export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
/** An overnight opening longer than this is more likely a day shift typed backwards. */
const LONGEST_LIKELY_NIGHT_MIN = 12 * 60;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const duration = (min: number) =>
  min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`;

/**
 * Questions about a calendar that is valid but probably not meant. An opening whose end is at
 * or before its start runs past midnight, which night shifts need (22:00-06:00, 8 h); one that
 * runs overnight for more than 12 hours is far more often a day typed backwards (17:00-09:00,
 * 16 h, for 09:00-17:00), so it is saved as given, with a warning that asks.
 * @example
 * lintCalendar({ name: 'Office', timeZone: 'UTC', hours: { mon: [{ start: '17:00', end: '09:00' }] } })
 * // [{ severity: 'warning', policy: -1, message: 'Calendar "Office": Monday 17:00-09:00 runs overnight for 16 h; did you mean 09:00-17:00?' }]
 */
export function lintCalendar(spec: CalendarSpec): LintIssue[] {
  const parsed = calendarSpec.parse(spec);
  if (parsed.hours === '24x7') return [];
  const issues: LintIssue[] = [];
  for (const day of WEEKDAYS) {
    for (const [index, { start, end }] of parsed.hours[day].entries()) {
      const length = minutesOf(end) - minutesOf(start) + (end <= start ? 24 * 60 : 0);
      if (end > start || end === '00:00' || length <= LONGEST_LIKELY_NIGHT_MIN) continue;
      issues.push({
        severity: 'warning',
        policy: -1,
        message: `Calendar "${parsed.name}": ${DAY_NAMES[day]} ${start}-${end} runs overnight for ${duration(length)}; did you mean ${end}-${start}?`,
        path: ['hours', day, index],
      });
    }
  }
  return issues;
}
