import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  autoRuleInput,
  escalationPathInput,
  ESCALATION_TYPES,
  PAGE_KINDS,
  pageRoutesInput,
  PRIORITIES,
  SEVERITIES,
  URGENCIES,
  type AutoRuleInput,
  type EscalationPathInput,
  type PageRouteInput,
  type PathTarget,
} from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { parseList, schemaIssues } from '../sla/form-model';
import { Choices, Messages } from '../sla/PoliciesForm';
import { WindowsField, type WindowsDraft } from './WindowsField';
import { PathWebhooks } from './PathWebhooks';

const NEW_PATH: EscalationPathInput = {
  name: 'New path',
  isDefault: false,
  repeat: 0,
  levels: [{ targets: [{ kind: 'role', role: 'manager' }], timeoutMinutes: 15 }],
  conditions: {},
};

interface Named {
  id: string;
  name: string;
}

/**
 * Managers' escalation settings as forms: each path with its levels and conditions (urgency,
 * priority, source, working hours in the path's own zone), which path pages what (routes), and
 * the rules that open an escalation without an agent.
 */
export function PathsSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const paths = useQuery(trpc.oncall.paths.queryOptions());
  const routes = useQuery(trpc.oncall.routes.queryOptions());
  const rules = useQuery(trpc.oncall.autoRules.queryOptions());
  const people = useQuery(trpc.oncall.people.queryOptions());
  const schedules = useQuery(trpc.oncall.schedules.queryOptions());
  const [editing, setEditing] = useState<{ id: string | undefined; n: number }>({
    id: undefined,
    n: 0,
  });
  const [saved, setSaved] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.oncall.pathKey() });

  // Forms start from the server's settings, never from the offline cache (a stale copy saved
  // would undo a change made since).
  const all = [paths, routes, rules, people, schedules];
  if (all.some((q) => !q.data || !q.isFetchedAfterMount))
    return (
      <main>
        <p>
          {all.some((q) => q.fetchStatus === 'paused') ? 'Settings need a connection.' : 'Loading…'}
        </p>
      </main>
    );
  const current = paths.data!.find((p) => p.id === editing.id);
  return (
    <main className="settings oncall-settings">
      <h1>Escalation paths</h1>
      <ul className="plain">
        {paths.data!.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>
            {p.isDefault && <span className="muted"> (default)</span>}{' '}
            <button
              onClick={() => (setSaved(false), setEditing((e) => ({ id: p.id, n: e.n + 1 })))}
            >
              Edit {p.name}
            </button>
          </li>
        ))}
      </ul>
      <button onClick={() => (setSaved(false), setEditing((e) => ({ id: undefined, n: e.n + 1 })))}>
        New path
      </button>
      <h2>{current ? `Path “${current.name}”` : 'New path'}</h2>
      <PathForm
        key={`${editing.id ?? 'new'}-${editing.n}`}
        initial={current ? { ...current, id: current.id } : NEW_PATH}
        people={people.data!}
        schedules={schedules.data!}
        onSaved={async (id) => {
          await refresh();
          // The form shows the path as stored, and a second save replaces it.
          setEditing((e) => ({ id, n: e.n + 1 }));
          setSaved(true);
        }}
      />
      {saved && (
        <p role="status" className="muted">
          Path saved.
        </p>
      )}
      {current && <PathWebhooks pathId={current.id} levels={current.levels.length} />}
      <h2>Which path pages what</h2>
      <p className="muted">
        Tried in order; the first that takes a page and whose path&apos;s conditions hold pages.
        Otherwise the default path, else every manager.
      </p>
      <RoutesForm
        key="routes"
        initial={routes.data!}
        paths={paths.data!}
        onSaved={() => void refresh()}
      />
      <h2>Automatic escalations</h2>
      <RulesList rules={rules.data!} onSaved={() => void refresh()} />
    </main>
  );
}

function PathForm({
  initial,
  people,
  schedules,
  onSaved,
}: {
  initial: EscalationPathInput;
  people: Named[];
  schedules: Named[];
  onSaved: (id: string) => void;
}) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<EscalationPathInput>(initial);
  const [hours, setHours] = useState<WindowsDraft | null>(
    initial.conditions?.hours ? { ...initial.conditions.hours } : null,
  );
  const save = useMutation(
    trpc.oncall.savePath.mutationOptions({ onSuccess: (r) => onSaved(r.id) }),
  );
  const conditions = draft.conditions ?? {};
  const value = { ...draft, conditions: { ...conditions, ...(hours ? { hours } : {}) } };
  if (!hours) delete value.conditions.hours;
  const issues = schemaIssues(escalationPathInput, value);
  const set = (patch: Partial<EscalationPathInput>) => setDraft((d) => ({ ...d, ...patch }));
  const setCond = (patch: Partial<NonNullable<EscalationPathInput['conditions']>>) =>
    set({ conditions: dropEmpty({ ...conditions, ...patch }) });
  const levels = draft.levels;
  const setLevel = (i: number, patch: Partial<(typeof levels)[number]>) =>
    set({ levels: levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  return (
    <form
      data-testid="path-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (issues.length === 0) save.mutate(escalationPathInput.parse(value));
      }}
    >
      <label>
        Name
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        <Messages issues={issues} path={['name']} />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={draft.isDefault ?? false}
          onChange={(e) => set({ isDefault: e.target.checked })}
        />{' '}
        Default path (pages what no route takes)
      </label>
      <label>
        Repeat the whole path (times)
        <input
          type="number"
          min={0}
          max={10}
          value={draft.repeat ?? 0}
          onChange={(e) => set({ repeat: Number(e.target.value) })}
        />
        <Messages issues={issues} path={['repeat']} />
      </label>
      <h3>Levels</h3>
      <ol>
        {levels.map((l, i) => (
          <li key={i} data-testid="path-level">
            {l.targets.map((target, k) => (
              <TargetField
                key={k}
                target={target}
                people={people}
                schedules={schedules}
                onChange={(x) =>
                  setLevel(i, {
                    targets: x
                      ? l.targets.map((y, m) => (m === k ? x : y))
                      : l.targets.filter((_, m) => m !== k),
                  })
                }
              />
            ))}
            <button
              type="button"
              onClick={() =>
                setLevel(i, { targets: [...l.targets, { kind: 'role', role: 'manager' }] })
              }
            >
              Add whom to page
            </button>
            <label>
              Minutes before the next level
              <input
                type="number"
                min={1}
                value={l.timeoutMinutes}
                onChange={(e) => setLevel(i, { timeoutMinutes: Number(e.target.value) })}
              />
            </label>
            <Messages issues={issues} path={['levels', i]} />
            {levels.length > 1 && (
              <button
                type="button"
                onClick={() => set({ levels: levels.filter((_, j) => j !== i) })}
              >
                Remove level {i + 1}
              </button>
            )}
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() =>
          set({
            levels: [...levels, { targets: [{ kind: 'role', role: 'admin' }], timeoutMinutes: 15 }],
          })
        }
      >
        Add level
      </button>
      <h3>Conditions</h3>
      <p className="muted">Left empty, a condition always holds.</p>
      <Choices
        legend="Urgency"
        all={URGENCIES}
        chosen={conditions.urgencies}
        onChange={(urgencies) => setCond({ urgencies })}
      />
      <Choices
        legend="Ticket priority"
        all={PRIORITIES}
        chosen={conditions.priorities}
        onChange={(priorities) => setCond({ priorities })}
      />
      <label>
        Ticket sources (comma-separated)
        <input
          defaultValue={(conditions.sources ?? []).join(', ')}
          onChange={(e) => setCond({ sources: parseList(e.target.value) })}
        />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={hours !== null}
          onChange={(e) =>
            setHours(
              e.target.checked
                ? {
                    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
                    windows: [
                      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
                    ],
                    during: 'inside',
                  }
                : null,
            )
          }
        />{' '}
        Only at certain hours (in the path&apos;s own time zone)
      </label>
      {hours && (
        <>
          <WindowsField
            value={hours}
            onChange={setHours}
            issues={issues}
            path={['conditions', 'hours']}
          />
          <label>
            Page
            <select
              value={hours.during ?? 'inside'}
              onChange={(e) =>
                setHours({ ...hours, during: e.target.value as 'inside' | 'outside' })
              }
            >
              <option value="inside">inside these hours</option>
              <option value="outside">outside these hours</option>
            </select>
          </label>
        </>
      )}
      <button type="submit" disabled={issues.length > 0 || save.isPending}>
        Save path
      </button>
      {save.error && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

/** Drops conditions left empty, so "no choice" means "always". */
function dropEmpty<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

function TargetField({
  target,
  people,
  schedules,
  onChange,
}: {
  target: PathTarget;
  people: Named[];
  schedules: Named[];
  onChange: (t: PathTarget | null) => void;
}) {
  const value =
    target.kind === 'user'
      ? `user:${target.userId}`
      : target.kind === 'schedule'
        ? `schedule:${target.scheduleId}`
        : `role:${target.role}`;
  return (
    <div className="row">
      <select
        aria-label="Whom to page"
        value={value}
        onChange={(e) => {
          const [kind, id] = e.target.value.split(':') as [string, string];
          onChange(
            kind === 'user'
              ? { kind: 'user', userId: id }
              : kind === 'schedule'
                ? { kind: 'schedule', scheduleId: id }
                : { kind: 'role', role: id as 'agent' | 'manager' | 'admin' },
          );
        }}
      >
        <optgroup label="Everyone with a role">
          <option value="role:manager">Every manager</option>
          <option value="role:admin">Every admin</option>
          <option value="role:agent">Every agent</option>
        </optgroup>
        <optgroup label="Whoever is on call">
          {schedules.map((s) => (
            <option key={s.id} value={`schedule:${s.id}`}>
              On call: {s.name}
            </option>
          ))}
        </optgroup>
        <optgroup label="A person">
          {people.map((p) => (
            <option key={p.id} value={`user:${p.id}`}>
              {p.name}
            </option>
          ))}
        </optgroup>
      </select>
      <button type="button" aria-label="Remove" onClick={() => onChange(null)}>
        ✕
      </button>
    </div>
  );
}

function RoutesForm({
  initial,
  paths,
  onSaved,
}: {
  initial: PageRouteInput[];
  paths: Named[];
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const [list, setList] = useState<PageRouteInput[]>(initial);
  const save = useMutation(trpc.oncall.saveRoutes.mutationOptions({ onSuccess: onSaved }));
  const value = { routes: list };
  const issues = schemaIssues(pageRoutesInput, value);
  const setRoute = (i: number, patch: Partial<PageRouteInput>) =>
    setList((l) => l.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setMatch = (i: number, patch: Partial<PageRouteInput['match']>) =>
    setRoute(i, { match: dropEmpty({ ...list[i]!.match, ...patch }) });
  return (
    <form
      data-testid="routes-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (issues.length === 0) save.mutate(pageRoutesInput.parse(value));
      }}
    >
      <ol>
        {list.map((r, i) => (
          <li key={i} data-testid="route">
            <label>
              Name
              <input value={r.name} onChange={(e) => setRoute(i, { name: e.target.value })} />
            </label>
            <Choices
              legend="What"
              all={PAGE_KINDS}
              chosen={r.match.kinds}
              onChange={(kinds) => setMatch(i, { kinds })}
            />
            <Choices
              legend="Escalation type"
              all={ESCALATION_TYPES}
              chosen={r.match.escalationTypes}
              onChange={(escalationTypes) => setMatch(i, { escalationTypes })}
            />
            <Choices
              legend="Severity"
              all={SEVERITIES}
              chosen={r.match.severities}
              onChange={(severities) => setMatch(i, { severities })}
            />
            <label>
              Ticket tags, any of (comma-separated)
              <input
                defaultValue={(r.match.tags ?? []).join(', ')}
                onChange={(e) => setMatch(i, { tags: parseList(e.target.value) })}
              />
            </label>
            <label>
              SLA policy ids (comma-separated)
              <input
                defaultValue={(r.match.policyIds ?? []).join(', ')}
                onChange={(e) => setMatch(i, { policyIds: parseList(e.target.value) })}
              />
            </label>
            <label>
              Path
              <select value={r.pathId} onChange={(e) => setRoute(i, { pathId: e.target.value })}>
                {paths.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <Messages issues={issues} path={['routes', i]} />
            <button type="button" onClick={() => setList((l) => l.filter((_, j) => j !== i))}>
              Remove route {i + 1}
            </button>
          </li>
        ))}
      </ol>
      {paths.length > 0 && (
        <button
          type="button"
          onClick={() =>
            setList((l) => [
              ...l,
              { name: `Route ${l.length + 1}`, match: {}, pathId: paths[0]!.id },
            ])
          }
        >
          Add route
        </button>
      )}
      <button type="submit" disabled={issues.length > 0 || save.isPending}>
        Save routes
      </button>
      {save.isSuccess && (
        <p role="status" className="muted">
          Routes saved.
        </p>
      )}
      {save.error && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

type RuleView = AutoRuleInput & { id: string };
const NEW_RULE: AutoRuleInput = {
  name: 'Unresolved for a day',
  when: { kind: 'unresolved', hours: 24 },
  type: 'tier2',
  severity: 'high',
  enabled: true,
};

function RulesList({ rules, onSaved }: { rules: RuleView[]; onSaved: () => void }) {
  return (
    <>
      {rules.map((r) => (
        <RuleForm key={r.id} initial={r} onSaved={onSaved} />
      ))}
      <h3>New rule</h3>
      <RuleForm key={`new-${rules.length}`} initial={NEW_RULE} onSaved={onSaved} />
    </>
  );
}

function RuleForm({ initial, onSaved }: { initial: AutoRuleInput; onSaved: () => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<AutoRuleInput>(initial);
  const save = useMutation(trpc.oncall.saveAutoRule.mutationOptions({ onSuccess: onSaved }));
  const issues = schemaIssues(autoRuleInput, draft);
  const set = (patch: Partial<AutoRuleInput>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <form
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (issues.length === 0) save.mutate(autoRuleInput.parse(draft));
      }}
    >
      <label>
        Name
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        When
        <select
          value={draft.when.kind}
          onChange={(e) =>
            set({
              when:
                e.target.value === 'unresolved'
                  ? { kind: 'unresolved', hours: 24 }
                  : { kind: 'breached_unassigned' },
            })
          }
        >
          <option value="unresolved">Unresolved for some hours</option>
          <option value="breached_unassigned">Breached and unassigned</option>
        </select>
      </label>
      {draft.when.kind === 'unresolved' && (
        <label>
          Hours
          <input
            type="number"
            min={1}
            value={draft.when.hours}
            onChange={(e) => set({ when: { kind: 'unresolved', hours: Number(e.target.value) } })}
          />
          <Messages issues={issues} path={['when', 'hours']} />
        </label>
      )}
      <label>
        Escalation type
        <select
          value={draft.type ?? 'tier2'}
          onChange={(e) => set({ type: e.target.value as AutoRuleInput['type'] })}
        >
          {ESCALATION_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select
          value={draft.severity ?? 'high'}
          onChange={(e) => set({ severity: e.target.value as AutoRuleInput['severity'] })}
        >
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={draft.enabled ?? true}
          onChange={(e) => set({ enabled: e.target.checked })}
        />{' '}
        On
      </label>
      <button type="submit" disabled={issues.length > 0 || save.isPending}>
        Save rule
      </button>
      {save.isSuccess && (
        <p role="status" className="muted">
          Rule saved.
        </p>
      )}
      {save.error && <p role="alert">{save.error.message}</p>}
    </form>
  );
}
