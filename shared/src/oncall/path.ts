import { z } from 'zod';
import { ROLES } from '../constants.js';
import { layer } from './spec.js';
import { isValidTimeZone } from '../calendar/spec.js';
import { pathConditions } from './conditions.js';

const id = z.string().min(1).max(64);

/** Whom a level pages: one person, whoever is on call on a schedule, or everyone with a role. */
export const pathTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: id }),
  z.strictObject({ kind: z.literal('schedule'), scheduleId: id }),
  z.strictObject({ kind: z.literal('role'), role: z.enum(ROLES) }),
]);
export type PathTarget = z.infer<typeof pathTarget>;

/** One level: its targets are paged together; nobody acknowledging within the timeout pages the next level. */
export const pathLevel = z.strictObject({
  targets: z.array(pathTarget).min(1).max(20),
  timeoutMinutes: z
    .int()
    .min(1)
    .max(24 * 60),
});
export type PathLevel = z.infer<typeof pathLevel>;

export const escalationPathInput = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(120),
  levels: z.array(pathLevel).min(1).max(10),
  /** How many more times the whole path runs after its last level times out. */
  repeat: z.int().min(0).max(10).default(0),
  /** The path SLA alerts and escalation requests take. */
  isDefault: z.boolean().default(false),
  /** When this path pages at all (urgency, priority, source, working hours in its zone). */
  conditions: pathConditions.default({}),
});
export type EscalationPathInput = z.input<typeof escalationPathInput>;

export const scheduleInput = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(120),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'not an IANA time zone (like Europe/Amsterdam)' }),
  layers: z.array(layer).min(1).max(20),
});
export type ScheduleInput = z.input<typeof scheduleInput>;

const MAX_OVERRIDE_MS = 31 * 86_400_000;
/** Take or cover a shift: `userId` (yourself when left out) is on call from `start` to `end`. */
export const overrideInput = z
  .strictObject({
    scheduleId: id,
    userId: id.optional(),
    start: z.int().nonnegative(),
    end: z.int().nonnegative(),
  })
  .refine((o) => o.end > o.start, { message: 'an override ends after it starts' })
  .refine((o) => o.end - o.start <= MAX_OVERRIDE_MS, { message: 'an override is at most 31 days' });

/**
 * Where a page goes when the level it is at times out: the next level, the first level of the
 * next round, or nowhere (null) once the last round's last level has timed out.
 * @example nextStep(2, 1, { level: 1, round: 0 }) // { level: 0, round: 1 }
 */
export function nextStep(
  levels: number,
  repeat: number,
  at: { level: number; round: number },
): { level: number; round: number } | null {
  if (at.level + 1 < levels) return { level: at.level + 1, round: at.round };
  if (at.round < repeat) return { level: 0, round: at.round + 1 };
  return null;
}
