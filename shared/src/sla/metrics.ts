import type { StatusCategory, Priority } from '../constants.js';
import type { SlaPolicy, TargetSpec } from './policy.js';

export const SLA_METRICS = [
  'first_response',
  'next_response',
  'periodic_update',
  'resolution',
] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** How each metric is named to people, in the overlay and the app. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  first_response: 'First response',
  next_response: 'Next response',
  periodic_update: 'Periodic update',
  resolution: 'Resolution',
};

export function targetFor(
  policy: SlaPolicy,
  metric: SlaMetric,
  p: Priority,
): TargetSpec | undefined {
  return policy.targets[metric][p];
}

export function isPaused(policy: SlaPolicy, metric: SlaMetric, category: StatusCategory): boolean {
  return policy.pauseOn[metric].includes(category);
}
