import { z } from 'zod';
import { ESCALATION_TYPES, SEVERITIES } from '../schemas/api.js';
import { weeklyWindows } from './conditions.js';

const id = z.string().min(1).max(64);

/**
 * An automatic escalation rule: the scheduler opens an escalation, with no agent asking, for
 * each ticket that meets `when`, once per ticket and rule.
 */
export const autoRuleInput = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(120),
  when: z.discriminatedUnion('kind', [
    /** Not solved or closed this many hours after it was created. */
    z.strictObject({
      kind: z.literal('unresolved'),
      hours: z
        .int()
        .min(1)
        .max(24 * 90),
    }),
    /** An SLA target breached while nobody is assigned. */
    z.strictObject({ kind: z.literal('breached_unassigned') }),
  ]),
  type: z.enum(ESCALATION_TYPES).default('tier2'),
  severity: z.enum(SEVERITIES).default('high'),
  enabled: z.boolean().default(true),
});
export type AutoRuleInput = z.input<typeof autoRuleInput>;
export type AutoRule = z.output<typeof autoRuleInput>;

/** A person's quiet hours (null: none): low-urgency pushes wait until they end. */
export const quietHoursInput = z.strictObject({ quietHours: weeklyWindows.nullable() });

export const pageIdInput = z.strictObject({ pageId: id });
/** Hand a page to someone else of the workspace: they are paged now and own the level's timeout. */
export const reassignPageInput = z.strictObject({ pageId: id, userId: id });
