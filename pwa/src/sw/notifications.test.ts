import { describe, expect, it } from 'vitest';
import { planClick, planNotification, type NotificationData } from './notifications';

const payload = {
  kind: 'escalation',
  escalationId: 'e1',
  ticketSubject: 'VPN down',
  reason: 'Whole team offline',
  requestedBy: 'Alex',
  severity: 'high',
  actionToken: 't'.repeat(43),
  url: 'https://desk.example/escalations/e1',
};

describe('planNotification', () => {
  it('shows an escalation with Approve and Deny where the browser has room for two actions', () => {
    const plan = planNotification(JSON.stringify(payload), 2);
    expect(plan.title).toBe('Escalation: VPN down');
    expect(plan.options.body).toBe('Alex (High): Whole team offline');
    expect(plan.options.actions?.map((a) => a.action)).toEqual(['approve', 'deny']);
    expect(plan.options.data).toMatchObject({
      escalationId: 'e1',
      actionToken: payload.actionToken,
    });
  });

  it('leaves the buttons out where actions are not supported', () => {
    expect(planNotification(JSON.stringify(payload), 0).options.actions).toBeUndefined();
  });

  it('still shows something for a malformed or foreign payload', () => {
    expect(planNotification('{not json', 2).title).toBe('Deskwatch');
    expect(
      planNotification(JSON.stringify({ title: 'Deskwatch test', body: 'Works' }), 2),
    ).toMatchObject({ title: 'Deskwatch test', options: { body: 'Works' } });
  });
});

describe('planClick', () => {
  const data: NotificationData = {
    kind: 'escalation',
    escalationId: 'e1',
    actionToken: 'tok',
    url: '/x',
  };
  it('approves with the token from the Approve button', () => {
    expect(planClick(data, 'approve', null)).toEqual({
      do: 'decide',
      token: 'tok',
      decision: 'approve',
      comment: '',
      escalationId: 'e1',
    });
  });
  it('denies inline only with a typed reason, otherwise opens the screen to deny', () => {
    expect(planClick(data, 'deny', ' Not urgent ')).toMatchObject({
      do: 'decide',
      decision: 'deny',
      comment: 'Not urgent',
    });
    expect(planClick(data, 'deny', '')).toEqual({ do: 'open', url: '/escalations/e1?decide=deny' });
  });
  it('opens the approval screen on a plain tap', () => {
    expect(planClick(data, '', null)).toEqual({ do: 'open', url: '/escalations/e1' });
  });
});

describe('pages', () => {
  const page = {
    kind: 'sla_alert',
    alertId: 'a1',
    title: 'SLA breached: VPN down',
    body: 'first response',
    url: 'https://desk.example/',
    pageId: 'p1',
    ackToken: 'k'.repeat(43),
  };

  it('shows an alert sent down a path with an Acknowledge button that acts with its token', () => {
    const plan = planNotification(JSON.stringify(page), 1);
    expect(plan.title).toBe('SLA breached: VPN down');
    expect(plan.options.actions?.map((a) => a.action)).toEqual(['acknowledge']);
    const data = plan.options.data as NotificationData;
    expect(planClick(data, 'acknowledge', null)).toEqual({
      do: 'acknowledge',
      token: page.ackToken,
      pageId: 'p1',
    });
    expect(planClick(data, '', null)).toEqual({ do: 'open', url: '/oncall' });
  });

  it('keeps Approve and Deny on a paged escalation and carries the page along', () => {
    const plan = planNotification(
      JSON.stringify({ ...payload, pageId: 'p2', ackToken: page.ackToken }),
      2,
    );
    expect(plan.options.actions?.map((a) => a.action)).toEqual(['approve', 'deny']);
    expect(plan.options.data).toMatchObject({ kind: 'escalation', pageId: 'p2' });
  });
});

describe('red flags and digests', () => {
  it('shows a red flag with its numbers and opens the list of flags', () => {
    const plan = planNotification(
      JSON.stringify({
        kind: 'red_flag',
        flagId: 'f1',
        rule: 'aging_tickets',
        title: 'Red flag: 2 tickets open over 7 days',
        body: 'tickets 2, days 7, oldestDays 12',
        url: 'https://desk.example/metrics/flags',
      }),
      2,
    );
    expect(plan.title).toBe('Red flag: 2 tickets open over 7 days');
    expect(plan.options.body).toBe('tickets 2, days 7, oldestDays 12');
    expect(planClick(plan.options.data as NotificationData, '', null)).toEqual({
      do: 'open',
      url: '/metrics/flags',
    });
  });
  it('opens the glance from a weekly digest', () => {
    const plan = planNotification(JSON.stringify({ kind: 'digest', title: 'D', body: 'B' }), 2);
    expect(planClick(plan.options.data as NotificationData, '', null)).toEqual({
      do: 'open',
      url: '/metrics',
    });
  });
});

describe('shifts', () => {
  const click = (payload: object) =>
    planClick(
      planNotification(JSON.stringify(payload), 2).options.data as NotificationData,
      '',
      null,
    );
  it("opens the shift's schedule screen from a shift reminder or change", () => {
    expect(
      click({ kind: 'shift', title: 'On call soon', body: 'B', url: '/oncall/schedules/s-1_x' }),
    ).toEqual({ do: 'open', url: '/oncall/schedules/s-1_x' });
  });
  it('opens the on-call tab for a shift link that is not an on-call screen', () => {
    for (const url of ['https://evil.example/oncall/schedules/x', '//evil.example', '/settings', 5])
      expect(click({ kind: 'shift', title: 'T', body: 'B', url })).toEqual({
        do: 'open',
        url: '/oncall',
      });
  });
});
