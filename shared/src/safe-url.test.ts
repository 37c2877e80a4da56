import { describe, expect, it } from 'vitest';
import { isSafeHttpUrl } from './safe-url.js';
import { httpUrl } from './schemas/api.js';

describe('isSafeHttpUrl', () => {
  it('accepts absolute http and https URLs', () => {
    for (const u of ['https://help.example.com/kb/42', 'http://127.0.0.1:8787/demo/tickets/1'])
      expect(isSafeHttpUrl(u)).toBe(true);
  });

  it('refuses script, data and other schemes however they are written', () => {
    for (const u of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/x',
      '/kb/42',
      'not a url',
      '',
      null,
      42,
    ])
      expect(isSafeHttpUrl(u), String(u)).toBe(false);
  });
});

describe('httpUrl', () => {
  it('refuses a javascript: URL and says what is accepted', () => {
    const r = httpUrl().safeParse('javascript:alert(1)');
    expect(r.error?.issues[0]?.message).toBe('must be an http:// or https:// URL');
    expect(httpUrl().parse('https://help.example.com/kb/42')).toBe(
      'https://help.example.com/kb/42',
    );
  });
});
