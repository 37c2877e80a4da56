import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { auditLog, ssoSettings, users } from '../db/schema.js';
import { createSso } from '../services/sso.js';
import { testEnv } from '../testing.js';
import { startTestOidcProvider, TEST_OIDC_CLIENT } from '../testing-oidc.js';

const PUBLIC = 'https://deskwatch.test';
let env: Awaited<ReturnType<typeof testEnv>>;
let idp: Awaited<ReturnType<typeof startTestOidcProvider>>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  idp = await startTestOidcProvider(`${PUBLIC}/sso/callback`);
});
afterAll(() => idp.close());
beforeEach(async () => {
  env = await testEnv();
  app = createApp({
    db: env.db,
    services: env.services,
    publicUrl: PUBLIC,
    pwaDist: '/nonexistent',
  });
  idp.state.signInAs = null;
});
afterEach(() => env.close());

const settings = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  issuer: idp.issuer,
  clientId: TEST_OIDC_CLIENT.id,
  clientSecret: TEST_OIDC_CLIENT.secret,
  allowedDomain: 'alpha.test',
  defaultRole: 'agent' as const,
  ...over,
});

/**
 * A browser's navigation: follows redirects with a cookie jar per host, sending requests for
 * Deskwatch to the app (no network) and the rest to the provider on loopback. Returns where it
 * stopped (a URL outside both, or Deskwatch's own pages) and Deskwatch's cookies.
 */
async function browse(start: string, jar = new Map<string, Map<string, string>>()) {
  let url = new URL(start, PUBLIC);
  for (let hops = 0; hops < 20; hops++) {
    const cookies = jar.get(url.host) ?? new Map<string, string>();
    jar.set(url.host, cookies);
    const headers = { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const res =
      url.origin === PUBLIC
        ? await app.request(url.href, { headers })
        : await fetch(url, { headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [k, v] = pair!.split('=') as [string, string];
      if (attrs.some((a) => /max-age=0\b/i.test(a.trim())) || v === '') cookies.delete(k.trim());
      else cookies.set(k.trim(), v);
    }
    const to = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !to) {
      throw new Error(`stopped at ${url.href} with ${res.status}: ${await res.text()}`);
    }
    url = new URL(to, url);
    // Back in the app's pages: where a browser would now load the PWA.
    if (url.origin === PUBLIC && !url.pathname.startsWith('/sso/')) break;
  }
  return { url, cookies: jar.get(new URL(PUBLIC).host)!, jar };
}

async function me(cookies: Map<string, string>) {
  const res = await app.request(`${PUBLIC}/trpc/auth.me`, {
    headers: { cookie: `dw_session=${cookies.get('dw_session') ?? ''}` },
  });
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

it('signs in an existing person by their verified e-mail, with code, PKCE, state and nonce', async () => {
  const admin = await env.as('admin@alpha.test');
  await admin.sso.save(settings());
  const { url, cookies } = await browse('/sso/start?email=manager@alpha.test');
  expect(url.href).toBe(`${PUBLIC}/`);
  expect(await me(cookies)).toMatchObject({ email: 'manager@alpha.test', role: 'manager' });
  // The state cookie is spent, and so is the flow.
  expect(cookies.has('dw_sso_state')).toBe(false);
  expect(await env.db.query.ssoFlows.findMany()).toEqual([]);
});

it('sends the provider a PKCE challenge, a state and a nonce', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings());
  const res = await app.request(`${PUBLIC}/sso/start?email=agent@alpha.test`);
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get('location')!);
  expect(to.origin).toBe(idp.issuer);
  expect(to.searchParams.get('code_challenge_method')).toBe('S256');
  expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
  expect(to.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/sso/callback`);
  const state = to.searchParams.get('state')!;
  expect(res.headers.get('set-cookie')).toContain(`dw_sso_state=${state}`);
  expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
});

it('slows down a flood of starts from one address, storing no flow for a refused one', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings());
  const trusting = createApp({
    db: env.db,
    services: env.services,
    publicUrl: PUBLIC,
    pwaDist: '/nonexistent',
    trustProxy: true,
  });
  const start = (ip: string) =>
    trusting.request(`${PUBLIC}/sso/start?email=agent@alpha.test`, {
      headers: { 'x-forwarded-for': ip },
    });
  for (let i = 0; i < 30; i++) {
    expect(new URL((await start('203.0.113.9')).headers.get('location')!).origin).toBe(idp.issuer);
  }
  const flows = (await env.db.query.ssoFlows.findMany()).length;
  const refused = await start('203.0.113.9');
  expect(refused.status).toBe(302);
  expect(refused.headers.get('location')).toBe('/#sso-error=busy');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await env.db.query.ssoFlows.findMany()).length).toBe(flows);
  // Another address goes ahead; this one does again after the window.
  expect(new URL((await start('203.0.113.10')).headers.get('location')!).origin).toBe(idp.issuer);
  env.clock.advance(15 * 60_000);
  expect(new URL((await start('203.0.113.9')).headers.get('location')!).origin).toBe(idp.issuer);
});

it('creates a person with the default role when their verified domain is allowed', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings({ defaultRole: 'manager' }));
  idp.state.signInAs = { email: 'New.Person@alpha.test', email_verified: true, name: 'New Person' };
  const { cookies } = await browse('/sso/start?email=new.person@alpha.test');
  expect(await me(cookies)).toMatchObject({ email: 'new.person@alpha.test', role: 'manager' });
  const u = await env.db.query.users.findFirst({ where: eq(users.email, 'new.person@alpha.test') });
  expect(u).toMatchObject({ workspaceId: env.a.id, name: 'New Person' });
  const joined = await env.db.query.auditLog.findFirst({
    where: eq(auditLog.action, 'person.join'),
  });
  expect(JSON.parse(joined!.afterJson!)).toMatchObject({ via: 'sso', role: 'manager' });
});

it('lets an invited address in with its invitation role, once, even outside the allowed domain', async () => {
  const admin = await env.as('admin@alpha.test');
  await admin.sso.save(settings({ allowedDomain: null }));
  await admin.people.invite({ email: 'contractor@elsewhere.test', role: 'manager', days: 7 });
  const { cookies } = await browse('/sso/start?email=contractor@elsewhere.test');
  expect(await me(cookies)).toMatchObject({ email: 'contractor@elsewhere.test', role: 'manager' });
  expect((await admin.people.list()).invitations).toEqual([]);
});

it('refuses an address neither invited nor in the allowed domain, and creates nobody', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings({ allowedDomain: null }));
  // Asked for by an address that has no workspace with SSO: never sent to a provider.
  let out = await browse('/sso/start?email=stranger@alpha.test');
  expect(out.url.hash).toBe('#sso-error=unavailable');
  // The provider says someone else than the address typed (an account the IdP holds).
  idp.state.signInAs = { email: 'stranger@alpha.test', email_verified: true };
  out = await browse('/sso/start?email=agent@alpha.test');
  expect(out.url.hash).toBe('#sso-error=not-member');
  expect(await me(out.cookies)).toBeNull();
  expect(
    await env.db.query.users.findFirst({ where: eq(users.email, 'stranger@alpha.test') }),
  ).toBeUndefined();
});

it('refuses an unverified e-mail and a person of another workspace', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings());
  idp.state.signInAs = { email: 'newbie@alpha.test', email_verified: false };
  let out = await browse('/sso/start?email=newbie@alpha.test');
  expect(out.url.hash).toBe('#sso-error=unverified');
  // Beta's agent, as Alpha's provider asserts it: not a way into Beta, nor into Alpha.
  idp.state.signInAs = { email: 'agent@beta.test', email_verified: true };
  out = await browse('/sso/start?email=agent@alpha.test');
  expect(out.url.hash).toBe('#sso-error=not-member');
  expect(await me(out.cookies)).toBeNull();
});

it('refuses a callback whose state is not this browser’s, and a flow used twice', async () => {
  await (await env.as('admin@alpha.test')).sso.save(settings());
  const start = await app.request(`${PUBLIC}/sso/start?email=agent@alpha.test`);
  const to = new URL(start.headers.get('location')!);
  const state = to.searchParams.get('state')!;
  // Another browser (an attacker's link) arrives with the state but without its cookie.
  const forged = await app.request(`${PUBLIC}/sso/callback?code=x&state=${state}`);
  expect(forged.headers.get('location')).toBe('/#sso-error=failed');
  // A callback with the cookie but a code the provider never issued fails, and spends the flow.
  const wrongCode = await app.request(`${PUBLIC}/sso/callback?code=nope&state=${state}`, {
    headers: { cookie: `dw_sso_state=${state}` },
  });
  expect(wrongCode.headers.get('location')).toBe('/#sso-error=failed');
  expect(await env.db.query.ssoFlows.findMany()).toEqual([]);
});

it('refuses a deactivated person', async () => {
  const admin = await env.as('admin@alpha.test');
  await admin.sso.save(settings());
  await admin.people.deactivate({ userId: env.a.users.agent.userId });
  const out = await browse('/sso/start?email=agent@alpha.test');
  expect(out.url.hash).toBe('#sso-error=deactivated');
  expect(await me(out.cookies)).toBeNull();
  idp.state.signInAs = { email: 'agent@alpha.test', email_verified: true };
  const viaOther = await browse('/sso/start?email=manager@alpha.test');
  expect(viaOther.url.hash).toBe('#sso-error=deactivated');
});

it('keeps the client secret sealed at rest and never sends it back', async () => {
  const admin = await env.as('admin@alpha.test');
  const shown = await admin.sso.save(settings());
  expect(JSON.stringify(shown)).not.toContain(TEST_OIDC_CLIENT.secret);
  expect(shown.settings).toMatchObject({ hasSecret: true, issuer: idp.issuer });
  const row = await env.db.query.ssoSettings.findFirst({
    where: eq(ssoSettings.workspaceId, env.a.id),
  });
  expect(row!.clientSecret).toMatch(/^v1\./);
  expect(row!.clientSecret).not.toContain(TEST_OIDC_CLIENT.secret);
  // Saving without a secret keeps the stored one: sign-in still works.
  await admin.sso.save({ ...settings(), clientSecret: undefined, defaultRole: 'manager' });
  const { cookies } = await browse('/sso/start?email=agent@alpha.test');
  expect(await me(cookies)).toMatchObject({ email: 'agent@alpha.test' });
  const entries = await env.db.query.auditLog.findMany({
    where: eq(auditLog.action, 'sso.settings'),
  });
  expect(entries).toHaveLength(2);
  expect(entries.map((e) => e.afterJson).join()).not.toContain(TEST_OIDC_CLIENT.secret);
});

it('rejects bad settings and writes nothing', async () => {
  const admin = await env.as('admin@alpha.test');
  await expect(admin.sso.save(settings({ issuer: 'ftp://idp.test' }))).rejects.toThrow(/issuer/);
  await expect(admin.sso.save(settings({ allowedDomain: 'not a domain' }))).rejects.toThrow(
    /domain/,
  );
  await expect(admin.sso.save(settings({ defaultRole: 'admin' }))).rejects.toThrow();
  await expect(admin.sso.save(settings({ clientSecret: undefined }))).rejects.toThrow(/secret/);
  expect(await env.db.query.ssoSettings.findMany()).toEqual([]);
  // A domain belongs to one workspace.
  await admin.sso.save(settings());
  await expect(
    (await env.as('admin@beta.test')).sso.save(settings({ allowedDomain: 'alpha.test' })),
  ).rejects.toThrow(/another workspace/);
  expect((await (await env.as('admin@beta.test')).sso.settings()).settings).toBeNull();
});

it('accepts only https:// issuers unless the server allows http for development', async () => {
  const sso = createSso(env.db, env.clock, {
    audit: env.services.audit,
    key: Buffer.alloc(32),
    publicUrl: () => PUBLIC,
  });
  const actor = { userId: env.a.users.admin.userId, workspaceId: env.a.id };
  await expect(sso.save(actor, settings())).rejects.toThrow('The issuer must be an https:// URL');
});

it('is for admins only', async () => {
  for (const who of ['agent@alpha.test', 'manager@alpha.test']) {
    const c = await env.as(who);
    await expect(c.sso.settings()).rejects.toThrow(/Admins only/);
    await expect(c.sso.save(settings())).rejects.toThrow(/Admins only/);
  }
});
