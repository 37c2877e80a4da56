import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapters } from './index';

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
          !['index.ts', 'types.ts', 'dom.ts'].includes(f),
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
