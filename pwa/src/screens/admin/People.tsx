import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { inviteInput, ROLES, type Role } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { Field, fieldErrors } from './fields';

const ROLE_HELP: Record<Role, string> = {
  agent: 'works tickets with the extension',
  manager: 'also decides escalations and sees metrics',
  admin: 'also manages people and settings',
};

/** Admin: invite people by link, change their roles, deactivate those who left. */
export function People({ myEmail }: { myEmail?: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.people.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.people.list.queryKey() });
  const setRole = useMutation(trpc.people.setRole.mutationOptions({ onSettled: refresh }));
  const reactivate = useMutation(trpc.people.reactivate.mutationOptions({ onSettled: refresh }));
  const revoke = useMutation(trpc.people.revokeInvitation.mutationOptions({ onSettled: refresh }));
  const [deactivating, setDeactivating] = useState<string | null>(null);
  const people = list.data?.people ?? [];
  const error = setRole.error ?? reactivate.error ?? revoke.error;

  return (
    <main className="settings">
      <h1>People</h1>
      <Invite onInvited={refresh} />
      {list.data && list.data.invitations.length > 0 && (
        <>
          <h2>Open invitations</h2>
          <ul className="plain people" data-testid="invitations">
            {list.data.invitations.map((i) => (
              <li key={i.id}>
                <span>
                  {i.email} as {i.role}, until {new Date(i.expiresAt).toLocaleDateString()}
                </span>
                <span>
                  <button onClick={() => revoke.mutate({ invitationId: i.id })}>Revoke</button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Members</h2>
      {list.isError && <p className="error">{list.error.message}</p>}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <ul className="plain people" data-testid="people">
        {people.map((p) => (
          <li
            key={p.userId}
            data-testid="person"
            data-email={p.email}
            className={p.deactivatedAt ? 'deactivated' : undefined}
          >
            <span>
              <strong>{p.name}</strong> {p.email}
              {p.deactivatedAt
                ? ` · deactivated ${new Date(p.deactivatedAt).toLocaleDateString()}`
                : ''}
            </span>
            {p.deactivatedAt ? (
              <span>
                <button onClick={() => reactivate.mutate({ userId: p.userId })}>Reactivate</button>
              </span>
            ) : (
              <>
                <label>
                  Role of {p.name}
                  <select
                    value={p.role}
                    disabled={setRole.isPending}
                    onChange={(e) =>
                      setRole.mutate({ userId: p.userId, role: e.target.value as Role })
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}: {ROLE_HELP[r]}
                      </option>
                    ))}
                  </select>
                </label>
                {p.email !== myEmail &&
                  (deactivating === p.userId ? (
                    <Deactivate
                      person={p}
                      others={people.filter((o) => o.userId !== p.userId && !o.deactivatedAt)}
                      onDone={() => {
                        setDeactivating(null);
                        void refresh();
                      }}
                    />
                  ) : (
                    <span>
                      <button className="danger" onClick={() => setDeactivating(p.userId)}>
                        Deactivate {p.name}
                      </button>
                    </span>
                  ))}
              </>
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}

function Invite({ onInvited }: { onInvited: () => void }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [touched, setTouched] = useState(false);
  const invite = useMutation(trpc.people.invite.mutationOptions({ onSuccess: onInvited }));
  const errors = fieldErrors(inviteInput, { email, role });
  return (
    <section>
      <h2>Invite someone</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (Object.keys(errors).length === 0) invite.mutate({ email, role });
        }}
      >
        <Field label="Their e-mail" message={touched ? errors.email : undefined}>
          <input
            name="invite-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            onBlur={() => setTouched(true)}
          />
        </Field>
        <label>
          Role
          <select name="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        {invite.error && (
          <p className="error" role="alert">
            {invite.error.message}
          </p>
        )}
        <button className="primary" disabled={invite.isPending}>
          Create invitation link
        </button>
      </form>
      {invite.data && (
        <div role="status" data-testid="invitation">
          <p>
            Send this link to {invite.data.email}. It works once, until{' '}
            {new Date(invite.data.expiresAt).toLocaleString()}:
          </p>
          <p className="copyable" data-testid="invitation-link" data-link={invite.data.link}>
            {invite.data.link}
          </p>
          <button onClick={() => void navigator.clipboard?.writeText(invite.data.link)}>
            Copy link
          </button>
        </div>
      )}
    </section>
  );
}

function Deactivate({
  person,
  others,
  onDone,
}: {
  person: { userId: string; name: string };
  others: { userId: string; name: string }[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [transferTo, setTransferTo] = useState('');
  const deactivate = useMutation(trpc.people.deactivate.mutationOptions({ onSuccess: onDone }));
  return (
    <div className="card" data-testid="deactivate">
      <p>
        {person.name} will be signed out everywhere at once: their sessions end, their browser
        extensions and notification devices stop working.
      </p>
      <label>
        Pending escalations they requested go to
        <select value={transferTo} onChange={(e) => setTransferTo(e.target.value)}>
          <option value="">nobody (they stay as they are)</option>
          {others.map((o) => (
            <option key={o.userId} value={o.userId}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      {deactivate.error && (
        <p className="error" role="alert">
          {deactivate.error.message}
        </p>
      )}
      <div className="actions">
        <button
          className="danger"
          disabled={deactivate.isPending}
          onClick={() =>
            deactivate.mutate({
              userId: person.userId,
              ...(transferTo ? { transferTo } : {}),
            })
          }
        >
          Confirm deactivation
        </button>
        <button onClick={onDone}>Cancel</button>
      </div>
    </div>
  );
}
