import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { quietHoursInput, shiftReminderInput, type WeeklyWindows } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { schemaIssues } from '../sla/form-model';
import { WindowsField } from './WindowsField';
import { Field } from '../admin/fields';

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

/** How long before each of your shifts you are reminded (none at 0). */
function ShiftReminder() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const mine = useQuery(trpc.shifts.reminder.queryOptions());
  const [text, setText] = useState<string | null>(null);
  const save = useMutation(
    trpc.shifts.saveReminder.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.shifts.reminder.queryKey() }),
    }),
  );
  if (!mine.data) return null;
  const value = text ?? String(mine.data.leadMinutes);
  const input = { leadMinutes: value.trim() === '' ? NaN : Number(value) };
  const issue = schemaIssues(shiftReminderInput, input)[0];
  return (
    <form
      data-testid="shift-reminder-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!issue) save.mutate(shiftReminderInput.parse(input));
      }}
    >
      <h2>Shift reminders</h2>
      <Field
        label="Remind me this many minutes before each of my shifts (0: no reminder)"
        message={issue?.message}
      >
        <input
          type="number"
          inputMode="numeric"
          min={0}
          max={1440}
          value={value}
          aria-invalid={issue ? true : undefined}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={Boolean(issue) || save.isPending}>
        Save reminder
      </button>
      {save.isSuccess && (
        <p role="status" className="muted">
          Reminder saved.
        </p>
      )}
      {save.error && <p role="alert">{save.error.message}</p>}
    </form>
  );
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
      <ShiftReminder />
    </main>
  );
}
