import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { scheduleInput, WEEKDAYS, type Restriction } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { Unavailable } from '../../Unavailable';
import {
  issuePlace,
  layerForm,
  move,
  newLayer,
  scheduleInputOf,
  type LayerForm,
  type ScheduleForm,
} from './schedule-form';

type Person = { userId: string; name: string };

function zones(): string[] {
  const list = Intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** Today at 09:00, as a `datetime-local` value: where a new rota starts unless changed. */
function todayAtNine() {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00`;
}

/**
 * Create or edit an on-call schedule from a phone (managers): zone, layers (rotation, handoff,
 * participants in order, windows), checked with the server's own schema before it is sent; a
 * rejected save changes nothing.
 */
export function ScheduleEditor({ id }: { id?: string }) {
  const trpc = useTRPC();
  const people = useQuery(trpc.shifts.people.queryOptions());
  const existing = useQuery({
    ...trpc.shifts.schedule.queryOptions({ id: id ?? '' }),
    enabled: !!id,
  });
  if (!people.data) return <Unavailable query={people} what="People" />;
  if (id && !existing.data) return <Unavailable query={existing} what="The schedule" />;
  const initial: ScheduleForm = existing.data
    ? {
        id: existing.data.id,
        name: existing.data.name,
        timeZone: existing.data.timeZone,
        layers: existing.data.layers.map(layerForm),
      }
    : {
        name: '',
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        layers: [newLayer(todayAtNine())],
      };
  return <Form key={id ?? 'new'} initial={initial} people={people.data} />;
}

function Form({ initial, people }: { initial: ScheduleForm; people: Person[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState(initial);
  const [issues, setIssues] = useState<string[]>([]);
  const save = useMutation(
    trpc.shifts.saveSchedule.mutationOptions({
      onSuccess: async ({ id }) => {
        await qc.invalidateQueries({ queryKey: trpc.oncall.schedules.queryKey() });
        await qc.invalidateQueries({ queryKey: trpc.shifts.schedule.queryKey({ id }) });
        location.assign(`/oncall/schedules/${encodeURIComponent(id)}`);
      },
    }),
  );
  const setLayer = (i: number, l: LayerForm) =>
    setForm({ ...form, layers: form.layers.map((x, j) => (j === i ? l : x)) });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = scheduleInputOf(form);
    const checked = scheduleInput.safeParse(input);
    if (!checked.success) {
      setIssues(
        checked.error.issues.map((i) => {
          const place = issuePlace(i.path);
          return place ? `${place}: ${i.message}` : i.message;
        }),
      );
      return;
    }
    setIssues([]);
    save.mutate(input);
  }

  return (
    <main className="oncall schedule-editor">
      <h1>{initial.id ? `Edit ${initial.name}` : 'New schedule'}</h1>
      <form onSubmit={submit} noValidate>
        <label>
          Name
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Time zone
          <select
            value={form.timeZone}
            onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
          >
            {zones().map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </label>
        <p className="muted">
          Layers lower in the list override the ones above wherever they have someone on call.
        </p>
        {form.layers.map((l, i) => (
          <LayerFields
            key={l.id}
            index={i}
            layer={l}
            people={people}
            onChange={(x) => setLayer(i, x)}
            onRemove={
              form.layers.length > 1
                ? () => setForm({ ...form, layers: form.layers.filter((_, j) => j !== i) })
                : undefined
            }
          />
        ))}
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              setForm({
                ...form,
                layers: [...form.layers, { ...newLayer(todayAtNine()), name: 'Override layer' }],
              })
            }
          >
            Add a layer
          </button>
        </div>
        {issues.length > 0 && (
          <ul role="alert" className="error" data-testid="schedule-issues">
            {issues.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
        {save.error && (
          <p role="alert" className="error">
            {save.error.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary big" disabled={save.isPending}>
            Save schedule
          </button>
        </div>
      </form>
    </main>
  );
}

function LayerFields({
  index,
  layer: l,
  people,
  onChange,
  onRemove,
}: {
  index: number;
  layer: LayerForm;
  people: Person[];
  onChange: (l: LayerForm) => void;
  onRemove: (() => void) | undefined;
}) {
  const n = index + 1;
  const name = (id: string) => people.find((p) => p.userId === id)?.name ?? 'Unknown';
  const left = people.filter((p) => !l.participants.includes(p.userId));
  const setWindow = (i: number, r: Restriction) =>
    onChange({ ...l, restrictions: l.restrictions.map((x, j) => (j === i ? r : x)) });
  return (
    <fieldset data-testid="layer">
      <legend>Layer {n}</legend>
      <label>
        Layer {n} name
        <input value={l.name} onChange={(e) => onChange({ ...l, name: e.target.value })} />
      </label>
      <label>
        Layer {n} rotation
        <select
          value={l.rotation}
          onChange={(e) => onChange({ ...l, rotation: e.target.value as LayerForm['rotation'] })}
        >
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
          <option value="days">Every few days</option>
          <option value="hours">Every few hours</option>
        </select>
      </label>
      {(l.rotation === 'days' || l.rotation === 'hours') && (
        <label>
          Layer {n} turn length ({l.rotation})
          <input
            type="number"
            min={1}
            inputMode="numeric"
            value={Number.isFinite(l.length) ? l.length : ''}
            onChange={(e) => onChange({ ...l, length: e.target.valueAsNumber })}
          />
        </label>
      )}
      <label>
        Layer {n} first handoff (local time)
        <input
          type="datetime-local"
          value={l.start}
          onChange={(e) => onChange({ ...l, start: e.target.value })}
        />
      </label>
      <h3>Participants, in order</h3>
      <ol className="participants" data-testid="participants">
        {l.participants.map((p, i) => (
          <li key={p}>
            <span>{name(p)}</span>{' '}
            <button
              type="button"
              aria-label={`Move ${name(p)} up in layer ${n}`}
              disabled={i === 0}
              onClick={() => onChange({ ...l, participants: move(l.participants, i, -1) })}
            >
              ↑
            </button>
            <button
              type="button"
              aria-label={`Move ${name(p)} down in layer ${n}`}
              disabled={i === l.participants.length - 1}
              onClick={() => onChange({ ...l, participants: move(l.participants, i, 1) })}
            >
              ↓
            </button>
            <button
              type="button"
              aria-label={`Remove ${name(p)} from layer ${n}`}
              onClick={() =>
                onChange({ ...l, participants: l.participants.filter((x) => x !== p) })
              }
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      {left.length > 0 && (
        <label>
          Add to layer {n}
          <select
            value=""
            onChange={(e) =>
              e.target.value &&
              onChange({ ...l, participants: [...l.participants, e.target.value] })
            }
          >
            <option value="">Choose a person…</option>
            {left.map((p) => (
              <option key={p.userId} value={p.userId}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <h3>Only during</h3>
      {l.restrictions.length === 0 && <p className="muted">Always (no windows).</p>}
      {l.restrictions.map((r, i) => (
        <fieldset key={i} data-testid="window">
          <legend>Window {i + 1}</legend>
          <div>
            {WEEKDAYS.map((d) => (
              <label key={d} className="inline">
                <input
                  type="checkbox"
                  checked={r.days.includes(d)}
                  onChange={(e) =>
                    setWindow(i, {
                      ...r,
                      days: e.target.checked
                        ? WEEKDAYS.filter((x) => x === d || r.days.includes(x))
                        : r.days.filter((x) => x !== d),
                    })
                  }
                />
                {d}
              </label>
            ))}
          </div>
          <label>
            From
            <input
              type="time"
              value={r.start}
              onChange={(e) => setWindow(i, { ...r, start: e.target.value })}
            />
          </label>
          <label>
            To (before From: runs into the next day)
            <input
              type="time"
              value={r.end}
              onChange={(e) => setWindow(i, { ...r, end: e.target.value })}
            />
          </label>
          <button
            type="button"
            onClick={() =>
              onChange({ ...l, restrictions: l.restrictions.filter((_, j) => j !== i) })
            }
          >
            Remove window {i + 1}
          </button>
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            onChange({
              ...l,
              restrictions: [
                ...l.restrictions,
                { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
              ],
            })
          }
        >
          Add a window to layer {n}
        </button>
        {onRemove && (
          <button type="button" className="danger" onClick={onRemove}>
            Remove layer {n}
          </button>
        )}
      </div>
    </fieldset>
  );
}
