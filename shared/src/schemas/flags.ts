import { z } from 'zod';
import { ianaZone } from './adapter.js';

/** The red-flag rules a manager sets per workspace (issue #18), in the order the app lists them. */
export const RED_FLAG_RULES = [
  'backlog_rising',
  'compliance_under_target',
  'category_spike',
  'repeat_escalations',
  'aging_tickets',
] as const;
export type RedFlagRule = (typeof RED_FLAG_RULES)[number];

const enabled = z.boolean();

/**
 * Each rule on or off with its threshold, and the time zone whose days the rules count in
 * (backlog is taken at the end of each local day). Stored per workspace; every field checked.
 */
export const redFlagRules = z.strictObject({
  timeZone: ianaZone,
  /** Backlog at the end of the day above the day before's, `days` days running. */
  backlog_rising: z.strictObject({ enabled, days: z.number().int().min(2).max(5) }),
  /** SLA compliance over the last 7 days under `target` (0..1). */
  compliance_under_target: z.strictObject({ enabled, target: z.number().finite().min(0).max(1) }),
  /** A tag with at least `minCount` tickets created in the last 7 days and `ratio` times the 7 before. */
  category_spike: z.strictObject({
    enabled,
    ratio: z.number().finite().min(1.1).max(100),
    minCount: z.number().int().min(1).max(100_000),
  }),
  /** One ticket escalated `count` times or more in the last `days` days. */
  repeat_escalations: z.strictObject({
    enabled,
    count: z.number().int().min(2).max(100),
    days: z.number().int().min(1).max(90),
  }),
  /** Tickets still open `days` days after they were created. */
  aging_tickets: z.strictObject({ enabled, days: z.number().int().min(1).max(365) }),
});
export type RedFlagRules = z.infer<typeof redFlagRules>;

/** Every rule off until a manager turns it on, with thresholds worth starting from. */
export const DEFAULT_RED_FLAG_RULES: RedFlagRules = {
  timeZone: 'UTC',
  backlog_rising: { enabled: false, days: 3 },
  compliance_under_target: { enabled: false, target: 0.9 },
  category_spike: { enabled: false, ratio: 2, minCount: 5 },
  repeat_escalations: { enabled: false, count: 2, days: 30 },
  aging_tickets: { enabled: false, days: 7 },
};

/** A manager's weekly digest: on or off, the ISO weekday (1 Monday .. 7 Sunday) and local time, their zone. */
export const digestSettings = z.strictObject({
  enabled: z.boolean(),
  weekday: z.number().int().min(1).max(7),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM'),
  timeZone: ianaZone,
});
export type DigestSettings = z.infer<typeof digestSettings>;
