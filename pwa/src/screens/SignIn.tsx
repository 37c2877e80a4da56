import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { SSO_ERRORS } from '@deskwatch/shared';
import { useTRPC } from '../trpc';

/** What `/sso/callback` sent back (`#sso-error=<code>`): a known code's sentence, never URL text. */
function ssoErrorFromHash(): string | null {
  const code = new URLSearchParams(location.hash.slice(1)).get('sso-error');
  return code && Object.hasOwn(SSO_ERRORS, code)
    ? SSO_ERRORS[code as keyof typeof SSO_ERRORS]
    : null;
}

export function SignIn() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [ssoError, setSsoError] = useState(ssoErrorFromHash);
  const emailInput = useRef<HTMLInputElement>(null);
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({ onSuccess: () => qc.invalidateQueries() }),
  );
  return (
    <main className="narrow">
      <h1>Sign in to Deskwatch</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ email, password });
        }}
      >
        <label>
          Email{' '}
          <input
            ref={emailInput}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password{' '}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {signIn.error && (
          <p className="error" role="alert">
            {signIn.error.message}
          </p>
        )}
        <button className="primary" disabled={signIn.isPending}>
          Sign in
        </button>
      </form>
      <section aria-label="Single sign-on">
        <p className="muted">Your workspace uses single sign-on? Enter your e-mail above, then:</p>
        <button
          type="button"
          onClick={() => {
            if (!email || !emailInput.current?.checkValidity()) {
              setSsoError('Enter your e-mail address first');
              return;
            }
            location.assign(`/sso/start?${new URLSearchParams({ email })}`);
          }}
        >
          Sign in with SSO
        </button>
        {ssoError && (
          <p className="error" role="alert" data-testid="sso-error">
            {ssoError}
          </p>
        )}
      </section>
    </main>
  );
}
