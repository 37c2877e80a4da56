import { describe, expect, it } from 'vitest';
import { lintCalendar, lintPolicies } from './lint.js';
import { defaultPolicy, slaPolicy } from './policy.js';

const office = {
  name: 'Office',
  timeZone: 'Europe/Amsterdam',
  hours: { mon: [{ start: '09:00', end: '17:00' }] },
};
const policy = (over: object) => slaPolicy.parse({ ...defaultPolicy, ...over });
const messages = (issues: ReturnType<typeof lintPolicies>) =>
  issues.map((i) => `${i.severity}: ${i.message}`);

describe('lintPolicies', () => {
  it('accepts the default policy and a policy on a real calendar', () => {
    expect(
      lintPolicies(
        [
          defaultPolicy,
          policy({ name: 'VIP', calendarId: 'office', conditions: { tags: ['vip'] } }),
        ].reverse(),
        { office },
      ),
    ).toEqual([]);
  });

  it('rejects a policy whose clocks can never start', () => {
    expect(messages(lintPolicies([policy({ calendarId: 'nope' })], {}))).toEqual([
      'error: Policy "Standard": uses an unknown calendar "nope"',
    ]);
    expect(
      messages(
        lintPolicies([policy({ calendarId: 'closed' })], {
          closed: { name: 'Closed', timeZone: 'UTC', hours: {} },
        }),
      ),
    ).toEqual([
      'error: Policy "Standard": its calendar "closed" has no business hours, so business-time clocks can never start',
    ]);
    expect(
      messages(
        lintPolicies(
          [
            policy({
              conditions: { priorities: ['low'] },
              targets: { first_response: { urgent: 10 } },
            }),
          ],
          {},
        ),
      ),
    ).toEqual([
      'error: Policy "Standard": has no target for the priorities it applies to, so no clock can start',
    ]);
    expect(
      messages(lintPolicies([policy({ conditions: { categories: ['solved', 'closed'] } })], {})),
    ).toContain(
      'error: Policy "Standard": applies only to solved or closed tickets, where no clock runs',
    );
  });

  it('rejects a metric that is always paused', () => {
    const always = policy({
      pauseOn: { first_response: ['new', 'open', 'pending_customer', 'on_hold'] },
    });
    expect(messages(lintPolicies([always], {}))).toEqual([
      'error: Policy "Standard": first response is paused in every status it can run in, so it is always paused',
    ]);
  });

  it('warns about a policy shadowed by an earlier, broader one', () => {
    const issues = lintPolicies(
      [policy({ name: 'Everything' }), policy({ name: 'VIP', conditions: { tags: ['vip'] } })],
      {},
    );
    expect(messages(issues)).toEqual([
      'warning: Policy "VIP": never applies: every ticket it matches is matched first by "Everything"',
    ]);
    expect(
      lintPolicies(
        [
          policy({ name: 'Email', conditions: { sources: ['zendesk'] } }),
          policy({ name: 'VIP', conditions: { tags: ['vip'] } }),
        ],
        {},
      ),
    ).toEqual([]);
  });
});

describe('lintCalendar', () => {
  const cal = (mon: { start: string; end: string }[]) => ({
    name: 'Office',
    timeZone: 'Europe/Amsterdam',
    hours: { mon },
  });

  it('asks about an overnight opening longer than 12 hours: likely a day typed backwards', () => {
    expect(messages(lintCalendar(cal([{ start: '17:00', end: '09:00' }])))).toEqual([
      'warning: Calendar "Office": Monday 17:00-09:00 runs overnight for 16 h; did you mean 09:00-17:00?',
    ]);
    expect(messages(lintCalendar(cal([{ start: '18:30', end: '08:00' }])))).toEqual([
      'warning: Calendar "Office": Monday 18:30-08:00 runs overnight for 13 h 30 min; did you mean 08:00-18:30?',
    ]);
  });

  it('names the field an issue concerns, for a form to show it there', () => {
    const night = { start: '17:00', end: '09:00' };
    expect(lintCalendar(cal([{ start: '08:00', end: '09:00' }, night])).map((i) => i.path)).toEqual(
      [['hours', 'mon', 1]],
    );
    expect(
      lintPolicies(
        [policy({ calendarId: 'nope', warnings: { beforeDueMinutes: [9999] } })],
        {},
      ).map((i) => i.path),
    ).toEqual([['calendarId'], ['warnings', 'beforeDueMinutes']]);
  });

  it('accepts real night shifts, openings up to midnight, day openings and 24x7', () => {
    for (const mon of [
      [{ start: '22:00', end: '06:00' }], // 8 h night shift
      [{ start: '20:00', end: '08:00' }], // 12 h, the longest night that passes
      [{ start: '09:00', end: '00:00' }], // until midnight
      [{ start: '09:00', end: '17:00' }],
    ])
      expect(lintCalendar(cal(mon))).toEqual([]);
    expect(lintCalendar({ name: 'Always', timeZone: 'UTC', hours: '24x7' })).toEqual([]);
  });
});
