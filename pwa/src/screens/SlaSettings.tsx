import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';
import { CalendarForm, NEW_CALENDAR } from './sla/CalendarForm';
import { PoliciesForm } from './sla/PoliciesForm';

/** Admin settings for business calendars and SLA policies, as forms (JSON stays for sharing policies). */
export function SlaSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const config = useQuery(trpc.sla.config.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.sla.config.queryKey() });
  // Which calendar the form edits ('new' for a new one), and a counter that resets the form.
  const [editing, setEditing] = useState<{ id: string | undefined; n: number }>({
    id: undefined,
    n: 0,
  });

  const [saved, setSaved] = useState<string | null>(null);

  // Forms start from the server's settings, never from the offline cache: editing a stale copy
  // and saving it would silently undo a change saved since (or just before a reload).
  if (!config.data || !config.isFetchedAfterMount)
    return (
      <main>
        {config.isError ? (
          <p className="error">{config.error.message}</p>
        ) : (
          <p>{config.fetchStatus === 'paused' ? 'Settings need a connection.' : 'Loading…'}</p>
        )}
      </main>
    );

  const current = config.data.calendars.find((c) => c.id === editing.id);
  return (
    <main className="settings">
      <h1>SLA settings</h1>
      <h2>Calendars</h2>
      <ul className="plain">
        {config.data.calendars.map((c) => (
          <li key={c.id}>
            <strong>{c.spec.name}</strong> ({c.spec.timeZone}){' '}
            <button onClick={() => (setSaved(null), setEditing((e) => ({ id: c.id, n: e.n + 1 })))}>
              Edit {c.spec.name}
            </button>
          </li>
        ))}
      </ul>
      <button onClick={() => setEditing((e) => ({ id: undefined, n: e.n + 1 }))}>
        New calendar
      </button>
      <h3>{current ? `Calendar “${current.spec.name}”` : 'New calendar'}</h3>
      <CalendarForm
        key={`${editing.id ?? 'new'}-${editing.n}`}
        id={current?.id}
        initial={current?.spec ?? NEW_CALENDAR}
        calendars={config.data.calendars}
        policies={config.data.policies.map((p) => p.policy)}
        onSaved={async ({ id, recomputed }) => {
          await refresh();
          setSaved(`Calendar saved; ${recomputed} open tickets recomputed.`);
          // The form shows the calendar as stored, and a second save replaces it.
          setEditing((e) => ({ id, n: e.n + 1 }));
        }}
      />
      {saved && (
        <p className="muted" role="status">
          {saved}
        </p>
      )}
      <h2>Policies</h2>
      <p className="muted">An ordered list; the first whose conditions match a ticket applies.</p>
      <PoliciesForm
        // A saved calendar list changes the linter's view, not the policies being edited.
        initial={config.data.policies}
        calendars={config.data.calendars}
        onSaved={() => void refresh()}
      />
    </main>
  );
}
