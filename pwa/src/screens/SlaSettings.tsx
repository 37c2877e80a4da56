import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc';

const EXAMPLE_CALENDAR = {
  name: 'Office hours',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
  ),
  holidays: [{ yearly: '12-25', name: 'Christmas' }],
};

function parse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${(e as Error).message}` };
  }
}

/** Admin settings for business calendars and SLA policies, as JSON in the formats the README documents. */
export function SlaSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const config = useQuery(trpc.sla.config.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.sla.config.queryKey() });
  const saveCalendar = useMutation(trpc.sla.saveCalendar.mutationOptions({ onSuccess: refresh }));
  const savePolicies = useMutation(trpc.sla.savePolicies.mutationOptions({ onSuccess: refresh }));
  const [calendarText, setCalendarText] = useState(JSON.stringify(EXAMPLE_CALENDAR, null, 2));
  const [calendarId, setCalendarId] = useState<string | undefined>(undefined);
  const [policiesText, setPoliciesText] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (config.data && policiesText === '')
      setPoliciesText(
        JSON.stringify(
          config.data.policies.map((p) => p.policy),
          null,
          2,
        ),
      );
  }, [config.data, policiesText]);

  if (!config.data)
    return (
      <main>
        {config.isError ? <p className="error">{config.error.message}</p> : <p>Loading…</p>}
      </main>
    );

  return (
    <main className="settings">
      <h1>SLA settings</h1>
      <h2>Calendars</h2>
      <ul className="plain">
        {config.data.calendars.map((c) => (
          <li key={c.id}>
            <strong>{c.spec.name}</strong> <code>{c.id}</code> ({c.spec.timeZone}){' '}
            <button
              onClick={() => (
                setCalendarId(c.id),
                setCalendarText(JSON.stringify(c.spec, null, 2))
              )}
            >
              Edit
            </button>
          </li>
        ))}
      </ul>
      <label>
        {calendarId ? `Calendar ${calendarId}` : 'New calendar'}
        <textarea
          name="calendar"
          rows={14}
          value={calendarText}
          onChange={(e) => setCalendarText(e.target.value)}
        />
      </label>
      <button
        className="primary"
        onClick={() => {
          const p = parse(calendarText);
          setError(p.ok ? null : p.error);
          if (p.ok)
            saveCalendar.mutate({
              ...(calendarId ? { id: calendarId } : {}),
              spec: p.value as never,
            });
        }}
      >
        Save calendar
      </button>{' '}
      {calendarId && (
        <button
          onClick={() => (
            setCalendarId(undefined),
            setCalendarText(JSON.stringify(EXAMPLE_CALENDAR, null, 2))
          )}
        >
          New
        </button>
      )}
      {saveCalendar.error && (
        <p className="error" role="alert">
          {saveCalendar.error.message}
        </p>
      )}
      {saveCalendar.data && (
        <p className="muted">
          Saved as {saveCalendar.data.id}; {saveCalendar.data.recomputed} open tickets recomputed.
          {saveCalendar.data.warnings.map((w) => (
            <span key={w.message} className="warning">
              {' '}
              {w.message}
            </span>
          ))}
        </p>
      )}
      <h2>Policies</h2>
      <p className="muted">
        An ordered list; the first whose conditions match a ticket applies. Use a calendar's id as{' '}
        <code>calendarId</code>.
      </p>
      <textarea
        name="policies"
        rows={20}
        value={policiesText}
        onChange={(e) => setPoliciesText(e.target.value)}
      />
      <button
        className="primary"
        onClick={() => {
          const p = parse(policiesText);
          setError(p.ok ? null : p.error);
          if (p.ok)
            savePolicies.mutate({
              policies: (p.value as unknown[]).map((policy) => ({ policy: policy as never })),
            });
        }}
      >
        Save policies
      </button>
      {savePolicies.error && (
        <p className="error" role="alert">
          {savePolicies.error.message}
        </p>
      )}
      {savePolicies.data && (
        <p className="muted">
          Saved; {savePolicies.data.recomputed} open tickets recomputed.
          {savePolicies.data.warnings.map((w) => (
            <span key={w.message} className="warning">
              {' '}
              {w.message}.
            </span>
          ))}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
