import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoTickets } from './db/schema.js';
import { createApp } from './app.js';
import { testEnv } from './testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  env = await testEnv();
  app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: 'http://127.0.0.1:8787',
    pwaDist: '/nonexistent',
  });
});
afterEach(() => env.close());

const json = { 'content-type': 'application/json' };
async function signIn(email: string, password: string) {
  const res = await app.request('/trpc/auth.signIn', {
    method: 'POST',
    headers: { ...json, 'x-deskwatch-csrf': '1' },
    body: JSON.stringify({ email, password }),
  });
  return res;
}

describe('HTTP', () => {
  it('signs in with an HttpOnly SameSite session cookie', async () => {
    const res = await signIn(env.a.users.manager.email, 'pw-manager');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(
      /^dw_session=[\w-]{20,}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
  });

  it('refuses a cookie-authenticated write without the CSRF header or from another origin', async () => {
    const cookie = (await signIn(env.a.users.agent.email, 'pw-agent')).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const noHeader = await app.request('/trpc/pairing.createCode', {
      method: 'POST',
      headers: { ...json, cookie },
      body: '{}',
    });
    expect(noHeader.status).toBe(403);
    const foreign = await app.request('/trpc/pairing.createCode', {
      method: 'POST',
      headers: { ...json, cookie, 'x-deskwatch-csrf': '1', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const ok = await app.request('/trpc/pairing.createCode', {
      method: 'POST',
      headers: { ...json, cookie, 'x-deskwatch-csrf': '1', origin: 'http://127.0.0.1:8787' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });

  it('answers bad input with a readable message naming the field', async () => {
    const res = await signIn('not-an-email', 'x');
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { message: string; data: { issues: { path: string[] }[] } };
    };
    expect(body.error.message).toMatch(/^email: /);
    expect(body.error.data.issues[0]!.path).toEqual(['email']);
  });

  it('serves the Demo Desk with ticket text escaped, never as markup', async () => {
    const [row] = await env.db
      .insert(demoTickets)
      .values({
        subject: '<img src=x onerror=alert(1)>',
        status: 'Open',
        priority: 'High',
        requester: 'a@b.c',
        createdAt: env.clock(),
      })
      .returning();
    const page = await (await app.request(`/demo/tickets/${row!.id}`)).text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain(`<time datetime="${new Date(env.clock()).toISOString()}">`);
  });

  it('reports health', async () => {
    expect(await (await app.request('/health')).json()).toMatchObject({ ok: true });
  });
});
