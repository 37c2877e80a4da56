import { expect, it } from 'vitest';
import { adapterSpec, exampleMismatches, urlPatternRegex } from './adapter.js';

it('matches ticket URLs with the id captured, across subdomains and with queries', () => {
  const re = urlPatternRegex('https://*.acme-help.com/cases/:id');
  expect('https://eu.acme-help.com/cases/77'.match(re)?.groups?.id).toBe('77');
  expect(re.test('https://eu.acme-help.com/cases/77?tab=notes#x')).toBe(true);
  expect(re.test('https://eu.acme-help.com/cases/77/edit')).toBe(false);
  expect(re.test('https://evil.com/eu.acme-help.com/cases/77')).toBe(false);
  expect(re.test('https://eu.acme-help.com.evil.com/cases/77')).toBe(false);
});

it('reports examples that contradict the pattern, and rejects a pattern without :id', () => {
  expect(
    exampleMismatches({
      urlPattern: 'https://help.acme.com/cases/:id',
      examples: {
        ticket: ['https://help.acme.com/case/1'],
        notTicket: ['https://help.acme.com/cases/2'],
      },
    }),
  ).toEqual([
    'https://help.acme.com/case/1 should be a ticket page but does not match https://help.acme.com/cases/:id',
    'https://help.acme.com/cases/2 should not be a ticket page but matches https://help.acme.com/cases/:id',
  ]);
  const bad = adapterSpec.safeParse({
    id: 'acme',
    name: 'Acme',
    urlPattern: 'https://help.acme.com/cases',
    examples: { ticket: ['https://help.acme.com/cases'] },
    selectors: {},
    values: { status: {}, priority: {} },
  });
  expect(bad.success).toBe(false);
});
