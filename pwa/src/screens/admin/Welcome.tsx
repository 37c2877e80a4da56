import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createWorkspaceInput, joinInput } from '@deskwatch/shared';
import { SignIn } from '../SignIn';
import { useTRPC } from '../../trpc';
import { Field, fieldErrors } from './fields';

/**
 * What someone not signed in sees: the first start's setup on a server with no workspace, the
 * join screen of an invitation link (`/join#<token>`), or sign-in (with sign-up where allowed).
 */
export function Welcome() {
  const trpc = useTRPC();
  const status = useQuery(trpc.people.status.queryOptions());
  const [signingUp, setSigningUp] = useState(false);
  const token = location.pathname === '/join' ? location.hash.slice(1) : '';
  if (token) return <Join token={token} />;
  if (status.data?.needsSetup) return <CreateWorkspace mode="setup" />;
  if (signingUp) return <CreateWorkspace mode="signup" />;
  return (
    <>
      <SignIn />
      {status.data?.allowSignup && (
        <p className="narrow">
          New team? <button onClick={() => setSigningUp(true)}>Create a workspace</button>
        </p>
      )}
    </>
  );
}

function CreateWorkspace({ mode }: { mode: 'setup' | 'signup' }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState({ workspaceName: '', name: '', email: '', password: '' });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const opts = { onSuccess: () => qc.invalidateQueries() };
  const setup = useMutation(trpc.people.setup.mutationOptions(opts));
  const signUp = useMutation(trpc.people.signUp.mutationOptions(opts));
  const save = mode === 'setup' ? setup : signUp;
  const errors = fieldErrors(createWorkspaceInput, form);
  const shown = (k: string) => (touched[k] ? errors[k] : undefined);
  const input = (k: keyof typeof form, type: string, autoComplete: string) => (
    <input
      name={k}
      type={type}
      autoComplete={autoComplete}
      value={form[k]}
      onChange={(e) => setForm({ ...form, [k]: e.target.value })}
      onBlur={() => setTouched({ ...touched, [k]: true })}
    />
  );
  return (
    <main className="narrow">
      <h1>{mode === 'setup' ? 'Set up Deskwatch' : 'Create a workspace'}</h1>
      <p className="muted">
        {mode === 'setup'
          ? 'This server has no workspace yet. Name your team’s, and create its first admin: you.'
          : 'A workspace of your own, with you as its admin. Invite your colleagues next.'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched({ workspaceName: true, name: true, email: true, password: true });
          if (Object.keys(errors).length === 0) save.mutate(form);
        }}
      >
        <Field label="Workspace name" message={shown('workspaceName')}>
          {input('workspaceName', 'text', 'organization')}
        </Field>
        <Field label="Your name" message={shown('name')}>
          {input('name', 'text', 'name')}
        </Field>
        <Field label="Email" message={shown('email')}>
          {input('email', 'email', 'username')}
        </Field>
        <Field label="Password" message={shown('password')}>
          {input('password', 'password', 'new-password')}
        </Field>
        {save.error && (
          <p className="error" role="alert">
            {save.error.message}
          </p>
        )}
        <button className="primary" disabled={save.isPending}>
          Create workspace
        </button>
      </form>
    </main>
  );
}

function Join({ token }: { token: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const invitation = useQuery(trpc.people.invitation.queryOptions({ token }, { retry: false }));
  const [form, setForm] = useState({ name: '', password: '' });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const join = useMutation(
    trpc.people.join.mutationOptions({
      onSuccess: () => {
        history.replaceState(null, '', '/');
        void qc.invalidateQueries();
      },
    }),
  );
  const errors = fieldErrors(joinInput, { token, ...form });
  const shown = (k: string) => (touched[k] ? errors[k] : undefined);
  if (invitation.isPending) return <p className="narrow">Loading…</p>;
  if (!invitation.data)
    return (
      <main className="narrow">
        <h1>Join Deskwatch</h1>
        <p className="error" role="alert">
          {invitation.error?.message ??
            'This invitation link is wrong, expired or already used; ask your admin for a new one.'}
        </p>
        <p>
          <a href="/">Sign in</a>
        </p>
      </main>
    );
  const inv = invitation.data;
  return (
    <main className="narrow">
      <h1>Join {inv.workspace}</h1>
      <p>
        You are invited as <strong>{inv.role}</strong> with the address <strong>{inv.email}</strong>
        .
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched({ name: true, password: true });
          if (Object.keys(errors).length === 0) join.mutate({ token, ...form });
        }}
      >
        <Field label="Your name" message={shown('name')}>
          <input
            name="name"
            autoComplete="name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            onBlur={() => setTouched({ ...touched, name: true })}
          />
        </Field>
        <Field label="Choose a password" message={shown('password')}>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            onBlur={() => setTouched({ ...touched, password: true })}
          />
        </Field>
        {join.error && (
          <p className="error" role="alert">
            {join.error.message}
          </p>
        )}
        <button className="primary" disabled={join.isPending}>
          Join
        </button>
      </form>
    </main>
  );
}
