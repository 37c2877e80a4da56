import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  DAY_NAMES,
  WEEKDAYS,
  type CalendarSpec,
  type SlaPolicy,
  type Holiday,
  type Interval,
  type Weekday,
} from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { calendarIssues, messagesAt, openingNote, type FieldIssue } from './form-model';
import { HolidayImport } from './HolidayImport';
import { Outcomes } from './WhatIf';

type Week = Record<Weekday, Interval[]>;
const emptyWeek = (): Week => Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as Week;

export const NEW_CALENDAR: CalendarSpec = {
  name: 'Office hours',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  hours: {
    ...emptyWeek(),
    ...Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
    ),
  },
  holidays: [],
};

function zones(): string[] {
  const list = Intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

function Messages({ issues, path }: { issues: FieldIssue[]; path: PropertyKey[] }) {
  const list = messagesAt(issues, path);
  return (
    <span className="field-message" aria-live="polite">
      {list.join(' ')}
    </span>
  );
}

function HolidayRow({
  h,
  index,
  issues,
  onChange,
  onRemove,
}: {
  h: Holiday;
  index: number;
  issues: FieldIssue[];
  onChange: (h: Holiday) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const name = (
    <label>
      Name of holiday {n}
      <input
        value={h.name ?? ''}
        onChange={(e) => onChange({ ...h, name: e.target.value || undefined } as Holiday)}
      />
    </label>
  );
  return (
    <li className="holiday">
      {'date' in h && (
        <label>
          Holiday {n} date
          <input
            type="date"
            value={h.date}
            onChange={(e) => onChange({ ...h, date: e.target.value })}
          />
        </label>
      )}
      {'from' in h && (
        <>
          <label>
            Holiday {n} from
            <input
              type="date"
              value={h.from}
              onChange={(e) => onChange({ ...h, from: e.target.value })}
            />
          </label>
          <label>
            Holiday {n} to
            <input
              type="date"
              value={h.to}
              onChange={(e) => onChange({ ...h, to: e.target.value })}
            />
          </label>
        </>
      )}
      {'yearly' in h && (
        <label>
          Holiday {n} every year on (MM-DD)
          <input
            value={h.yearly}
            placeholder="12-25"
            onChange={(e) => onChange({ ...h, yearly: e.target.value })}
          />
        </label>
      )}
      {name}
      <button type="button" onClick={onRemove}>
        Remove holiday {n}
      </button>
      <Messages issues={issues} path={['holidays', index]} />
    </li>
  );
}

/**
 * A business calendar as a form: a week grid of openings (several a day; one that ends before it
 * starts runs overnight), a time zone, holidays (dates, ranges, yearly, or read from an
 * iCalendar file or URL, previewed first). The schema's and the linter's messages show at their field as one types.
 */
export function CalendarForm({
  id,
  initial,
  calendars,
  policies,
  onSaved,
}: {
  id: string | undefined;
  initial: CalendarSpec;
  /** The saved calendars and policies, for the checks a save would meet. */
  calendars: { id: string; spec: CalendarSpec }[];
  policies: SlaPolicy[];
  onSaved: (saved: { id: string; recomputed: number }) => void | Promise<void>;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(initial.name);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [always, setAlways] = useState(initial.hours === '24x7');
  const [week, setWeek] = useState<Week>(
    initial.hours === '24x7' ? emptyWeek() : { ...emptyWeek(), ...initial.hours },
  );
  const [holidays, setHolidays] = useState<Holiday[]>(initial.holidays ?? []);
  const save = useMutation(trpc.sla.saveCalendar.mutationOptions({ onSuccess: (r) => onSaved(r) }));
  const whatIf = useMutation(trpc.sla.whatIf.mutationOptions());
  const allZones = useMemo(zones, []);

  const draft: CalendarSpec = { name, timeZone, hours: always ? '24x7' : week, holidays };
  const issues = useMemo<FieldIssue[]>(
    () => calendarIssues(draft, id, calendars, policies),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the draft is rebuilt from these each render
    [name, timeZone, always, week, holidays, id, calendars, policies],
  );

  const setDay = (day: Weekday, list: Interval[]) => setWeek((w) => ({ ...w, [day]: list }));
  const setHoliday = (i: number, h: Holiday) =>
    setHolidays((list) => list.map((x, j) => (j === i ? h : x)));

  return (
    <form className="calendar-form" onSubmit={(e) => e.preventDefault()}>
      <label>
        Calendar name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <Messages issues={issues} path={['name']} />
      <label>
        Time zone
        <input list="time-zones" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
      </label>
      <datalist id="time-zones">
        {allZones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Messages issues={issues} path={['timeZone']} />
      <label className="inline">
        <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} />{' '}
        Open around the clock (24x7)
      </label>
      {!always && (
        <fieldset className="week">
          <legend>Opening hours</legend>
          <Messages issues={issues.filter((i) => i.path.length === 1)} path={['hours']} />
          {WEEKDAYS.map((day) => (
            <div key={day} className="day" data-testid={`day-${day}`}>
              <strong>{DAY_NAMES[day]}</strong>
              {week[day].length === 0 && <span className="muted"> closed</span>}
              {week[day].map((iv, i) => {
                const label = `${DAY_NAMES[day]} opening ${i + 1}`;
                const note = openingNote(iv);
                const set = (next: Interval) =>
                  setDay(
                    day,
                    week[day].map((x, j) => (j === i ? next : x)),
                  );
                return (
                  <div key={i} className="opening">
                    <label>
                      {label} starts
                      <input
                        type="time"
                        value={iv.start}
                        onChange={(e) => set({ ...iv, start: e.target.value })}
                      />
                    </label>
                    <label>
                      {label} ends
                      <input
                        type="time"
                        value={iv.end}
                        onChange={(e) => set({ ...iv, end: e.target.value })}
                      />
                    </label>
                    {note && <span className="overnight">{note}</span>}
                    <button
                      type="button"
                      onClick={() =>
                        setDay(
                          day,
                          week[day].filter((_, j) => j !== i),
                        )
                      }
                    >
                      Remove {label}
                    </button>
                    <Messages issues={issues} path={['hours', day, i]} />
                  </div>
                );
              })}
              <button
                type="button"
                onClick={() => {
                  const last = week[day][week[day].length - 1];
                  setDay(day, [
                    ...week[day],
                    last ? { start: last.end, end: last.end } : { start: '09:00', end: '17:00' },
                  ]);
                }}
              >
                Add opening on {DAY_NAMES[day]}
              </button>
            </div>
          ))}
        </fieldset>
      )}
      <fieldset>
        <legend>Holidays</legend>
        <ul className="plain">
          {holidays.map((h, i) => (
            <HolidayRow
              key={i}
              h={h}
              index={i}
              issues={issues}
              onChange={(next) => setHoliday(i, next)}
              onRemove={() => setHolidays((list) => list.filter((_, j) => j !== i))}
            />
          ))}
        </ul>
        <div className="actions">
          <button type="button" onClick={() => setHolidays((l) => [...l, { date: '' }])}>
            Add a date
          </button>
          <button type="button" onClick={() => setHolidays((l) => [...l, { from: '', to: '' }])}>
            Add a range
          </button>
          <button type="button" onClick={() => setHolidays((l) => [...l, { yearly: '' }])}>
            Add a yearly date
          </button>
        </div>
        <HolidayImport onAdd={(list) => setHolidays((l) => [...l, ...list])} />
      </fieldset>
      <div className="actions">
        {/* A new calendar changes no ticket until a policy uses it: nothing to try yet. */}
        {id && (
          <button type="button" onClick={() => whatIf.mutate({ calendar: { id, spec: draft } })}>
            What if?
          </button>
        )}
        <button
          type="button"
          className="primary"
          onClick={() => save.mutate({ ...(id ? { id } : {}), spec: draft })}
        >
          Save calendar
        </button>
      </div>
      <Outcomes whatIf={whatIf} save={save} />
      {save.data && (
        <p className="muted">
          Saved as {save.data.id}; {save.data.recomputed} open tickets recomputed.
        </p>
      )}
    </form>
  );
}
