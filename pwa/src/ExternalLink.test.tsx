import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExternalLink } from './ExternalLink';

describe('ExternalLink', () => {
  it('links to an http(s) address in a new tab', () => {
    expect(
      renderToStaticMarkup(<ExternalLink href="https://desk.test/tickets/1">Ticket</ExternalLink>),
    ).toBe(
      '<a href="https://desk.test/tickets/1" target="_blank" rel="noreferrer noopener">Ticket</a>',
    );
  });

  it('shows a stored javascript:, data: or vbscript: address as text, never as a link', () => {
    for (const href of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      null,
    ]) {
      const html = renderToStaticMarkup(<ExternalLink href={href}>Ticket</ExternalLink>);
      expect(html).toBe('<span data-unsafe-link="">Ticket</span>');
    }
  });

  it('is how every screen links to an address that came from data', () => {
    const dir = join(import.meta.dirname, 'screens');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.tsx') && !f.includes('.test.'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/<a\s[^>]*href=\{(?!`\/)([^}]*)\}/g)].map(
          (m) => `${f}: href={${m[1]}}`,
        ),
      );
    // Allowed: app paths (`/kb/...`) and a download built in the page from JSON.
    expect(offenders.filter((o) => !o.includes('data:application/json'))).toEqual([]);
  });
});
