import { z } from 'zod';

/** An e-mail domain as people type it (`example.com`), stored lower case. */
const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'Enter a domain such as example.com',
  );

/**
 * A workspace's OpenID Connect settings (single sign-on). The secret is written, never read
 * back: leaving it out keeps the stored one.
 */
export const ssoSettingsInput = z.strictObject({
  enabled: z.boolean(),
  /** The provider's issuer; its `/.well-known/openid-configuration` is read from there. */
  issuer: z
    .url({ protocol: /^https?$/, error: 'Enter the issuer URL, such as https://login.example.com' })
    .max(500),
  clientId: z.string().trim().min(1, 'Enter the client id').max(200),
  clientSecret: z.string().min(1).max(500).optional(),
  /** Anyone with a verified address at this domain may join; empty: invited people only. */
  allowedDomain: emailDomain.nullable(),
  /** The role of people who join through the allowed domain (invited people get their invitation's). */
  defaultRole: z.enum(['agent', 'manager']),
});
export type SsoSettingsInput = z.infer<typeof ssoSettingsInput>;

/** Why a single sign-on did not sign someone in, as the sign-in screen gets it (`/#sso-error=<code>`). */
export const SSO_ERRORS = {
  unavailable: 'Single sign-on is not set up for this address; sign in with your password',
  'not-member':
    'Your identity provider signed you in, but this address is not invited to the workspace; ask your admin for an invitation',
  unverified: 'Your identity provider has not verified this e-mail address',
  deactivated: 'This account is deactivated; ask your admin',
  failed: 'Single sign-on did not complete; try again',
  busy: 'Too many single sign-on attempts from this address; wait a few minutes and try again',
} as const;
export type SsoErrorCode = keyof typeof SSO_ERRORS;
