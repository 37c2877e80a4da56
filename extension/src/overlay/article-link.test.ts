import { describe, expect, it } from 'vitest';
import { articleLink } from './article-link';

describe('articleLink', () => {
  const server = 'https://deskwatch.test';

  it("uses the article's own http(s) address, else its page on the server", () => {
    expect(articleLink({ id: 'a1', externalUrl: 'https://help.test/kb/1' }, server)).toBe(
      'https://help.test/kb/1',
    );
    expect(articleLink({ id: 'a 1', externalUrl: null }, server)).toBe(
      'https://deskwatch.test/kb/a%201',
    );
    expect(articleLink({ id: 'a1', externalUrl: null }, null)).toBeNull();
  });

  it('never links to a stored javascript:, data: or vbscript: address', () => {
    for (const externalUrl of [
      'javascript:alert(document.cookie)',
      ' JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
    ]) {
      expect(articleLink({ id: 'a1', externalUrl }, server)).toBe('https://deskwatch.test/kb/a1');
      expect(articleLink({ id: 'a1', externalUrl }, null)).toBeNull();
    }
  });
});
