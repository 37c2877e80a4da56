import { describe, expect, it } from 'vitest';
import { customerRule } from './authorship';

const agents = ['alice agent', 'bob builder', 'alice@helpdesk.example'];

describe('not-agent authorship', () => {
  const isCustomer = customerRule('not-agent', { name: 'Dana Customer' }, agents);

  it('counts anyone not in the agent list as a customer, a second customer included', () => {
    expect(isCustomer('Dana Customer')).toBe(true);
    expect(isCustomer('Frank Customer')).toBe(true); // not the requester, still no agent
  });

  it('knows agents by name or e-mail, without case, in whatever form the page writes them', () => {
    expect(isCustomer('Alice Agent')).toBe(false);
    expect(isCustomer('  BOB   Builder ')).toBe(false);
    expect(isCustomer('ALICE@helpdesk.example')).toBe(false);
    expect(isCustomer('A. Agent <alice@helpdesk.example>')).toBe(false);
    expect(isCustomer('Bob Builder (bob@elsewhere.example)')).toBe(false);
  });

  it('counts no one when the page shows no author', () => {
    expect(isCustomer(null)).toBe(false);
    expect(isCustomer('  ')).toBe(false);
  });

  it('falls back to the requester rule while the agent list is empty (not loaded yet)', () => {
    for (const list of [undefined, []]) {
      const rule = customerRule('not-agent', { name: 'Dana Customer' }, list);
      expect(rule('Dana Customer')).toBe(true);
      expect(rule('Frank Customer')).toBe(false);
    }
  });
});

describe('requester authorship', () => {
  const isCustomer = customerRule(
    'requester',
    { name: 'Dana Customer', email: 'dana@customer.example' },
    agents,
  );

  it('counts the requester by name or by e-mail, without case', () => {
    expect(isCustomer('dana customer')).toBe(true);
    expect(isCustomer('DANA@customer.example')).toBe(true);
    // The tool shows the creating message under the e-mail it came from.
    expect(isCustomer('Support Desk <dana@customer.example>')).toBe(true);
    expect(isCustomer('Frank Customer')).toBe(false);
    expect(isCustomer('Alice Agent')).toBe(false);
  });

  it('counts no one when the page shows no requester', () => {
    expect(customerRule('requester', { name: null }, [])('Dana')).toBe(false);
  });
});
