import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { PRIORITIES } from '../constants.js';
import { GLANCE_METRICS } from '../metrics/glance.js';
import { ianaZone } from './adapter.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    try {
      Temporal.PlainDate.from(d, { overflow: 'reject' });
      return true;
    } catch {
      return false;
    }
  }, 'not a calendar date');

const names = z.array(z.string().min(1).max(100)).max(20);

/** What every metric query takes: the period, the caller's time zone (days are its days), filters. */
export const metricsQuery = z
  .strictObject({
    period: z.enum(['today', '7d', '30d', 'custom']),
    from: isoDate.optional(),
    to: isoDate.optional(),
    timeZone: ianaZone,
    sources: names.optional(),
    priorities: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
    tags: names.optional(),
  })
  .refine((q) => q.period !== 'custom' || (q.from && q.to && q.from <= q.to), {
    message: 'a custom period needs from and to, from first',
    path: ['from'],
  })
  .refine(
    (q) =>
      q.period !== 'custom' ||
      !q.from ||
      !q.to ||
      Temporal.PlainDate.from(q.from).until(q.to, { largestUnit: 'days' }).days < 366,
    { message: 'a custom period is at most a year', path: ['to'] },
  );
export type MetricsQuery = z.infer<typeof metricsQuery>;

export const glanceMetric = z.enum(GLANCE_METRICS);

/** A manager's target for one metric: ms for durations, 0..1 for compliance, a count otherwise; null clears it. */
export const metricTarget = z
  .strictObject({
    metric: glanceMetric,
    value: z
      .number()
      .finite()
      .min(0)
      .max(366 * 86_400_000)
      .nullable(),
  })
  .refine((t) => t.metric !== 'compliance' || t.value === null || t.value <= 1, {
    message: 'compliance is a rate from 0 to 1',
    path: ['value'],
  });
