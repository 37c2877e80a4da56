import { apiBackfillInput } from '@deskwatch/shared';
import { fieldErrors } from './fields';

/** The "Backfill from the API" fields of a tool that sends webhooks and is read too, as typed. */
export interface BackfillFields {
  apiToken: string;
  apiEmail: string;
  days: string;
}

/** What the fields say, for the schema: empty fields are left out, days as a number. */
export function backfillValue(f: BackfillFields) {
  return {
    apiToken: f.apiToken === '' ? undefined : f.apiToken,
    apiEmail: f.apiEmail.trim() === '' ? undefined : f.apiEmail.trim(),
    backfillDays: f.days.trim() === '' ? Number.NaN : Number(f.days),
  };
}

/** The schema's message for each field, shown under it; none: the section may be saved. */
export const backfillErrors = (f: BackfillFields) =>
  fieldErrors(apiBackfillInput, backfillValue(f));

/**
 * The part of `connectors.create` the section adds: nothing when no token is given (webhooks
 * only), else the token and the settings the export reads beside the tool's own.
 */
export function backfillCreate(f: BackfillFields): {
  config: Record<string, unknown>;
  apiToken?: string;
} {
  const v = backfillValue(f);
  if (v.apiToken === undefined) return { config: {} };
  return {
    config: { apiEmail: v.apiEmail, backfillDays: v.backfillDays },
    apiToken: v.apiToken,
  };
}
