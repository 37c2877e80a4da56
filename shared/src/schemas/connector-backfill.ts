import { z } from 'zod';

/** A secret or token as the tool shows it (Zendesk's signing secret, an API token). */
export const connectorSecret = z
  .string()
  .min(8, 'At least 8 characters, as the tool shows it')
  .max(512);

/** The account an API token belongs to (Zendesk reads `{email}/token:{token}`). */
export const connectorApiEmail = z
  .email('Enter the e-mail of the account the token belongs to')
  .max(254);

/** Closed tickets to read back on connect, in days (all open ones are read). */
export const connectorBackfillDays = z
  .number('Enter a number of days')
  .int('Enter whole days')
  .min(0, 'Enter 0 or more days')
  .max(3650, 'At most 3650 days (ten years)');

/**
 * The optional "Backfill from the API" part of a tool that sends webhooks and is also read
 * through its API (Zendesk): nothing, or a token with the account it belongs to.
 */
export const apiBackfillInput = z
  .strictObject({
    apiToken: connectorSecret.optional(),
    apiEmail: connectorApiEmail.optional(),
    backfillDays: connectorBackfillDays,
  })
  .superRefine((v, ctx) => {
    if (v.apiToken !== undefined && v.apiEmail === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['apiEmail'],
        message: 'Enter the e-mail of the account the token belongs to',
      });
    if (v.apiEmail !== undefined && v.apiToken === undefined)
      ctx.addIssue({ code: 'custom', path: ['apiToken'], message: 'Enter the API token' });
  });
export type ApiBackfillInput = z.infer<typeof apiBackfillInput>;
