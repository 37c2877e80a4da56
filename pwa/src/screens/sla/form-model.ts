import type { z } from 'zod';
import {
  calendarSpec,
  lintCalendar,
  lintPolicies,
  type CalendarSpec,
  type SlaPolicy,
} from '@deskwatch/shared';

/** A message for a form field: a zod issue of the schema, or a linter issue. */
export interface FieldIssue {
  severity: 'error' | 'warning';
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Pasted JSON read with the schema the server uses: the data, or one line saying what is wrong
 * (not JSON at all, or each issue with its path). For the forms' JSON import.
 */
export function parseJsonAs<S extends z.ZodType>(
  schema: S,
  text: string,
): { data: z.output<S> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
  const r = schema.safeParse(value);
  if (!r.success)
    return { error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { data: r.data };
}

/** The schema's issues for `value`, each with its path: the server checks with the same schema. */
export function schemaIssues(schema: z.ZodType, value: unknown): FieldIssue[] {
  const res = schema.safeParse(value);
  return res.success
    ? []
    : res.error.issues.map((i) => ({ severity: 'error', path: i.path, message: i.message }));
}

/** The messages of the issues at `path` or below it, errors first, each once. */
export function messagesAt(issues: readonly FieldIssue[], path: readonly PropertyKey[]): string[] {
  const here = issues.filter((i) => path.every((k, n) => i.path[n] === k));
  return [
    ...new Set(
      [
        ...here.filter((i) => i.severity === 'error'),
        ...here.filter((i) => i.severity !== 'error'),
      ].map((i) => i.message),
    ),
  ];
}

/**
 * How an opening reads: one that ends at or before it starts runs past midnight into the next
 * day (the calendar's rule), which a week grid must say, or 22:00-06:00 looks like a mistake.
 * @example openingNote({ start: '22:00', end: '06:00' }) // 'overnight, until 06:00 the next day'
 */
export function openingNote(i: { start: string; end: string }): string | null {
  if (!/^\d\d:\d\d$/.test(i.start) || !/^\d\d:\d\d$/.test(i.end) || i.start === i.end) return null;
  if (i.end === '00:00' || i.end === '24:00') return 'until midnight';
  return i.end < i.start ? `overnight, until ${i.end} the next day` : null;
}

/** `list` with the item at `from` moved to `to` (a drag, or one step up or down); a new array. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || to < 0 || to >= list.length || from < 0 || from >= list.length)
    return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

/** A comma-separated list as typed, trimmed, empties dropped; nothing typed is `undefined` (any). */
export function parseList(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** A comma-separated list of numbers as typed; what is not a number is kept for the schema to refuse. */
export function parseNumbers(text: string): (number | string)[] {
  return (parseList(text) ?? []).map((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s));
}

/** A compliance rate as people read it. */
export const percent = (rate: number | null) =>
  rate === null ? 'no target concluded' : `${Math.round(rate * 1000) / 10} %`;

/**
 * Everything a save of this calendar would be refused or warned for, as the server checks it:
 * the schema, the calendar linter, and the policy linter for the policies that use it (a
 * calendar with no opening hours breaks a policy with business-time targets). The policies'
 * issues are put at the week grid (`hours`), since that is what would have to change.
 */
export function calendarIssues(
  draft: CalendarSpec,
  id: string | undefined,
  calendars: readonly { id: string; spec: CalendarSpec }[],
  policies: readonly SlaPolicy[],
): FieldIssue[] {
  const invalid = schemaIssues(calendarSpec, draft);
  if (invalid.length > 0) return invalid;
  if (id === undefined) return lintCalendar(draft);
  const specs = Object.fromEntries([...calendars.map((c) => [c.id, c.spec]), [id, draft]]);
  const users = policies.filter((p) => p.calendarId === id);
  return [
    ...lintCalendar(draft),
    ...lintPolicies(users, specs)
      .filter((i) => i.path[0] === 'calendarId')
      .map((i) => ({ ...i, path: ['hours'] })),
  ];
}
