import { describe, expect, it } from 'vitest';
import {
  DEMO_DESK_ID,
  planSync,
  SITE_PREFIX,
  sitesFromRegistrations,
  wantedRegistrations,
} from './registrations';

const site = (pattern: string) => ({ id: `${SITE_PREFIX}${pattern}`, matches: [pattern] });
const A = 'https://desk.example.com/*';
const B = 'http://localhost/*';

describe('wantedRegistrations', () => {
  it('wants one registration per stored site, and the Demo Desk only while paired', () => {
    expect(wantedRegistrations([A, B, A], null)).toEqual([site(A), site(B)]);
    expect(wantedRegistrations([A], 'http://127.0.0.1:8787')).toEqual([
      site(A),
      { id: DEMO_DESK_ID, matches: ['http://127.0.0.1/demo*'] },
    ]);
  });
});

describe('planSync', () => {
  it('registers every stored site after a restart or update left none registered', () => {
    expect(planSync(wantedRegistrations([A, B], 'http://127.0.0.1:8787'), [])).toEqual({
      unregister: [],
      register: [site(A), site(B), { id: DEMO_DESK_ID, matches: ['http://127.0.0.1/demo*'] }],
    });
  });

  it('changes nothing when the registrations already match the list (runs at every start)', () => {
    const wanted = wantedRegistrations([A, B], 'http://127.0.0.1:8787');
    expect(planSync(wanted, wanted)).toEqual({ unregister: [], register: [] });
  });

  it('registers only the missing site and unregisters the one no longer in the list', () => {
    expect(planSync([site(A), site(B)], [site(B), site('https://old.example/*')])).toEqual({
      unregister: [`${SITE_PREFIX}https://old.example/*`],
      register: [site(A)],
    });
  });

  it('replaces the Demo Desk when paired with another server, and drops it once unpaired', () => {
    const old = { id: DEMO_DESK_ID, matches: ['http://127.0.0.1/demo*'] };
    expect(planSync(wantedRegistrations([], 'https://dw.example.com'), [old])).toEqual({
      unregister: [DEMO_DESK_ID],
      register: [{ id: DEMO_DESK_ID, matches: ['https://dw.example.com/demo*'] }],
    });
    expect(planSync(wantedRegistrations([], null), [old])).toEqual({
      unregister: [DEMO_DESK_ID],
      register: [],
    });
  });

  it('leaves registrations that are not Deskwatch overlay scripts alone', () => {
    expect(planSync([], [{ id: 'someone-else', matches: [A] }])).toEqual({
      unregister: [],
      register: [],
    });
  });

  it('compares patterns regardless of their order', () => {
    const two = { id: `${SITE_PREFIX}x`, matches: [A, B] };
    expect(planSync([two], [{ ...two, matches: [B, A] }])).toEqual({
      unregister: [],
      register: [],
    });
  });
});

describe('sitesFromRegistrations', () => {
  it('recovers the site list of an install that kept its sites only as registrations', () => {
    expect(
      sitesFromRegistrations([site(B), { id: DEMO_DESK_ID }, site(A), { id: 'someone-else' }]),
    ).toEqual([B, A]); // sorted
  });
});
