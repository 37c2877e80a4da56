import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import {
  DONE_CATEGORIES,
  lintPolicies,
  PRIORITIES,
  SLA_METRICS,
  slaPolicy,
  STATUS_CATEGORIES,
  type CalendarSpec,
  type SlaMetric,
  type SlaPolicy,
} from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import {
  messagesAt,
  move,
  parseJsonAs,
  parseList,
  parseNumbers,
  schemaIssues,
  type FieldIssue,
} from './form-model';
import { Outcomes } from './WhatIf';

const METRIC_NAMES: Record<SlaMetric, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  periodic_update: 'Periodic update',
  resolution: 'Resolution',
};
const OPEN_CATEGORIES = STATUS_CATEGORIES.filter((c) => !DONE_CATEGORIES.includes(c));

/** A policy being edited: what the form holds may not be valid yet, the schema says where. */
type Draft = Omit<SlaPolicy, 'targets' | 'warnings'> & {
  targets: Record<SlaMetric, Partial<Record<string, { minutes: number; clock: string }>>>;
  warnings: { percents: (number | string)[]; beforeDueMinutes: (number | string)[] };
};
interface Entry {
  key: number;
  id?: string | undefined;
  policy: Draft;
}

let nextKey = 1;
const entry = (policy: SlaPolicy, id?: string): Entry => ({ key: nextKey++, id, policy });
const NEW_POLICY = slaPolicy.parse({
  name: 'New policy',
  targets: { first_response: { normal: 240 } },
});

export function Messages({ issues, path }: { issues: FieldIssue[]; path: PropertyKey[] }) {
  return (
    <span className="field-message" aria-live="polite">
      {messagesAt(issues, path).join(' ')}
    </span>
  );
}

/**
 * A folding section that opens by itself when a message appears inside it (a message folded
 * away is not seen) and otherwise stays as the reader left it.
 */
function Section({
  summary,
  initiallyOpen = false,
  hasMessage,
  children,
}: {
  summary: string;
  initiallyOpen?: boolean;
  hasMessage: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(initiallyOpen || hasMessage);
  useEffect(() => {
    if (hasMessage) setOpen(true);
  }, [hasMessage]);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/** A comma-separated text field that keeps what is typed and reports the parsed list. */
function ListField({
  label,
  initial,
  onChange,
}: {
  label: string;
  initial: readonly (string | number)[] | undefined;
  onChange: (text: string) => void;
}) {
  const [text, setText] = useState((initial ?? []).join(', '));
  return (
    <label>
      {label}
      <input
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value);
        }}
      />
    </label>
  );
}

export function Choices<T extends string>({
  legend,
  all,
  chosen,
  onChange,
}: {
  legend: string;
  all: readonly T[];
  chosen: readonly T[] | undefined;
  onChange: (list: T[]) => void;
}) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {all.map((c) => (
        <label key={c} className="inline">
          <input
            type="checkbox"
            checked={chosen?.includes(c) ?? false}
            onChange={(e) =>
              onChange(
                e.target.checked ? [...(chosen ?? []), c] : (chosen ?? []).filter((x) => x !== c),
              )
            }
          />{' '}
          {c.replace('_', ' ')}
        </label>
      ))}
    </fieldset>
  );
}

function PolicyEditor({
  index,
  count,
  policy,
  calendars,
  issues,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  policy: Draft;
  calendars: { id: string; spec: CalendarSpec }[];
  issues: FieldIssue[];
  onChange: (p: Draft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const p = policy;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => onChange({ ...p, [k]: v });
  const cond = (k: keyof Draft['conditions'], v: string[] | undefined) =>
    set('conditions', { ...p.conditions, [k]: v && v.length > 0 ? v : undefined });
  const title = `policy ${index + 1}`;
  // A section with a message opens by itself: a message folded away is not seen.
  const opens = (path: PropertyKey[]) => messagesAt(issues, path).length > 0;
  return (
    <fieldset className="policy card" data-testid="policy">
      <legend>
        {index + 1}. {p.name}
      </legend>
      <div className="actions">
        <span className="drag-handle" aria-hidden="true" title="Drag to reorder">
          ⠿
        </span>
        <button type="button" disabled={index === 0} onClick={() => onMove(index - 1)}>
          Move {title} up
        </button>
        <button type="button" disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          Move {title} down
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Remove {title}
        </button>
      </div>
      <label>
        Name of {title}
        <input value={p.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <Messages issues={issues} path={['name']} />
      <label>
        Calendar of {title}
        <select
          value={p.calendarId ?? ''}
          onChange={(e) => set('calendarId', e.target.value || null)}
        >
          <option value="">24x7 (calendar time)</option>
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.spec.name}
            </option>
          ))}
          {p.calendarId && !calendars.some((c) => c.id === p.calendarId) && (
            <option value={p.calendarId}>{p.calendarId} (unknown)</option>
          )}
        </select>
      </label>
      <Messages issues={issues} path={['calendarId']} />
      <Section
        summary="Conditions (empty: any ticket)"
        initiallyOpen={index === 0}
        hasMessage={opens(['conditions'])}
      >
        <Choices
          legend="Priorities"
          all={PRIORITIES}
          chosen={p.conditions.priorities}
          onChange={(l) => cond('priorities', l)}
        />
        <Choices
          legend="Status categories"
          all={STATUS_CATEGORIES}
          chosen={p.conditions.categories}
          onChange={(l) => cond('categories', l)}
        />
        <ListField
          label="Sources (comma-separated)"
          initial={p.conditions.sources}
          onChange={(t) => cond('sources', parseList(t))}
        />
        <ListField
          label="Tags, any of (comma-separated)"
          initial={p.conditions.tags}
          onChange={(t) => cond('tags', parseList(t))}
        />
        <ListField
          label="Requester organisations (comma-separated)"
          initial={p.conditions.requesterOrgs}
          onChange={(t) => cond('requesterOrgs', parseList(t))}
        />
        <Messages issues={issues} path={['conditions']} />
      </Section>
      <fieldset>
        <legend>Targets (minutes; empty: no target)</legend>
        {SLA_METRICS.map((m) => (
          <div key={m} className="targets">
            <strong>{METRIC_NAMES[m]}</strong>
            {PRIORITIES.map((pr) => {
              const t = p.targets[m][pr];
              const setTarget = (v: { minutes: number; clock: string } | undefined) => {
                const next = { ...p.targets[m] };
                if (v) next[pr] = v;
                else delete next[pr];
                set('targets', { ...p.targets, [m]: next });
              };
              return (
                <div key={pr} className="target">
                  <label>
                    {METRIC_NAMES[m]} {pr}
                    <input
                      type="number"
                      inputMode="numeric"
                      min={1}
                      value={t?.minutes ?? ''}
                      onChange={(e) =>
                        setTarget(
                          e.target.value === ''
                            ? undefined
                            : {
                                minutes: Number(e.target.value),
                                clock: t?.clock ?? 'business',
                              },
                        )
                      }
                    />
                  </label>
                  {t && (
                    <label>
                      Clock of {METRIC_NAMES[m].toLowerCase()} {pr}
                      <select
                        value={t.clock}
                        onChange={(e) => setTarget({ ...t, clock: e.target.value })}
                      >
                        <option value="business">business time</option>
                        <option value="calendar">calendar time</option>
                      </select>
                    </label>
                  )}
                  <Messages issues={issues} path={['targets', m, pr]} />
                </div>
              );
            })}
          </div>
        ))}
        <Messages issues={issues} path={['targets']} />
      </fieldset>
      <Section summary="Pauses" hasMessage={opens(['pauseOn'])}>
        {SLA_METRICS.map((m) => (
          <div key={m}>
            <Choices
              legend={`${METRIC_NAMES[m]} pauses while`}
              all={OPEN_CATEGORIES}
              chosen={p.pauseOn[m]}
              onChange={(l) => set('pauseOn', { ...p.pauseOn, [m]: l })}
            />
            <Messages issues={issues} path={['pauseOn', m]} />
          </div>
        ))}
      </Section>
      <Section summary="Responses and reopening" hasMessage={opens(['responses'])}>
        <Choices
          legend="A response is a reply by"
          all={['agent', 'bot'] as const}
          chosen={p.responses.authors}
          onChange={(l) => set('responses', { ...p.responses, authors: l })}
        />
        <label className="inline">
          <input
            type="checkbox"
            checked={p.responses.includeInternal}
            onChange={(e) =>
              set('responses', { ...p.responses, includeInternal: e.target.checked })
            }
          />{' '}
          Internal notes count as responses
        </label>
        <Messages issues={issues} path={['responses']} />
        <label>
          On reopen, resolution
          <select
            value={p.reopen}
            onChange={(e) => set('reopen', e.target.value as Draft['reopen'])}
          >
            <option value="continue">continues its cycle</option>
            <option value="restart">starts a new cycle</option>
          </select>
        </label>
      </Section>
      <Section summary="Warnings" hasMessage={opens(['warnings'])}>
        <ListField
          label={`Warn at percent used (${title})`}
          initial={p.warnings.percents}
          onChange={(t) => set('warnings', { ...p.warnings, percents: parseNumbers(t) })}
        />
        <Messages issues={issues} path={['warnings', 'percents']} />
        <ListField
          label={`Warn minutes before due (${title})`}
          initial={p.warnings.beforeDueMinutes}
          onChange={(t) => set('warnings', { ...p.warnings, beforeDueMinutes: parseNumbers(t) })}
        />
        <Messages issues={issues} path={['warnings', 'beforeDueMinutes']} />
      </Section>
    </fieldset>
  );
}

const policyList = z.array(slaPolicy).max(100);

/**
 * The ordered SLA policies as forms: reorder with the buttons or by dragging, the schema's and
 * the linter's messages at their fields, a what-if before saving, JSON import and export for
 * sharing. The first policy whose conditions match a ticket applies.
 */
export function PoliciesForm({
  initial,
  calendars,
  onSaved,
}: {
  initial: { id: string; policy: SlaPolicy }[];
  calendars: { id: string; spec: CalendarSpec }[];
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const [list, setList] = useState<Entry[]>(() => initial.map((p) => entry(p.policy, p.id)));
  const [dragging, setDragging] = useState<number | null>(null);
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const save = useMutation(trpc.sla.savePolicies.mutationOptions({ onSuccess: onSaved }));
  const whatIf = useMutation(trpc.sla.whatIf.mutationOptions());

  const issues = useMemo(() => {
    const perPolicy = list.map((e) => schemaIssues(slaPolicy, e.policy));
    if (perPolicy.some((l) => l.length > 0)) return perPolicy;
    const lint = lintPolicies(
      list.map((e) => slaPolicy.parse(e.policy)),
      Object.fromEntries(calendars.map((c) => [c.id, c.spec])),
    );
    return list.map((_, i) => lint.filter((l) => l.policy === i));
  }, [list, calendars]);
  const wire = () =>
    list.map((e) => ({ ...(e.id ? { id: e.id } : {}), policy: e.policy as never as SlaPolicy }));

  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <ol className="plain policies">
        {list.map((e, i) => (
          <li
            key={e.key}
            draggable
            className={dragging === i ? 'dragging' : undefined}
            onDragStart={(ev) => {
              setDragging(i);
              ev.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(ev) => ev.preventDefault()}
            onDrop={(ev) => {
              ev.preventDefault();
              if (dragging !== null) setList((l) => move(l, dragging, i));
              setDragging(null);
            }}
            onDragEnd={() => setDragging(null)}
          >
            <PolicyEditor
              index={i}
              count={list.length}
              policy={e.policy}
              calendars={calendars}
              issues={issues[i] ?? []}
              onChange={(p) => setList((l) => l.map((x, j) => (j === i ? { ...x, policy: p } : x)))}
              onMove={(to) => setList((l) => move(l, i, to))}
              onRemove={() => setList((l) => l.filter((_, j) => j !== i))}
            />
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" onClick={() => setList((l) => [...l, entry(NEW_POLICY)])}>
          Add a policy
        </button>
        <button type="button" onClick={() => whatIf.mutate({ policies: wire() })}>
          What if?
        </button>
        <button type="button" className="primary" onClick={() => save.mutate({ policies: wire() })}>
          Save policies
        </button>
      </div>
      <Outcomes whatIf={whatIf} save={save} />
      {save.data && (
        <p className="muted">
          Saved; {save.data.recomputed} open tickets recomputed.
          {save.data.warnings.map((w) => (
            <span key={w.message} className="warning">
              {' '}
              {w.message}.
            </span>
          ))}
        </p>
      )}
      <details>
        <summary>JSON import and export</summary>
        <label>
          Policies as JSON
          <textarea
            name="policies-json"
            rows={12}
            value={json}
            onChange={(e) => setJson(e.target.value)}
          />
        </label>
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              setJson(
                JSON.stringify(
                  list.map((e) => e.policy),
                  null,
                  2,
                ),
              )
            }
          >
            Export to JSON
          </button>
          <button
            type="button"
            onClick={() => {
              const r = parseJsonAs(policyList, json);
              if ('error' in r) return setJsonError(r.error);
              setJsonError(null);
              setList(r.data.map((p) => entry(p)));
            }}
          >
            Import from JSON
          </button>
        </div>
        {jsonError && (
          <p className="error" role="alert">
            {jsonError}
          </p>
        )}
      </details>
    </form>
  );
}
