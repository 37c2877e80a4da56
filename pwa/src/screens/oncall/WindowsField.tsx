import { WEEKDAYS, type WeeklyWindows } from '@deskwatch/shared';
import type { FieldIssue } from '../sla/form-model';
import { Choices, Messages } from '../sla/PoliciesForm';

export type WindowsDraft = WeeklyWindows & { during?: 'inside' | 'outside' };

/**
 * Weekly windows in a zone of their own (a path's working hours, a person's quiet hours): the
 * zone, then each window's days and times. An end at or before the start runs into the next day.
 */
export function WindowsField<T extends WindowsDraft>({
  value,
  onChange,
  issues,
  path,
}: {
  value: T;
  onChange: (v: T) => void;
  issues: FieldIssue[];
  path: PropertyKey[];
}) {
  const setWindow = (i: number, patch: Partial<WeeklyWindows['windows'][number]>) =>
    onChange({
      ...value,
      windows: value.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)),
    });
  return (
    <fieldset>
      <legend>Hours</legend>
      <label>
        Time zone
        <input
          value={value.timeZone}
          onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
        />
        <Messages issues={issues} path={[...path, 'timeZone']} />
      </label>
      {value.windows.map((w, i) => (
        <div key={i} data-testid="window">
          <Choices
            legend={`Window ${i + 1}: days`}
            all={WEEKDAYS}
            chosen={w.days}
            onChange={(days) => setWindow(i, { days })}
          />
          <div className="row">
            <label>
              From
              <input
                type="time"
                value={w.start}
                onChange={(e) => setWindow(i, { start: e.target.value })}
              />
            </label>
            <label>
              To
              <input
                type="time"
                value={w.end}
                onChange={(e) => setWindow(i, { end: e.target.value })}
              />
            </label>
          </div>
          <Messages issues={issues} path={[...path, 'windows', i]} />
          {value.windows.length > 1 && (
            <button
              type="button"
              onClick={() =>
                onChange({ ...value, windows: value.windows.filter((_, j) => j !== i) })
              }
            >
              Remove window {i + 1}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({
            ...value,
            windows: [...value.windows, { days: ['sat', 'sun'], start: '09:00', end: '17:00' }],
          })
        }
      >
        Add window
      </button>
    </fieldset>
  );
}
