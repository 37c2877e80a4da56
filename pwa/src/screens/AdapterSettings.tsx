import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ago } from '../format';
import { useTRPC } from '../trpc';

/** Admin: which ticketing-tool adapters broke on agents' pages, and which are switched off. */
export function AdapterSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const health = useQuery(trpc.adapters.health.queryOptions());
  const disabled = useQuery(trpc.adapters.disabled.queryOptions());
  const set = useMutation(
    trpc.adapters.setDisabled.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.adapters.disabled.queryKey() }),
    }),
  );
  const [tool, setTool] = useState('');
  const taught = useQuery(trpc.adapters.taught.queryOptions());
  const refreshTaught = () => qc.invalidateQueries({ queryKey: trpc.adapters.taught.queryKey() });
  const saveTaught = useMutation(
    trpc.adapters.saveTaught.mutationOptions({ onSuccess: refreshTaught }),
  );
  const deleteTaught = useMutation(
    trpc.adapters.deleteTaught.mutationOptions({ onSuccess: refreshTaught }),
  );
  const [importText, setImportText] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  return (
    <main className="settings">
      <h1>Ticketing-tool adapters</h1>
      <h2>Needs attention</h2>
      {health.data?.length === 0 && <p className="muted">Every adapter read every page it met.</p>}
      <ul className="plain" data-testid="adapter-health">
        {health.data?.map((h) => (
          <li key={`${h.tool}:${h.version}:${h.field}`}>
            <strong>{h.tool}</strong> v{h.version}: <code>{h.field}</code> not found {h.count}×
            (last {ago(h.lastSeenAt)},{' '}
            <a href={h.lastUrl} target="_blank" rel="noreferrer">
              page
            </a>
            )
          </li>
        ))}
      </ul>
      <h2>Taught adapters</h2>
      <p className="muted">
        Adapters for tools without a built-in one, as data. Every agent of the workspace gets them.
      </p>
      <ul className="plain" data-testid="taught-adapters">
        {taught.data?.map((a) => (
          <li key={a.id}>
            <strong>{a.name}</strong> <code>{a.id}</code> {a.urlPattern}{' '}
            <a
              download={`${a.id}.deskwatch-adapter.json`}
              href={`data:application/json,${encodeURIComponent(JSON.stringify(a, null, 2))}`}
            >
              Export
            </a>{' '}
            <button onClick={() => deleteTaught.mutate({ id: a.id })}>Delete</button>
          </li>
        ))}
      </ul>
      <label>
        Import an adapter (JSON, as exported)
        <textarea
          name="import"
          rows={8}
          value={importText}
          onChange={(e) => setImportText(e.target.value)}
        />
      </label>
      <button
        className="primary"
        onClick={() => {
          setImportError(null);
          try {
            saveTaught.mutate(JSON.parse(importText), { onSuccess: () => setImportText('') });
          } catch (e) {
            setImportError(`Not valid JSON: ${(e as Error).message}`);
          }
        }}
      >
        Import adapter
      </button>
      {(importError ?? saveTaught.error?.message) && (
        <p className="error" role="alert">
          {importError ?? saveTaught.error?.message}
        </p>
      )}
      <h2>Switched off</h2>
      <p className="muted">
        Agents' extensions leave these tools' pages alone from their next page view.
      </p>
      <ul className="plain">
        {disabled.data?.map((t) => (
          <li key={t}>
            {t} <button onClick={() => set.mutate({ tool: t, disabled: false })}>Switch on</button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => (e.preventDefault(), set.mutate({ tool, disabled: true }), setTool(''))}
      >
        <label>
          Adapter id{' '}
          <input
            name="tool"
            required
            placeholder="redmine"
            value={tool}
            onChange={(e) => setTool(e.target.value)}
          />
        </label>
        <button>Switch off</button>
      </form>
      {set.error && <p className="error">{set.error.message}</p>}
    </main>
  );
}
