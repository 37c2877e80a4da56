import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertUrgency,
  choosePath,
  conditionsHold,
  escalationUrgency,
  pathConditions,
  quietUntil,
  withinWindows,
  type PageSubject,
  type PathConditions,
  type WeeklyWindows,
} from './conditions.js';

const t = (iso: string) => Date.parse(iso);
const office: WeeklyWindows = {
  timeZone: 'Europe/Amsterdam',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
};
const subject = (over: Partial<PageSubject> = {}): PageSubject => ({
  kind: 'sla_alert',
  urgency: 'high',
  priority: 'high',
  source: 'zendesk',
  tags: [],
  policyId: 'vip',
  ...over,
});
const cond = (c: unknown): PathConditions => pathConditions.parse(c);

describe('working hours in the path zone', () => {
  it('reads office hours on the clocks of the path zone, across the spring-forward', () => {
    // The same 07:30 UTC: 08:30 CET on Friday (closed), 09:30 CEST on Monday (open).
    expect(withinWindows(office, t('2026-03-27T07:30Z'))).toBe(false); // Fri 08:30 CET
    expect(withinWindows(office, t('2026-03-30T07:30Z'))).toBe(true); // Mon 09:30 CEST
    expect(withinWindows(office, t('2026-03-30T14:59Z'))).toBe(true); // Mon 16:59 CEST
    expect(withinWindows(office, t('2026-03-30T15:00Z'))).toBe(false); // Mon 17:00 CEST
    expect(withinWindows(office, t('2026-03-28T10:00Z'))).toBe(false); // Saturday
  });

  it('moves a window that starts at a wall time the spring-forward skips to after the gap', () => {
    const w = {
      timeZone: 'Europe/Amsterdam',
      windows: [{ days: ['sun' as const], start: '02:30', end: '05:00' }],
    };
    expect(withinWindows(w, t('2026-03-29T01:15Z'))).toBe(false); // 03:15 CEST, before 03:30
    expect(withinWindows(w, t('2026-03-29T01:30Z'))).toBe(true); // 03:30 CEST
    expect(withinWindows(w, t('2026-03-29T02:59Z'))).toBe(true); // 04:59 CEST
  });

  it('pages a nights path outside office hours and an office path inside them, never both', () => {
    const inside = cond({ hours: { ...office } });
    const outside = cond({ hours: { ...office, during: 'outside' } });
    fc.assert(
      fc.property(
        fc.integer({ min: t('2026-01-01T00:00Z'), max: t('2026-12-31T00:00Z') }),
        (at) => {
          expect(conditionsHold(inside, subject(), at)).toBe(
            !conditionsHold(outside, subject(), at),
          );
        },
      ),
    );
  });
});

describe('quiet hours', () => {
  const n: WeeklyWindows = {
    timeZone: 'Europe/Amsterdam',
    windows: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '07:00' },
    ],
  };

  it('holds until 07:00 local on the 25-hour night of the fall-back', () => {
    // Sat 24 Oct 23:00 CEST; clocks go back at 03:00; Sun 07:00 CET is 06:00 UTC.
    expect(quietUntil(n, t('2026-10-24T21:00Z'))).toBe(t('2026-10-25T06:00Z'));
  });

  it('holds until 07:00 local on the 23-hour night of the spring-forward', () => {
    // Sat 28 Mar 23:00 CET; Sun 07:00 CEST is 05:00 UTC.
    expect(quietUntil(n, t('2026-03-28T22:00Z'))).toBe(t('2026-03-29T05:00Z'));
  });

  it('follows windows that touch through midnight, and holds nothing outside them', () => {
    const w: WeeklyWindows = {
      timeZone: 'America/New_York',
      windows: [
        { days: ['fri'], start: '20:00', end: '00:00' },
        { days: ['sat'], start: '00:00', end: '09:00' },
      ],
    };
    // Fri 6 Nov 21:00 EST -> Sat 09:00 EST (14:00 UTC).
    expect(quietUntil(w, t('2026-11-07T02:00Z'))).toBe(t('2026-11-07T14:00Z'));
    expect(quietUntil(w, t('2026-11-06T18:00Z'))).toBeNull(); // Fri 13:00 EST
  });
});

describe('which path pages', () => {
  const paths = [
    { id: 'default', isDefault: true, conditions: cond({}) },
    { id: 'vip', isDefault: false, conditions: cond({}) },
    { id: 'incidents', isDefault: false, conditions: cond({ urgencies: ['high'] }) },
    { id: 'office', isDefault: false, conditions: cond({ hours: { ...office } }) },
  ];

  it("takes a policy's override, else the default", () => {
    const routes = [{ match: { policyIds: ['vip'] }, pathId: 'vip' }];
    expect(choosePath(paths, routes, subject(), 0)).toBe('vip');
    expect(choosePath(paths, routes, subject({ policyId: 'other' }), 0)).toBe('default');
  });

  it("takes an escalation type's override only when the path's conditions hold", () => {
    const routes = [{ match: { escalationTypes: ['incident' as const] }, pathId: 'incidents' }];
    const esc = (urgency: 'high' | 'low') =>
      subject({ kind: 'escalation', escalationType: 'incident', urgency });
    expect(choosePath(paths, routes, esc('high'), 0)).toBe('incidents');
    expect(choosePath(paths, routes, esc('low'), 0)).toBe('default');
  });

  it('routes escalation requests by severity and tag, in order', () => {
    const routes = [
      { match: { kinds: ['escalation' as const], tags: ['billing'] }, pathId: 'office' },
      { match: { severities: ['critical' as const] }, pathId: 'incidents' },
    ];
    const billing = subject({ kind: 'escalation', severity: 'critical', tags: ['billing'] });
    expect(choosePath(paths, routes, billing, t('2026-03-30T08:00Z'))).toBe('office'); // Mon 10:00
    expect(choosePath(paths, routes, billing, t('2026-03-28T08:00Z'))).toBe('incidents'); // Sat
  });

  it('pages nobody when no path fits (managers are told instead)', () => {
    const onlyOffice = [
      { id: 'office', isDefault: true, conditions: cond({ hours: { ...office } }) },
    ];
    expect(choosePath(onlyOffice, [], subject(), t('2026-03-28T08:00Z'))).toBeNull();
  });

  it('matches priority and source only for pages about a ticket', () => {
    const c = cond({ priorities: ['urgent'], sources: ['zendesk'] });
    expect(conditionsHold(c, subject({ priority: 'urgent' }), 0)).toBe(true);
    expect(conditionsHold(c, subject({ priority: 'high' }), 0)).toBe(false);
    expect(conditionsHold(c, subject({ priority: 'urgent', source: 'redmine' }), 0)).toBe(false);
    expect(conditionsHold(c, subject({ kind: 'connector', priority: null, source: null }), 0)).toBe(
      false,
    );
  });

  it('a path without conditions takes everything', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('high' as const, 'low' as const),
        fc.constantFrom(
          'urgent' as const,
          'high' as const,
          'normal' as const,
          'low' as const,
          null,
        ),
        fc.integer({ min: 0, max: 4e12 }),
        (urgency, priority, at) =>
          conditionsHold(cond({}), subject({ urgency, priority }), at) === true,
      ),
    );
  });
});

describe('urgency', () => {
  it.each([
    ['breach', 'urgent', 'high'],
    ['warn:50', 'urgent', 'high'],
    ['breach', 'high', 'high'],
    ['warn:75', 'high', 'low'],
    ['breach', 'normal', 'low'],
    ['warn:50', 'low', 'low'],
  ] as const)('an SLA %s on a %s ticket is %s urgency', (level, priority, urgency) => {
    expect(alertUrgency(level, priority)).toBe(urgency);
  });

  it('high and critical escalation requests are high urgency', () => {
    expect(['low', 'normal', 'high', 'critical'].map((s) => escalationUrgency(s as never))).toEqual(
      ['low', 'low', 'high', 'high'],
    );
  });
});
