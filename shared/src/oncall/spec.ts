import { z } from 'zod';
import { WEEKDAYS } from '../constants.js';
import { isValidTimeZone } from '../calendar/spec.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, 00:00 to 23:59');
const timeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'not an IANA time zone (like Europe/Amsterdam)' });
/** A local date and time without a zone, like 2026-03-02T09:00: the zone is the layer's. */
const localDateTime = z.iso.datetime({ local: true, precision: -1 });

/**
 * A window in which a layer pages, in the layer's zone: only weekdays 09:00-17:00, only nights
 * (an `end` at or before `start` runs into the next day, 18:00 to 08:00, and belongs to the day it starts).
 */
export const restriction = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: hhmm,
    end: hhmm,
  })
  .refine((r) => r.start !== r.end, {
    message: 'a restriction needs different start and end times',
  });
export type Restriction = z.infer<typeof restriction>;

/**
 * How long each turn lasts: daily and weekly turns (and `{ days }`) hand over at the same local
 * time, so a turn over a DST change is 23 or 25 hours; `{ hours }` turns last exactly that long.
 */
export const turnLength = z.union([
  z.literal('daily'),
  z.literal('weekly'),
  z.strictObject({ days: z.int().min(1).max(366) }),
  z.strictObject({
    hours: z
      .int()
      .min(1)
      .max(24 * 366),
  }),
]);
export type TurnLength = z.infer<typeof turnLength>;

/** A rotation: participants take turns in order from `start` (the first handoff, local time). */
export const layer = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(120),
  /** The layer's zone when it differs from the schedule's (follow-the-sun layers). */
  timeZone: timeZone.optional(),
  start: localDateTime,
  end: localDateTime.optional(),
  turn: turnLength,
  participants: z.array(z.string().min(1).max(64)).min(1).max(200),
  restrictions: z.array(restriction).max(14).default([]),
});
export type Layer = z.output<typeof layer>;

/** Someone takes the schedule from `start` to `end` (instants, ms), above every layer. */
export const scheduleOverride = z
  .strictObject({
    id: z.string().min(1).max(64),
    userId: z.string().min(1).max(64),
    start: z.int().nonnegative(),
    end: z.int().nonnegative(),
  })
  .refine((o) => o.end > o.start, { message: 'an override ends after it starts' });
export type ScheduleOverride = z.infer<typeof scheduleOverride>;

/**
 * An on-call schedule. Layers are listed top first, as they are shown; a lower layer overrides
 * the ones above it wherever it has someone on call, and overrides beat every layer.
 */
export const scheduleSpec = z.strictObject({
  timeZone,
  layers: z.array(layer).min(1).max(20),
  overrides: z.array(scheduleOverride).max(2000).default([]),
});
export type ScheduleSpec = z.input<typeof scheduleSpec>;
export type Schedule = z.output<typeof scheduleSpec>;
