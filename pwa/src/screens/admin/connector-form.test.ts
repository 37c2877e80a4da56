import { describe, expect, it } from 'vitest';
import { backfillCreate, backfillErrors } from './connector-form';

const empty = { apiToken: '', apiEmail: '', days: '30' };

describe('the backfill section of a webhook-and-API connector', () => {
  it('is optional: left empty, it asks nothing and adds no token', () => {
    expect(backfillErrors(empty)).toEqual({});
    expect(backfillCreate(empty)).toEqual({ config: {} });
  });

  it('asks for the account e-mail with a token, and the token with an e-mail', () => {
    expect(backfillErrors({ ...empty, apiToken: 'a-zendesk-token' })).toEqual({
      apiEmail: 'Enter the e-mail of the account the token belongs to',
    });
    expect(Object.keys(backfillErrors({ ...empty, apiEmail: 'admin@acme.example' }))).toEqual([
      'apiToken',
    ]);
  });

  it('puts each malformed field under itself', () => {
    const errors = backfillErrors({ apiToken: 'short', apiEmail: 'not mail', days: '-1' });
    expect(Object.keys(errors).sort()).toEqual(['apiEmail', 'apiToken', 'backfillDays']);
    expect(errors.backfillDays).toBe('Enter 0 or more days');
    expect(Object.keys(backfillErrors({ ...empty, days: '' }))).toEqual(['backfillDays']);
    expect(Object.keys(backfillErrors({ ...empty, days: '2.5' }))).toEqual(['backfillDays']);
  });

  it('sends the token apart from the settings, the e-mail trimmed', () => {
    expect(
      backfillCreate({ apiToken: 'a-zendesk-token', apiEmail: ' admin@acme.example ', days: '14' }),
    ).toEqual({
      config: { apiEmail: 'admin@acme.example', backfillDays: 14 },
      apiToken: 'a-zendesk-token',
    });
  });
});
