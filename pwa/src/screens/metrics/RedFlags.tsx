import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  RED_FLAG_RULES,
  type DigestSettings,
  type RedFlagRule,
  type RedFlagRules,
} from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { Unavailable } from '../../Unavailable';
import { deviceZone } from '../Metrics';

const RULE_LABEL: Record<RedFlagRule, string> = {
  backlog_rising: 'Backlog rising',
  compliance_under_target: 'Compliance under target',
  category_spike: 'A tag spiking',
  repeat_escalations: 'Repeat escalations',
  aging_tickets: 'Aging tickets',
};
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A number field of one rule's threshold. */
function Threshold(props: {
  label: string;
  value: number;
  step?: number;
  onChange: (v: number) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        inputMode="decimal"
        step={props.step ?? 1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </label>
  );
}

function RulesForm({ initial }: { initial: RedFlagRules }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [r, setR] = useState<RedFlagRules>({ ...initial, timeZone: deviceZone() });
  const save = useMutation(
    trpc.flags.setRules.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.flags.pathKey() }),
    }),
  );
  const set = <K extends RedFlagRule>(k: K, patch: Partial<RedFlagRules[K]>) =>
    setR({ ...r, [k]: { ...r[k], ...patch } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(r);
  };
  return (
    <form onSubmit={submit} className="flag-rules" data-testid="flag-rules">
      {RED_FLAG_RULES.map((k) => (
        <fieldset key={k}>
          <legend>
            <label>
              <input
                type="checkbox"
                checked={r[k].enabled}
                onChange={(e) => set(k, { enabled: e.target.checked })}
              />{' '}
              {RULE_LABEL[k]}
            </label>
          </legend>
          {k === 'backlog_rising' && (
            <Threshold
              label="Days in a row"
              value={r.backlog_rising.days}
              onChange={(days) => set(k, { days })}
            />
          )}
          {k === 'compliance_under_target' && (
            <Threshold
              label="Target %"
              value={Math.round(r.compliance_under_target.target * 1000) / 10}
              step={0.1}
              onChange={(v) => set(k, { target: v / 100 })}
            />
          )}
          {k === 'category_spike' && (
            <>
              <Threshold
                label="Times the week before"
                value={r.category_spike.ratio}
                step={0.1}
                onChange={(ratio) => set(k, { ratio })}
              />
              <Threshold
                label="At least tickets"
                value={r.category_spike.minCount}
                onChange={(minCount) => set(k, { minCount })}
              />
            </>
          )}
          {k === 'repeat_escalations' && (
            <>
              <Threshold
                label="Escalations"
                value={r.repeat_escalations.count}
                onChange={(count) => set(k, { count })}
              />
              <Threshold
                label="Within days"
                value={r.repeat_escalations.days}
                onChange={(days) => set(k, { days })}
              />
            </>
          )}
          {k === 'aging_tickets' && (
            <Threshold
              label="Open over days"
              value={r.aging_tickets.days}
              onChange={(days) => set(k, { days })}
            />
          )}
        </fieldset>
      ))}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save rules
      </button>
      {save.isError && <p role="alert">{save.error.message}</p>}
      {save.isSuccess && <p role="status">Saved; {save.data.raised} flag(s) raised now.</p>}
    </form>
  );
}

function DigestForm({ initial }: { initial: DigestSettings }) {
  const trpc = useTRPC();
  const [d, setD] = useState<DigestSettings>({ ...initial, timeZone: deviceZone() });
  const save = useMutation(trpc.flags.setDigest.mutationOptions());
  return (
    <form
      data-testid="digest-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(d);
      }}
    >
      <label>
        <input
          type="checkbox"
          checked={d.enabled}
          onChange={(e) => setD({ ...d, enabled: e.target.checked })}
        />{' '}
        Send me a weekly digest
      </label>
      <label>
        On{' '}
        <select value={d.weekday} onChange={(e) => setD({ ...d, weekday: Number(e.target.value) })}>
          {WEEKDAYS.map((w, i) => (
            <option key={w} value={i + 1}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <label>
        At{' '}
        <input type="time" value={d.time} onChange={(e) => setD({ ...d, time: e.target.value })} />
      </label>
      <p className="muted">In {d.timeZone}.</p>
      <button type="submit" disabled={save.isPending}>
        Save digest
      </button>
      {save.isError && <p role="alert">{save.error.message}</p>}
      {save.isSuccess && <p role="status">Saved.</p>}
    </form>
  );
}

/**
 * Red flags (issue #18): the flags raised, each with the numbers that raised it, the rules and
 * thresholds the manager sets, and their own weekly digest.
 */
export function RedFlags() {
  const trpc = useTRPC();
  const list = useQuery(trpc.flags.list.queryOptions());
  const rules = useQuery(trpc.flags.rules.queryOptions());
  const digest = useQuery(trpc.flags.digest.queryOptions());
  return (
    <main className="settings metrics" data-testid="red-flags">
      <h1>Red flags</h1>
      {!list.data && <Unavailable query={list} what="Red flags" />}
      {list.data?.length === 0 && <p className="muted">No flag raised.</p>}
      <ul className="plain" data-testid="flag-list">
        {list.data?.map((f) => (
          <li key={f.id} className={f.clearedAt === null ? 'card flag open' : 'card flag muted'}>
            <strong>{f.title}</strong>
            <div className="muted">
              {RULE_LABEL[f.rule as RedFlagRule] ?? f.rule} · raised{' '}
              {new Date(f.raisedAt).toLocaleString()}
              {f.clearedAt !== null && ` · cleared ${new Date(f.clearedAt).toLocaleString()}`}
            </div>
            <dl className="numbers">
              {Object.entries(f.numbers).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{String(v)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
      <h2>Rules</h2>
      {rules.data && <RulesForm initial={rules.data} />}
      <h2>Weekly digest</h2>
      {digest.data && <DigestForm initial={digest.data} />}
    </main>
  );
}
