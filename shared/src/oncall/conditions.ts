import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { PRIORITIES, WEEKDAYS, type Priority } from '../constants.js';
import { isValidTimeZone } from '../calendar/spec.js';
import { ESCALATION_TYPES, SEVERITIES } from '../schemas/api.js';
import { restriction, type Restriction } from './spec.js';

/** What pages: SLA warnings and breaches, escalation requests, red flags, connector failures. */
export const PAGE_KINDS = ['sla_alert', 'escalation', 'red_flag', 'connector'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

/** High urgency always goes out; low urgency waits out each person's quiet hours. */
export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

const id = z.string().min(1).max(64);
const label = z.string().trim().min(1).max(120);
const timeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'not an IANA time zone (like Europe/Amsterdam)' });

/**
 * Weekly windows in a zone of their own: a path's working hours, a person's quiet hours. A
 * window whose end is at or before its start runs into the next day (22:00 to 07:00).
 */
export const weeklyWindows = z.strictObject({
  timeZone,
  windows: z.array(restriction).min(1).max(14),
});
export type WeeklyWindows = z.infer<typeof weeklyWindows>;

/**
 * When a path pages. Each condition left out holds always; those set must all hold. Working
 * hours are read in the path's own zone (not UTC), so a path "Amsterdam office hours" follows
 * the clocks of Amsterdam across DST.
 */
export const pathConditions = z.strictObject({
  urgencies: z.array(z.enum(URGENCIES)).min(1).max(2).optional(),
  priorities: z.array(z.enum(PRIORITIES)).min(1).max(4).optional(),
  /** Ticket sources (`zendesk`, `connector:<id>`…); a page about no ticket never matches. */
  sources: z.array(label).min(1).max(50).optional(),
  hours: weeklyWindows
    .extend({
      /** Page inside the windows (office hours) or outside them (nights and weekends). */
      during: z.enum(['inside', 'outside']).default('inside'),
    })
    .optional(),
});
export type PathConditions = z.output<typeof pathConditions>;

/**
 * Which path takes what: an override per SLA policy or escalation type, or a routing rule for
 * escalation requests by type, severity and tag. Everything set must match; rules are tried in
 * order, then the default path.
 */
export const pageRouteMatch = z.strictObject({
  kinds: z.array(z.enum(PAGE_KINDS)).min(1).max(4).optional(),
  policyIds: z.array(id).min(1).max(50).optional(),
  escalationTypes: z.array(z.enum(ESCALATION_TYPES)).min(1).max(3).optional(),
  severities: z.array(z.enum(SEVERITIES)).min(1).max(4).optional(),
  /** Any of these ticket tags. */
  tags: z.array(label).min(1).max(50).optional(),
});
export type PageRouteMatch = z.infer<typeof pageRouteMatch>;

export const pageRouteInput = z.strictObject({
  id: id.optional(),
  name: label,
  match: pageRouteMatch,
  pathId: id,
});
export type PageRouteInput = z.input<typeof pageRouteInput>;

/** The whole ordered list of routes, saved at once (order is priority). */
export const pageRoutesInput = z.strictObject({ routes: z.array(pageRouteInput).max(100) });

/** What a page is about, as paths and routes read it. */
export interface PageSubject {
  kind: PageKind;
  urgency: Urgency;
  priority: Priority | null;
  source: string | null;
  tags: readonly string[];
  policyId?: string | null;
  escalationType?: (typeof ESCALATION_TYPES)[number];
  severity?: (typeof SEVERITIES)[number];
}

/**
 * Whether `t` lies in one of the weekly windows, read in their zone. A window that crosses
 * midnight belongs to the day it starts; a wall time that does not exist (02:30 on a
 * spring-forward day) is read as Temporal does, moved forward by the gap.
 * @example withinWindows({ timeZone: 'Europe/Amsterdam', windows: [{ days: ['mon'], start: '09:00', end: '17:00' }] }, Date.parse('2026-03-30T07:00Z')) // true
 */
export function withinWindows(w: WeeklyWindows, t: number): boolean {
  return windowAt(w, t) !== null;
}

/** The end of the window `t` lies in (ms), or null when it lies in none. */
export function windowAt(w: WeeklyWindows, t: number): number | null {
  const today = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(w.timeZone);
  let end: number | null = null;
  // A night window that started yesterday may still be open.
  for (const day of [today.toPlainDate(), today.toPlainDate().subtract({ days: 1 })])
    for (const r of w.windows) {
      if (!r.days.includes(WEEKDAYS[day.dayOfWeek - 1]!)) continue;
      const [s, e] = windowOn(w.timeZone, day, r);
      if (s <= t && t < e) end = Math.max(end ?? e, e);
    }
  return end;
}

/** A window's start and end (ms) on `day`, in `zone`. */
export function windowOn(
  zone: string,
  day: Temporal.PlainDate,
  r: Restriction,
): [start: number, end: number] {
  const at = (d: Temporal.PlainDate, hhmm: string) =>
    d.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(hhmm) })
      .epochMilliseconds;
  return [at(day, r.start), at(r.end <= r.start ? day.add({ days: 1 }) : day, r.end)];
}

/**
 * When quiet hours holding a push at `t` end: the end of the window `t` lies in, followed
 * through windows that touch it (22:00-24:00 then 00:00-07:00). Null when `t` is not quiet.
 */
export function quietUntil(w: WeeklyWindows, t: number): number | null {
  let end = windowAt(w, t);
  for (let guard = 0; end !== null && guard < 14; guard++) {
    const next = windowAt(w, end);
    if (next === null || next <= end) break;
    end = next;
  }
  return end;
}

/** Whether a path's conditions hold for `subject` at `t`. */
export function conditionsHold(c: PathConditions, subject: PageSubject, t: number): boolean {
  if (c.urgencies && !c.urgencies.includes(subject.urgency)) return false;
  if (c.priorities && (subject.priority === null || !c.priorities.includes(subject.priority)))
    return false;
  if (c.sources && (subject.source === null || !c.sources.includes(subject.source))) return false;
  if (c.hours && withinWindows(c.hours, t) !== (c.hours.during === 'inside')) return false;
  return true;
}

/** Whether a route takes `subject`. */
export function routeMatches(m: PageRouteMatch, subject: PageSubject): boolean {
  if (m.kinds && !m.kinds.includes(subject.kind)) return false;
  if (m.policyIds && !(subject.policyId && m.policyIds.includes(subject.policyId))) return false;
  if (
    m.escalationTypes &&
    !(subject.escalationType && m.escalationTypes.includes(subject.escalationType))
  )
    return false;
  if (m.severities && !(subject.severity && m.severities.includes(subject.severity))) return false;
  if (m.tags && !m.tags.some((tag) => subject.tags.includes(tag))) return false;
  return true;
}

/**
 * The path that pages `subject` at `t`: the first route (in order) that takes it and whose path's
 * conditions hold, else the default path if its conditions hold, else none (then managers are
 * told, as before paths existed).
 * @example choosePath([{ id: 'p', isDefault: true, conditions: {} }], [], subject, t) // 'p'
 */
export function choosePath(
  paths: readonly { id: string; isDefault: boolean; conditions: PathConditions }[],
  routes: readonly { match: PageRouteMatch; pathId: string }[],
  subject: PageSubject,
  t: number,
): string | null {
  const byId = new Map(paths.map((p) => [p.id, p]));
  const candidates = [
    ...routes.filter((r) => routeMatches(r.match, subject)).map((r) => byId.get(r.pathId)),
    ...paths.filter((p) => p.isDefault),
  ];
  for (const p of candidates) if (p && conditionsHold(p.conditions, subject, t)) return p.id;
  return null;
}

/**
 * How urgent an SLA alert is, from its level and the ticket's priority under the policy: anything
 * about an urgent ticket and the breach of a high one are high; other warnings and breaches are
 * low (they wait out quiet hours).
 * @example alertUrgency('warn:75', 'high') // 'low'
 */
export function alertUrgency(level: string, priority: Priority): Urgency {
  if (priority === 'urgent') return 'high';
  return level === 'breach' && priority === 'high' ? 'high' : 'low';
}

/** High and critical escalation requests are high urgency; low and normal ones are low. */
export const escalationUrgency = (severity: (typeof SEVERITIES)[number]): Urgency =>
  severity === 'high' || severity === 'critical' ? 'high' : 'low';
