import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ssoSettingsInput, type SsoSettingsInput } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { Field, fieldErrors } from './fields';

interface Form {
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomain: string;
  defaultRole: SsoSettingsInput['defaultRole'];
}

const EMPTY: Form = {
  enabled: true,
  issuer: '',
  clientId: '',
  clientSecret: '',
  allowedDomain: '',
  defaultRole: 'agent',
};

/** The form as the server's schema reads it: an empty secret keeps the stored one, an empty domain is none. */
function toInput(f: Form) {
  return {
    enabled: f.enabled,
    issuer: f.issuer.trim(),
    clientId: f.clientId,
    ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}),
    allowedDomain: f.allowedDomain.trim() ? f.allowedDomain : null,
    defaultRole: f.defaultRole,
  };
}

/** Admin: the workspace's single sign-on with an OpenID Connect provider. */
export function Sso() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.sso.settings.queryOptions());
  const [form, setForm] = useState<Form>(EMPTY);
  const [touched, setTouched] = useState(false);
  const stored = current.data?.settings;
  useEffect(() => {
    if (stored)
      setForm({
        enabled: stored.enabled,
        issuer: stored.issuer,
        clientId: stored.clientId,
        clientSecret: '',
        allowedDomain: stored.allowedDomain ?? '',
        defaultRole: stored.defaultRole,
      });
  }, [stored]);
  const save = useMutation(
    trpc.sso.save.mutationOptions({
      onSuccess: (data) => {
        qc.setQueryData(trpc.sso.settings.queryKey(), data);
        setForm((f) => ({ ...f, clientSecret: '' }));
      },
    }),
  );
  const errors = fieldErrors(ssoSettingsInput, toInput(form));
  if (!stored && !form.clientSecret) errors.clientSecret ??= 'Enter the client secret';
  const shown = (k: keyof Form) => (touched ? errors[k] : undefined);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <main className="settings">
      <h1>Single sign-on</h1>
      <p className="muted">
        People of this workspace sign in with your OpenID Connect provider (Okta, Microsoft Entra
        ID, Google, Keycloak...). Register Deskwatch there as a web application with this redirect
        URI:
      </p>
      {current.data && (
        <p className="copyable" data-testid="sso-redirect-uri">
          {current.data.redirectUri}
        </p>
      )}
      {current.data && !current.data.canSeal && (
        <p className="error" role="alert">
          This server cannot store secrets: its operator must set CONNECTOR_SECRET_KEY.
        </p>
      )}
      {current.isError && (
        <p className="error" role="alert">
          {current.error.message}
        </p>
      )}
      {/* Not before the stored settings are in: they would overwrite what someone typed. */}
      {current.data && (
        <form
          onBlur={() => setTouched(true)}
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (Object.keys(errors).length === 0) save.mutate(toInput(form));
          }}
        >
          <label className="inline">
            <input
              name="sso-enabled"
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
            />{' '}
            Sign-in with single sign-on is on
          </label>
          <Field label="Issuer URL" message={shown('issuer')}>
            <input
              name="sso-issuer"
              type="url"
              placeholder="https://login.example.com"
              value={form.issuer}
              onChange={(e) => set('issuer', e.target.value)}
            />
          </Field>
          <Field label="Client id" message={shown('clientId')}>
            <input
              name="sso-client-id"
              autoComplete="off"
              value={form.clientId}
              onChange={(e) => set('clientId', e.target.value)}
            />
          </Field>
          <Field
            label={
              stored
                ? 'Client secret (stored encrypted; leave empty to keep it)'
                : 'Client secret (stored encrypted, never shown again)'
            }
            message={shown('clientSecret')}
          >
            <input
              name="sso-client-secret"
              type="password"
              autoComplete="off"
              value={form.clientSecret}
              onChange={(e) => set('clientSecret', e.target.value)}
            />
          </Field>
          <Field
            label="Anyone verified at this e-mail domain may join (empty: invited people only)"
            message={shown('allowedDomain')}
          >
            <input
              name="sso-domain"
              placeholder="example.com"
              value={form.allowedDomain}
              onChange={(e) => set('allowedDomain', e.target.value)}
            />
          </Field>
          <label>
            Role of people who join by domain
            <select
              name="sso-role"
              value={form.defaultRole}
              onChange={(e) => set('defaultRole', e.target.value as Form['defaultRole'])}
            >
              <option value="agent">agent</option>
              <option value="manager">manager</option>
            </select>
          </label>
          {save.error && (
            <p className="error" role="alert">
              {save.error.message}
            </p>
          )}
          {save.isSuccess && !save.isPending && (
            <p role="status" data-testid="sso-saved">
              Saved. People sign in with &ldquo;Sign in with SSO&rdquo; on the sign-in screen.
            </p>
          )}
          <button className="primary" disabled={save.isPending}>
            Save single sign-on
          </button>
        </form>
      )}
    </main>
  );
}
