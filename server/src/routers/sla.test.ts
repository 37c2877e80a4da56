import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlaPolicyInput } from '@deskwatch/shared';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const t = (iso: string) => Date.parse(iso);
const reply = (at: string) => ({
  author: 'agent' as const,
  public: true,
  at,
  externalId: `r-${at}`,
});
const customer = { author: 'customer' as const, public: true, externalId: 'm1' };

/** Only a first-response target for high priority, in calendar minutes. */
const firstResponse = (minutes: number, calendarId: string | null = null): SlaPolicyInput => ({
  name: `FR ${minutes}`,
  calendarId,
  targets: { first_response: { high: { minutes, clock: 'calendar' } } },
});

async function observe(email: string, externalId: string, replyAt: string | null) {
  const agent = await env.as(email, 'token');
  return agent.tickets.observe({
    snapshot: snapshot({
      externalId,
      subject: `Ticket ${externalId}`,
      createdAt: '2026-03-27T09:00:00.000Z',
      // The page shows the history back to creation, so every clock's numbers are known.
      statusChanges: [{ at: '2026-03-27T09:00:00.000Z', status: 'Open', statusCategory: 'open' }],
      messages: [
        { ...customer, at: '2026-03-27T09:00:00.000Z' },
        ...(replyAt ? [reply(replyAt)] : []),
      ],
    }),
  });
}

describe('sla.whatIf', () => {
  it('recomputes the last 30 days under a draft policy and lists what would change', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({ policies: [{ policy: firstResponse(60) }] });
    env.clock.set(t('2026-03-27T10:30:00Z'));
    // Answered after 45 min: meets 60, would miss 30.
    const { ticket: answered } = await observe(
      env.a.users.agent.email,
      '1',
      '2026-03-27T09:45:00.000Z',
    );
    // Never answered: missed 60 at 10:00, and 30 at 09:30.
    await observe(env.a.users.agent.email, '2', null);
    // Another workspace's ticket is neither counted nor listed.
    await observe(env.b.users.agent.email, '9', null);

    const r = await admin.sla.whatIf({ policies: [{ policy: firstResponse(30) }] });
    expect(r.tickets).toBe(2);
    expect(r.current).toEqual({ met: 1, breached: 1, rate: 0.5 });
    expect(r.draft).toEqual({ met: 0, breached: 2, rate: 0 });
    expect(r.newlyBreached).toEqual([
      {
        ticketId: answered.id,
        metrics: ['first_response'],
        source: 'demo-desk',
        externalId: '1',
        subject: 'Ticket 1',
      },
    ]);
    expect(r.noLongerBreached).toEqual([]);
    expect(r.period).toEqual({ from: t('2026-02-25T10:30:00Z'), to: t('2026-03-27T10:30:00Z') });

    // The what-if wrote nothing: the saved policy still applies.
    const config = await admin.sla.config();
    expect(config.policies.map((p) => p.policy.name)).toEqual(['FR 60']);
  });

  it('tries a draft calendar under the policies that use it', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const { id } = await admin.sla.saveCalendar({
      spec: { name: 'Always', timeZone: 'Europe/Amsterdam', hours: '24x7' },
    });
    await admin.sla.savePolicies({
      policies: [
        {
          policy: {
            name: 'Business',
            calendarId: id,
            targets: { first_response: { high: 60 } },
          },
        },
      ],
    });
    env.clock.set(t('2026-03-27T12:00:00Z'));
    // 09:00Z-10:30Z is 10:00-11:30 in Amsterdam: 90 min of 24x7, 30 min of 11:00-17:00.
    await observe(env.a.users.agent.email, '1', '2026-03-27T10:30:00.000Z');
    const r = await admin.sla.whatIf({
      calendar: {
        id,
        spec: {
          name: 'Late desk',
          timeZone: 'Europe/Amsterdam',
          hours: { fri: [{ start: '11:00', end: '17:00' }] },
        },
      },
    });
    expect(r.current).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(r.draft).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(r.noLongerBreached.map((x) => x.externalId)).toEqual(['1']);
  });

  it("refuses a draft the linter rejects, and another workspace's calendar", async () => {
    const admin = await env.as(env.a.users.admin.email);
    await expect(
      admin.sla.whatIf({ policies: [{ policy: firstResponse(30, 'not-a-calendar') }] }),
    ).rejects.toThrow('Policy "FR 30": uses an unknown calendar "not-a-calendar"');
    const beta = await env.as(env.b.users.admin.email);
    const { id } = await beta.sla.saveCalendar({
      spec: { name: 'Beta hours', timeZone: 'UTC', hours: '24x7' },
    });
    await expect(
      admin.sla.whatIf({ calendar: { id, spec: { name: 'X', timeZone: 'UTC', hours: '24x7' } } }),
    ).rejects.toThrow(`No calendar "${id}" in this workspace`);
  });

  it('is for admins only', async () => {
    const agent = await env.as(env.a.users.agent.email);
    await expect(agent.sla.whatIf({})).rejects.toThrow();
  });
});
