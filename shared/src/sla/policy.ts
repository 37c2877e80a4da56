import { z } from 'zod';
import { PRIORITIES, statusCategory, type Priority, type StatusCategory } from '../domain.js';

export const SLA_METRICS = ['first_response', 'resolution'] as const;
export const slaMetric = z.enum(SLA_METRICS);
export type SlaMetric = z.infer<typeof slaMetric>;

const minutes = z
  .number()
  .int()
  .positive()
  .max(60 * 24 * 365);

/** Targets in minutes, per metric and priority. A missing entry means no target. */
export const slaPolicy = z.object({
  name: z.string().min(1).max(120),
  targets: z.object({
    first_response: z.partialRecord(z.enum(PRIORITIES), minutes),
    resolution: z.partialRecord(z.enum(PRIORITIES), minutes),
  }),
  /** Status categories that stop each metric's clock. */
  pauseOn: z.object({
    first_response: z.array(statusCategory),
    resolution: z.array(statusCategory),
  }),
});
export type SlaPolicy = z.infer<typeof slaPolicy>;

/** The policy a new workspace starts with: typical help desk targets, paused while waiting on the customer. */
export const defaultPolicy: SlaPolicy = {
  name: 'Standard',
  targets: {
    first_response: { urgent: 30, high: 60, normal: 240, low: 480 },
    resolution: { urgent: 240, high: 480, normal: 1440, low: 2880 },
  },
  pauseOn: { first_response: ['pending_customer'], resolution: ['pending_customer', 'on_hold'] },
};

export function targetMinutes(
  policy: SlaPolicy,
  metric: SlaMetric,
  p: Priority,
): number | undefined {
  return policy.targets[metric][p];
}

export function isPaused(policy: SlaPolicy, metric: SlaMetric, category: StatusCategory): boolean {
  return policy.pauseOn[metric].includes(category);
}
