import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ago } from '../format';
import { useTRPC } from '../trpc';

export function Connect() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const create = useMutation(trpc.pairing.createCode.mutationOptions());
  const devices = useQuery(trpc.pairing.devices.queryOptions());
  const revoke = useMutation(
    trpc.pairing.revoke.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.pairing.devices.queryKey() }),
    }),
  );
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const code = create.data;
  const left = code ? Math.max(0, Math.round((code.expiresAt - now) / 1000)) : 0;
  return (
    <main>
      <h1>Connect the browser extension</h1>
      <ol>
        <li>Install the Deskwatch extension and open its options.</li>
        <li>
          Enter this server: <code data-testid="server-url">{location.origin}</code>
        </li>
        <li>Enter the code below. It works once, for 10 minutes.</li>
      </ol>
      {code && left > 0 ? (
        <p className="code" data-testid="pairing-code" data-code={code.code}>
          {code.code.slice(0, 4)}-{code.code.slice(4)}
          <span className="muted">
            {' '}
            expires in {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
          </span>
        </p>
      ) : null}
      {create.error && <p className="error">{create.error.message}</p>}
      <button className="primary" onClick={() => create.mutate()} disabled={create.isPending}>
        {code ? 'New code' : 'Get a pairing code'}
      </button>
      <h2>Connected browsers</h2>
      {devices.data?.length === 0 && <p className="muted">None yet.</p>}
      <ul className="plain">
        {devices.data?.map((d) => (
          <li key={d.id}>
            {d.deviceName} · paired {ago(d.createdAt)}
            {d.lastUsedAt ? ` · last used ${ago(d.lastUsedAt)}` : ''}{' '}
            <button onClick={() => revoke.mutate({ tokenId: d.id })}>Revoke</button>
          </li>
        ))}
      </ul>
    </main>
  );
}
