import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { quietHoursInput, type WeeklyWindows } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { schemaIssues } from '../sla/form-model';
import { WindowsField } from './WindowsField';

const NIGHTS: WeeklyWindows = {
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  windows: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '07:00' },
  ],
};

/** Your quiet hours: low-urgency pages wait until they end; high urgency always reaches you. */
export function QuietHours() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.oncall.quietHours.queryOptions());
  if (!mine.data || !mine.isFetchedAfterMount)
    return (
      <main>
        <p>{mine.fetchStatus === 'paused' ? 'Settings need a connection.' : 'Loading…'}</p>
      </main>
    );
  return <QuietHoursForm initial={mine.data.quietHours} />;
}

function QuietHoursForm({ initial }: { initial: WeeklyWindows | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [on, setOn] = useState(initial !== null);
  const [value, setValue] = useState<WeeklyWindows>(initial ?? NIGHTS);
  const save = useMutation(
    trpc.oncall.saveQuietHours.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.oncall.quietHours.queryKey() }),
    }),
  );
  const input = { quietHours: on ? value : null };
  const issues = schemaIssues(quietHoursInput, input);
  return (
    <main className="settings oncall-settings">
      <h1>Quiet hours</h1>
      <p className="muted">
        Low-urgency pages wait until your quiet hours end. High-urgency pages always reach you.
      </p>
      <form
        data-testid="quiet-hours-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (issues.length === 0) save.mutate(quietHoursInput.parse(input));
        }}
      >
        <label className="inline">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> I have
          quiet hours
        </label>
        {on && (
          <WindowsField value={value} onChange={setValue} issues={issues} path={['quietHours']} />
        )}
        <button type="submit" disabled={issues.length > 0 || save.isPending}>
          Save quiet hours
        </button>
        {save.isSuccess && (
          <p role="status" className="muted">
            Quiet hours saved.
          </p>
        )}
        {save.error && <p role="alert">{save.error.message}</p>}
      </form>
    </main>
  );
}
