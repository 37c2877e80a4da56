import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterSpec, exampleMismatches } from '@deskwatch/shared';
import { dataAdapter } from './engine';
import { withOverrides } from './types';
import { adapterFor, adapters } from './index';

describe('adapter URL predicates', () => {
  // Every adapter's examples are checked against every predicate: true for its own ticket
  // pages, false for its non-ticket examples and for every other adapter's pages.
  for (const a of adapters) {
    for (const other of adapters) {
      for (const url of other.examples.ticket) {
        const expected = a === other;
        it(`${a.id} ${expected ? 'accepts' : 'rejects'} ${url}`, () =>
          expect(a.isTicketPage(new URL(url))).toBe(expected));
      }
    }
    for (const url of a.examples.notTicket) {
      it(`${a.id} rejects its non-ticket page ${url}`, () =>
        expect(a.isTicketPage(new URL(url))).toBe(false));
    }
  }

  it('registers every adapter file, with examples, under an id equal to its file name', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter(
        (f) =>
          f.endsWith('.ts') &&
          !f.endsWith('.test.ts') &&
          !['index.ts', 'types.ts', 'dom.ts', 'engine.ts', 'authorship.ts'].includes(f),
      )
      .map((f) => f.replace(/\.ts$/, ''));
    expect(adapters.map((a) => a.id).sort()).toEqual(files.sort());
    for (const a of adapters) expect(a.examples.ticket.length).toBeGreaterThan(0);
  });
});

describe('the README', () => {
  it('lists every adapter in its table of supported tools', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(
      readme.indexOf('## Supported ticketing tools'),
      readme.indexOf('## Install the manager app'),
    );
    for (const a of adapters) expect(table, a.id).toMatch(new RegExp(`\\|\\s*\`${a.id}\`\\s*\\|`));
  });
});

describe('the README adapter example', () => {
  it('is a valid adapter whose examples match its URL pattern', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const from = readme.indexOf('### Teach Deskwatch a tool');
    const json = readme.slice(
      readme.indexOf('```json', from) + 7,
      readme.indexOf('```', readme.indexOf('```json', from) + 7),
    );
    const spec = adapterSpec.parse(JSON.parse(json));
    expect(exampleMismatches(spec)).toEqual([]);
    expect(dataAdapter(spec).isListPage?.(new URL('https://help.acme.com/cases'))).toBe(true);
  });
});

describe('taught adapters', () => {
  it('run through the same engine and come before built-in ones for their URLs', () => {
    const taught = dataAdapter(
      adapterSpec.parse({
        id: 'acme-help',
        name: 'Acme Help',
        urlPattern: 'https://help.acme.test/cases/:id',
        examples: {
          ticket: ['https://help.acme.test/cases/77'],
          notTicket: ['https://help.acme.test/cases'],
        },
        selectors: {
          subject: 'h1',
          status: '.st',
          priority: '.pr',
          requester: '.who',
          created: 'time',
        },
        values: { status: { Open: 'open' }, priority: { P1: 'urgent' } },
      }),
    );
    expect(adapterFor(new URL('https://help.acme.test/cases/77'), [taught])?.id).toBe('acme-help');
    expect(adapterFor(new URL('https://help.acme.test/cases'), [taught])).toBeUndefined();
    expect(adapterFor(new URL('http://127.0.0.1:8787/demo/tickets/1'), [taught])?.id).toBe(
      'demo-desk',
    );
    for (const a of adapters)
      for (const url of a.examples.ticket)
        expect(taught.isTicketPage(new URL(url)), url).toBe(false);
  });
});

describe('workspace value mappings', () => {
  it('lay over the adapter maps, case-insensitively, without changing the adapter', () => {
    const zendesk = adapters.find((a) => a.id === 'zendesk')!;
    const maps = withOverrides(zendesk.values, {
      status: { 'Waiting on Vendor': 'on_hold', Open: 'new' },
      priority: {},
    });
    expect(maps.status['waiting on vendor']).toBe('on_hold');
    expect(maps.status.open).toBe('new');
    expect(maps.status.solved).toBe('solved');
    expect(zendesk.values.status.open).toBe('open');
    expect(withOverrides(zendesk.values)).toEqual(zendesk.values);
  });
});
