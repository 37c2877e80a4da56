import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let dist: string;
beforeEach(async () => {
  env = await testEnv();
  dist = mkdtempSync(join(tmpdir(), 'deskwatch-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PWA</title>');
});
afterEach(async () => {
  await env.close();
  rmSync(dist, { recursive: true, force: true });
});

const appAt = (publicUrl: string) =>
  createApp({
    db: env.db,
    services: env.services,
    publicUrl,
    pwaDist: dist,
    bodyLimits: { default: 1024, kbUpload: 1024 },
  });

/** The CSP as a map of directive to its sources. */
const csp = (res: Response) =>
  Object.fromEntries(
    (res.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

const requests: [string, RequestInit?][] = [
  ['/'],
  ['/tickets/42'], // a client-side route: index.html
  ['/missing.js'], // 404
  ['/%'], // 400
  ['/demo'],
  ['/demo/tickets/999'], // 404 page
  ['/health'],
  ['/trpc/auth.me'],
  ['/trpc/no.such'], // tRPC 404
  ['/trpc/auth.signIn', { method: 'POST', body: 'x'.repeat(2000) }], // 413
];

describe('security headers', () => {
  it.each(requests)('are on every answer: %s', async (path, init) => {
    const res = await appAt('http://127.0.0.1:8787').request(path, init);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
    // Plain http: HSTS would be ignored or, worse, pin a name that has no certificate.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('adds HSTS when the public URL is https', async () => {
    const app = appAt('https://deskwatch.example.com');
    for (const [path, init] of requests) {
      const res = await app.request(path, init);
      expect(res.headers.get('strict-transport-security'), path).toBe(
        'max-age=31536000; includeSubDomains',
      );
    }
  });

  it('gives the app a strict CSP: scripts, styles and calls from its own origin only', async () => {
    const p = csp(await appAt('http://127.0.0.1:8787').request('/'));
    expect(p['default-src']).toEqual(["'self'"]);
    expect(p['script-src']).toEqual(["'self'"]);
    expect(p['style-src']).toEqual(["'self'"]);
    expect(p['connect-src']).toEqual(["'self'"]);
    expect(p['worker-src']).toEqual(["'self'"]);
    expect(p['object-src']).toEqual(["'none'"]);
    expect(JSON.stringify(p)).not.toMatch(/unsafe/);
  });

  it('gives the Demo Desk no scripts and its stylesheet from a file, not inline', async () => {
    const app = appAt('http://127.0.0.1:8787');
    const page = await app.request('/demo');
    const p = csp(page);
    expect(p['default-src']).toEqual(["'none'"]);
    expect(p['style-src']).toEqual(["'self'"]);
    expect(p['script-src']).toBeUndefined();
    const html = await page.text();
    expect(html).not.toMatch(/<style|<script|style=/);
    expect(html).toContain('<link rel="stylesheet" href="/demo/demo.css" />');
    const css = await app.request('/demo/demo.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toMatch(/\.message\[data-visibility=internal\]/);
  });

  it('gives JSON answers a CSP that loads nothing', async () => {
    const p = csp(await appAt('http://127.0.0.1:8787').request('/health'));
    expect(p).toEqual({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });
  });
});
