import { expect, it } from 'vitest';
import {
  adapterSpec,
  adapterValues,
  exampleMismatches,
  matchTicketUrl,
  urlPatternRegex,
} from './adapter.js';

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

it('reads ** as any host or several path segments, and shapes the id with idPattern', () => {
  const gitlab = urlPatternRegex('https://**/:id', '[\\w.-]+(?:/[\\w.-]+)+/-/issues/\\d+');
  expect('https://git.acme.internal:8443/ops/desk/-/issues/3'.match(gitlab)?.groups?.id).toBe(
    'ops/desk/-/issues/3',
  );
  expect(gitlab.test('https://git.acme.internal/ops/desk/-/issues/new')).toBe(false);
  const gmail = urlPatternRegex('https://mail.google.com/mail/u/*/#**/:id', '[A-Za-z0-9]{16,}');
  expect(gmail.test('https://mail.google.com/mail/u/0/#label/Support/FMfcgzQXJWHLpqKkRbgs')).toBe(
    true,
  );
  expect(gmail.test('https://mail.google.com/mail/u/0/#inbox/p2')).toBe(false);
  // One host label only for `*`: no sneaking in a port or another domain.
  expect(urlPatternRegex('https://*.zendesk.com/t/:id').test('https://a.zendesk.com:1/t/1')).toBe(
    false,
  );
  expect(
    matchTicketUrl(
      ['https://*.service-now.com/incident.do?sys_id=:id'],
      'https://x.service-now.com/incident.do?sys_id=abc&sysparm_view=ess',
    ),
  ).toBe('abc');
});

it('rejects an id pattern that is not a regular expression or captures', () => {
  const base = {
    id: 'acme',
    name: 'Acme',
    urlPattern: 'https://help.acme.com/cases/:id',
    examples: { ticket: ['https://help.acme.com/cases/1'] },
    selectors: { subject: 'h1', status: '.s', priority: '.p', requester: '.r', created: 'time' },
    values: { status: {}, priority: {} },
  };
  expect(adapterSpec.safeParse({ ...base, idPattern: '\\d+' }).success).toBe(true);
  expect(adapterSpec.safeParse({ ...base, idPattern: '(\\d+' }).success).toBe(false);
  expect(adapterSpec.safeParse({ ...base, idPattern: '(\\d+)' }).success).toBe(false);
  expect(
    adapterSpec.safeParse({ ...base, selectors: { ...base.selectors, subject: '@' } }).success,
  ).toBe(false);
});

it("keeps a workspace's zone, language and date format for a tool, and rejects ones that are not", () => {
  expect(
    adapterValues.parse({ timeZone: 'UTC', locale: 'de-AT', dateFormat: 'dd.MM.yyyy HH:mm' }),
  ).toEqual({
    status: {},
    priority: {},
    timeZone: 'UTC',
    locale: 'de-AT',
    dateFormat: 'dd.MM.yyyy HH:mm',
  });
  expect(adapterValues.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
  expect(adapterValues.safeParse({ locale: 'German please' }).success).toBe(false);
  expect(adapterValues.safeParse({ dateFormat: '' }).success).toBe(false);
});
