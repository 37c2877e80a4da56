import { z } from 'zod';
import {
  PRIORITIES,
  priority,
  statusCategory,
  type Priority,
  type StatusCategory,
} from '../domain.js';
import { SLA_METRICS } from './metrics.js';

export * from './metrics.js';
export const slaMetric = z.enum(SLA_METRICS);

const minutes = z
  .number()
  .int()
  .positive()
  .max(60 * 24 * 366);

/** A target: minutes of business time (the policy's calendar) or of calendar time (24x7). A bare number is business minutes. */
export const targetSpec = z
  .union([
    minutes,
    z.strictObject({ minutes, clock: z.enum(['business', 'calendar']).default('business') }),
  ])
  .transform((v) => (typeof v === 'number' ? { minutes: v, clock: 'business' as const } : v));
export type TargetSpec = z.output<typeof targetSpec>;

const perPriority = z.partialRecord(z.enum(PRIORITIES), targetSpec).default({});
const categories = z.array(statusCategory);

/**
 * An SLA policy. Policies are ordered; the first whose conditions all match a ticket applies
 * (an absent condition matches anything; `tags` matches when the ticket has any of them).
 */
export const slaPolicy = z.strictObject({
  name: z.string().min(1).max(120),
  conditions: z
    .strictObject({
      sources: z.array(z.string().min(1)).optional(),
      priorities: z.array(priority).optional(),
      categories: categories.optional(),
      tags: z.array(z.string().min(1)).optional(),
      requesterOrgs: z.array(z.string().min(1)).optional(),
    })
    .default({}),
  /** The business calendar of business-time targets; null means 24x7. */
  calendarId: z.string().nullable().default(null),
  targets: z.strictObject({
    first_response: perPriority,
    next_response: perPriority,
    periodic_update: perPriority,
    resolution: perPriority,
  }),
  /** Status categories that stop each metric's clock. */
  pauseOn: z
    .strictObject({
      first_response: categories.default(['pending_customer']),
      next_response: categories.default(['pending_customer']),
      periodic_update: categories.default(['pending_customer', 'on_hold']),
      resolution: categories.default(['pending_customer', 'on_hold']),
    })
    .default({
      first_response: ['pending_customer'],
      next_response: ['pending_customer'],
      periodic_update: ['pending_customer', 'on_hold'],
      resolution: ['pending_customer', 'on_hold'],
    }),
  /** Which messages count as a response: public agent replies by default; bot replies and internal notes do not. */
  responses: z
    .strictObject({
      authors: z
        .array(z.enum(['agent', 'bot']))
        .min(1)
        .default(['agent']),
      includeInternal: z.boolean().default(false),
    })
    .default({ authors: ['agent'], includeInternal: false }),
  /** On reopen, resolution continues its cycle (default) or starts a new one. */
  reopen: z.enum(['continue', 'restart']).default('continue'),
  warnings: z
    .strictObject({
      percents: z.array(z.number().int().min(1).max(99)).max(10).default([50, 75]),
      beforeDueMinutes: z.array(minutes).max(10).default([]),
    })
    .default({ percents: [50, 75], beforeDueMinutes: [] }),
});
export type SlaPolicyInput = z.input<typeof slaPolicy>;
export type SlaPolicy = z.output<typeof slaPolicy>;

/** The policy a new workspace starts with: typical help desk targets, paused while waiting on the customer. */
export const defaultPolicy: SlaPolicy = slaPolicy.parse({
  name: 'Standard',
  targets: {
    first_response: { urgent: 30, high: 60, normal: 240, low: 480 },
    next_response: { urgent: 60, high: 120, normal: 480, low: 960 },
    resolution: { urgent: 240, high: 480, normal: 1440, low: 2880 },
  },
});

/** What a policy's conditions are matched against. */
export interface TicketFacts {
  source: string;
  priority: Priority;
  category: StatusCategory;
  tags: readonly string[];
  requesterOrg: string | null;
}

export function policyMatches(policy: SlaPolicy, t: TicketFacts): boolean {
  const c = policy.conditions;
  if (c.sources && !c.sources.includes(t.source)) return false;
  if (c.priorities && !c.priorities.includes(t.priority)) return false;
  if (c.categories && !c.categories.includes(t.category)) return false;
  if (c.tags && !c.tags.some((tag) => t.tags.includes(tag))) return false;
  if (c.requesterOrgs && (t.requesterOrg === null || !c.requesterOrgs.includes(t.requesterOrg)))
    return false;
  return true;
}

/** The first policy, in order, whose conditions match the ticket. */
export function selectPolicy<P extends SlaPolicy>(
  policies: readonly P[],
  t: TicketFacts,
): P | undefined {
  return policies.find((p) => policyMatches(p, t));
}
