import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Who the test provider says signs in, as its claims. */
export interface TestIdentity {
  email: string;
  email_verified: boolean;
  name?: string;
}

export const TEST_OIDC_CLIENT = {
  id: 'deskwatch-test',
  secret: 'test-oidc-client-secret-0123456789',
};

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback, for tests: one confidential
 * client whose redirect URI is `redirectUri`. It asks nobody anything: each authorization signs
 * in `signInAs` (by default the `login_hint` address, verified) and consents at once.
 */
export async function startTestOidcProvider(redirectUri: string) {
  // Made once the server listens: the issuer URL holds its port.
  const made: { provider?: Provider } = {};
  const state: { signInAs: TestIdentity | null } = { signInAs: null };
  const accounts = new Map<string, TestIdentity>();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await made.provider!.interactionDetails(req, res);
    const hint = details.params.login_hint;
    const who = state.signInAs ?? {
      email: typeof hint === 'string' ? hint : 'nobody@example.test',
      email_verified: true,
    };
    const sub = `sub-${who.email}`;
    accounts.set(sub, who);
    const grant = new made.provider!.Grant({
      accountId: sub,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await made.provider!.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      });
      return;
    }
    void made.provider!.callback()(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  made.provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.id,
        client_secret: TEST_OIDC_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx, sub) {
      const who = accounts.get(sub);
      if (!who) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...who }) };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    cookies: { keys: ['test-oidc-cookie-key-0123456789'] },
    // Set, so the provider does not print a notice for each default it uses.
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
  });
  return {
    issuer,
    state,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
