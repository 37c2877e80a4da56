import { hash } from '@node-rs/argon2';
import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { SsoErrorCode, SsoSettingsInput } from '@deskwatch/shared';
import { newId, randomToken, seal, sha256, unseal } from '../crypto.js';
import type { Db } from '../db/client.js';
import { invitations, ssoFlows, ssoSettings, users } from '../db/schema.js';
import type { Audit } from './audit.js';
import type { Actor } from './people.js';

/** How long a sign-in may stay at the identity provider. */
export const SSO_FLOW_TTL_MS = 10 * 60_000;
/** Discovery, token and user-info requests to the identity provider give up after this long. */
const PROVIDER_TIMEOUT_S = 10;

/** A refusal with its tRPC code, written for the admin who asked. */
export class SsoSettingsError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'CONFLICT' | 'PRECONDITION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** Why a sign-in was refused: a code the sign-in screen turns into a sentence (`SSO_ERRORS`). */
export class SsoRefused extends Error {
  constructor(readonly reason: SsoErrorCode) {
    super(reason);
  }
}

export interface SsoOptions {
  audit: Audit;
  /** Seals client secrets (`sealingKey(CONNECTOR_SECRET_KEY)`); null: SSO cannot be set up. */
  key: Buffer | null;
  publicUrl: () => string;
  /**
   * Issuers on plain http:// (`SSO_ALLOW_HTTP`, for a provider on loopback in development and
   * tests); otherwise only https:// issuers are accepted.
   */
  allowHttp?: boolean;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/**
 * Single sign-on with OpenID Connect (authorization code + PKCE, state and nonce), through
 * `openid-client`. An address finds its workspace (its account's, an open invitation's, or the
 * allowed domain's); the provider's verified e-mail then signs in its account, spends its
 * invitation, or creates a person with the default role when its domain is allowed.
 */
export function createSso(db: Db, now: () => number, opts: SsoOptions) {
  const redirectUri = () => `${opts.publicUrl()}/sso/callback`;

  function checkIssuer(issuer: string) {
    const u = new URL(issuer);
    if (u.protocol !== 'https:' && !(opts.allowHttp && u.protocol === 'http:'))
      throw new SsoSettingsError('BAD_REQUEST', 'The issuer must be an https:// URL');
  }

  async function configFor(row: typeof ssoSettings.$inferSelect) {
    if (!opts.key) throw new SsoRefused('unavailable');
    const secret = unseal(opts.key, row.clientSecret);
    return oidc.discovery(
      new URL(row.issuer),
      row.clientId,
      { client_secret: secret },
      oidc.ClientSecretBasic(secret),
      {
        timeout: PROVIDER_TIMEOUT_S,
        ...(row.issuer.startsWith('http:') && opts.allowHttp
          ? { execute: [oidc.allowInsecureRequests] }
          : {}),
      },
    );
  }

  async function enabledSettings(workspaceId: string) {
    const row = await db.query.ssoSettings.findFirst({
      where: and(eq(ssoSettings.workspaceId, workspaceId), eq(ssoSettings.enabled, true)),
    });
    return row ?? null;
  }

  /** The workspace whose single sign-on serves `email`, if any. */
  async function workspaceFor(email: string): Promise<string | null> {
    const u = await db.query.users.findFirst({ where: eq(users.email, email) });
    if (u) return (await enabledSettings(u.workspaceId)) ? u.workspaceId : null;
    const invited = await db
      .select({ workspaceId: invitations.workspaceId })
      .from(invitations)
      .innerJoin(ssoSettings, eq(ssoSettings.workspaceId, invitations.workspaceId))
      .where(
        and(
          eq(invitations.email, email),
          isNull(invitations.usedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now()),
          eq(ssoSettings.enabled, true),
        ),
      )
      .orderBy(desc(invitations.createdAt))
      .limit(1);
    if (invited[0]) return invited[0].workspaceId;
    const byDomain = await db.query.ssoSettings.findFirst({
      where: and(eq(ssoSettings.allowedDomain, domainOf(email)), eq(ssoSettings.enabled, true)),
    });
    return byDomain?.workspaceId ?? null;
  }

  /** The person the verified `email` is in `workspaceId`: found, joined by invitation, or by domain. */
  async function personFor(
    workspaceId: string,
    settings: typeof ssoSettings.$inferSelect,
    email: string,
    name: string,
  ): Promise<string> {
    const u = await db.query.users.findFirst({ where: eq(users.email, email) });
    if (u) {
      if (u.workspaceId !== workspaceId) throw new SsoRefused('not-member');
      if (u.deactivatedAt !== null) throw new SsoRefused('deactivated');
      return u.id;
    }
    // Nobody signs in with a password they never chose: theirs is a random one, never shown.
    const passwordHash = await hash(randomToken());
    const userId = newId();
    const t = now();
    await db.transaction(async (tx) => {
      const [inv] = await tx
        .update(invitations)
        .set({ usedAt: t })
        .where(
          and(
            eq(invitations.workspaceId, workspaceId),
            eq(invitations.email, email),
            isNull(invitations.usedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, t),
          ),
        )
        .returning();
      const role = inv?.role ?? settings.defaultRole;
      if (!inv && (!settings.allowedDomain || domainOf(email) !== settings.allowedDomain))
        throw new SsoRefused('not-member');
      await tx.insert(users).values({
        id: userId,
        workspaceId,
        email,
        name,
        role,
        passwordHash,
        createdAt: t,
      });
      if (inv)
        await tx.update(invitations).set({ usedBy: userId }).where(eq(invitations.id, inv.id));
      await opts.audit.record(tx, {
        workspaceId,
        actorId: userId,
        action: 'person.join',
        target: `user:${userId}`,
        after: { email, name, role, via: 'sso', ...(inv ? { invitation: inv.id } : {}) },
      });
    });
    return userId;
  }

  return {
    /** The workspace's settings as the admin form shows them; the secret only as "set". */
    async settings(workspaceId: string) {
      const row = await db.query.ssoSettings.findFirst({
        where: eq(ssoSettings.workspaceId, workspaceId),
      });
      return {
        canSeal: opts.key !== null,
        redirectUri: redirectUri(),
        settings: row
          ? {
              enabled: row.enabled,
              issuer: row.issuer,
              clientId: row.clientId,
              allowedDomain: row.allowedDomain,
              defaultRole: row.defaultRole,
              hasSecret: true,
            }
          : null,
      };
    },

    async save(actor: Actor, input: SsoSettingsInput) {
      if (!opts.key)
        throw new SsoSettingsError(
          'PRECONDITION_FAILED',
          'This server cannot store secrets: its operator must set CONNECTOR_SECRET_KEY',
        );
      checkIssuer(input.issuer);
      const key = opts.key;
      await db.transaction(async (tx) => {
        const before = await tx.query.ssoSettings.findFirst({
          where: eq(ssoSettings.workspaceId, actor.workspaceId),
        });
        if (!before && !input.clientSecret)
          throw new SsoSettingsError('BAD_REQUEST', 'clientSecret: Enter the client secret');
        if (input.allowedDomain) {
          const other = await tx.query.ssoSettings.findFirst({
            where: eq(ssoSettings.allowedDomain, input.allowedDomain),
          });
          if (other && other.workspaceId !== actor.workspaceId)
            throw new SsoSettingsError(
              'CONFLICT',
              `allowedDomain: ${input.allowedDomain} already belongs to another workspace`,
            );
        }
        const values = {
          enabled: input.enabled,
          issuer: input.issuer,
          clientId: input.clientId,
          clientSecret: input.clientSecret ? seal(key, input.clientSecret) : before!.clientSecret,
          allowedDomain: input.allowedDomain,
          defaultRole: input.defaultRole,
          updatedAt: now(),
        };
        await tx
          .insert(ssoSettings)
          .values({ workspaceId: actor.workspaceId, ...values })
          .onConflictDoUpdate({ target: ssoSettings.workspaceId, set: values });
        const shown = (r: typeof values) => ({
          enabled: r.enabled,
          issuer: r.issuer,
          clientId: r.clientId,
          allowedDomain: r.allowedDomain,
          defaultRole: r.defaultRole,
        });
        await opts.audit.record(tx, {
          workspaceId: actor.workspaceId,
          actorId: actor.userId,
          action: 'sso.settings',
          target: `workspace:${actor.workspaceId}`,
          before: before ? shown(before) : undefined,
          after: { ...shown(values), secretChanged: !!input.clientSecret },
        });
      });
    },

    /**
     * Starts a sign-in for `email`: the provider's authorization URL, and the state the browser
     * keeps in a cookie for the callback.
     */
    async start(email: string): Promise<{ url: string; state: string }> {
      const address = email.trim().toLowerCase();
      await db.delete(ssoFlows).where(lt(ssoFlows.expiresAt, now()));
      const workspaceId = await workspaceFor(address);
      const settings = workspaceId ? await enabledSettings(workspaceId) : null;
      if (!workspaceId || !settings) throw new SsoRefused('unavailable');
      const config = await configFor(settings);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      await db.insert(ssoFlows).values({
        stateHash: sha256(state),
        workspaceId,
        codeVerifier,
        nonce,
        expiresAt: now() + SSO_FLOW_TTL_MS,
      });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(),
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        login_hint: address,
      });
      return { url: url.href, state };
    },

    /**
     * Finishes a sign-in at the callback: `callbackUrl` as the provider sent the browser back,
     * `state` from the browser's cookie. Returns the person to start a session for.
     */
    async finish(callbackUrl: URL, state: string | undefined): Promise<string> {
      const got = callbackUrl.searchParams.get('state');
      if (!state || got !== state) throw new SsoRefused('failed');
      // One use: the flow is gone before the code is exchanged.
      const [flow] = await db
        .delete(ssoFlows)
        .where(and(eq(ssoFlows.stateHash, sha256(state)), gt(ssoFlows.expiresAt, now())))
        .returning();
      if (!flow) throw new SsoRefused('failed');
      const settings = await enabledSettings(flow.workspaceId);
      if (!settings) throw new SsoRefused('unavailable');
      const config = await configFor(settings);
      // The redirect URI registered with the provider, whatever host the request came in on.
      const current = new URL(redirectUri());
      current.search = callbackUrl.search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      // Many providers put the e-mail in the ID token; others only at the user-info endpoint.
      const claims: Record<string, unknown> =
        typeof idClaims.email === 'string'
          ? idClaims
          : await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
      if (!email || claims.email_verified !== true) throw new SsoRefused('unverified');
      const name =
        typeof claims.name === 'string' && claims.name.trim()
          ? claims.name.trim().slice(0, 80)
          : email.slice(0, email.indexOf('@'));
      return personFor(flow.workspaceId, settings, email, name);
    },
  };
}
export type Sso = ReturnType<typeof createSso>;
