import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ago } from '../format';
import { useTRPC } from '../trpc';
import { PRIORITIES, STATUS_CATEGORIES } from '@deskwatch/shared';
import { ExternalLink } from '../ExternalLink';
import { TaughtAdapterForm } from './adapters/TaughtAdapterForm';

/** Admin: which ticketing-tool adapters broke on agents' pages, and which are switched off. */
export function AdapterSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const health = useQuery(trpc.adapters.health.queryOptions());
  const disabled = useQuery(trpc.adapters.disabled.queryOptions());
  const set = useMutation(
    trpc.adapters.setDisabled.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.adapters.disabled.queryKey() }),
    }),
  );
  const [tool, setTool] = useState('');
  const taught = useQuery(trpc.adapters.taught.queryOptions());
  const refreshTaught = () => qc.invalidateQueries({ queryKey: trpc.adapters.taught.queryKey() });
  const deleteTaught = useMutation(
    trpc.adapters.deleteTaught.mutationOptions({ onSuccess: refreshTaught }),
  );
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = taught.data?.find((a) => a.id === editingId) ?? null;
  return (
    <main className="settings">
      <h1>Ticketing-tool adapters</h1>
      <h2>Needs attention</h2>
      {health.data?.length === 0 && <p className="muted">Every adapter read every page it met.</p>}
      <ul className="plain" data-testid="adapter-health">
        {health.data?.map((h) => (
          <li key={`${h.tool}:${h.version}:${h.field}`}>
            <strong>{h.tool}</strong> v{h.version}: <code>{h.field}</code> not found {h.count}×
            (last {ago(h.lastSeenAt)}, <ExternalLink href={h.lastUrl}>page</ExternalLink>)
          </li>
        ))}
      </ul>
      <h2>Taught adapters</h2>
      <p className="muted">
        Adapters for tools without a built-in one, as data. Every agent of the workspace gets them.
      </p>
      <ul className="plain" data-testid="taught-adapters">
        {taught.data?.map((a) => (
          <li key={a.id}>
            <strong>{a.name}</strong> <code>{a.id}</code> {a.urlPattern}{' '}
            <a
              download={`${a.id}.deskwatch-adapter.json`}
              href={`data:application/json,${encodeURIComponent(JSON.stringify(a, null, 2))}`}
            >
              Export
            </a>{' '}
            <button onClick={() => setEditingId(a.id)}>Edit</button>{' '}
            <button onClick={() => deleteTaught.mutate({ id: a.id })}>Delete</button>
          </li>
        ))}
      </ul>
      <h3>{editing ? `Edit ${editing.name}` : 'Teach or import an adapter'}</h3>
      <TaughtAdapterForm key={editing?.id ?? ''} editing={editing} />
      <ValueMappings />
      <ToolDates />
      <h2>Switched off</h2>
      <p className="muted">
        Agents' extensions leave these tools' pages alone from their next page view.
      </p>
      <ul className="plain">
        {disabled.data?.map((t) => (
          <li key={t}>
            {t} <button onClick={() => set.mutate({ tool: t, disabled: false })}>Switch on</button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => (e.preventDefault(), set.mutate({ tool, disabled: true }), setTool(''))}
      >
        <label>
          Adapter id{' '}
          <input
            name="tool"
            required
            placeholder="redmine"
            value={tool}
            onChange={(e) => setTool(e.target.value)}
          />
        </label>
        <button>Switch off</button>
      </form>
      {set.error && <p className="error">{set.error.message}</p>}
    </main>
  );
}

/** The workspace's settings per adapter, and their one save (which refreshes them). */
function useAdapterValues() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const values = useQuery(trpc.adapters.values.queryOptions());
  const save = useMutation(
    trpc.adapters.setValues.mutationOptions({
      onSuccess: (v) => qc.setQueryData(trpc.adapters.values.queryKey(), v),
    }),
  );
  return { values, save };
}

/**
 * The workspace's own meaning of a tool's statuses and priorities (a custom status such as
 * "Waiting on vendor"), laid over the adapter's, for every agent from their next page view.
 */
function ValueMappings() {
  const { values, save } = useAdapterValues();
  const [tool, setTool] = useState('');
  const [kind, setKind] = useState<'status' | 'priority'>('status');
  const [word, setWord] = useState('');
  const [meaning, setMeaning] = useState<string>(STATUS_CATEGORIES[1]);
  const current = (t: string) => values.data?.[t] ?? { status: {}, priority: {} };
  const put = (t: string, k: 'status' | 'priority', w: string, m: string | null) => {
    const v = current(t);
    const next = { ...v[k] } as Record<string, string>;
    if (m === null) delete next[w];
    else next[w] = m;
    save.mutate({ tool: t, values: { ...v, [k]: next } as never });
  };
  return (
    <section data-testid="value-mappings">
      <h2>Statuses and priorities</h2>
      <p className="muted">
        What your team&apos;s own statuses and priorities mean, per adapter, over the adapter&apos;s
        defaults.
      </p>
      <ul className="plain">
        {Object.entries(values.data ?? {}).flatMap(([t, v]) =>
          (['status', 'priority'] as const).flatMap((k) =>
            Object.entries(v[k]).map(([w, m]) => (
              <li key={`${t}:${k}:${w}`}>
                <code>{t}</code> {k} “{w}” → {m}{' '}
                <button onClick={() => put(t, k, w, null)}>Remove</button>
              </li>
            )),
          ),
        )}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          put(tool, kind, word, meaning);
          setWord('');
        }}
      >
        <label>
          Adapter id{' '}
          <input
            required
            placeholder="zendesk"
            value={tool}
            onChange={(e) => setTool(e.target.value)}
          />
        </label>{' '}
        <label>
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              const k = e.target.value as 'status' | 'priority';
              setKind(k);
              setMeaning(k === 'status' ? STATUS_CATEGORIES[1] : PRIORITIES[2]);
            }}
          >
            <option value="status">status</option>
            <option value="priority">priority</option>
          </select>
        </label>{' '}
        <label>
          The tool says{' '}
          <input
            required
            placeholder="Waiting on vendor"
            value={word}
            onChange={(e) => setWord(e.target.value)}
          />
        </label>{' '}
        <label>
          It means{' '}
          <select value={meaning} onChange={(e) => setMeaning(e.target.value)}>
            {(kind === 'status' ? STATUS_CATEGORIES : PRIORITIES).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>{' '}
        <button>Add mapping</button>
      </form>
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
    </section>
  );
}

/** Every IANA zone the browser knows, for the zone picker (with UTC first). */
const ZONES = (() => {
  try {
    return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  } catch {
    return ['UTC'];
  }
})();

/**
 * How a tool writes its dates, where its pages do not say (a built-in adapter such as Redmine
 * shows wall times in each user's profile zone): the zone, language and format every agent's
 * extension reads that tool's dates in, over the adapter's own and the browser's zone.
 */
export function ToolDates() {
  const { values, save } = useAdapterValues();
  const [tool, setTool] = useState('');
  const [timeZone, setTimeZone] = useState('');
  const [locale, setLocale] = useState('');
  const [dateFormat, setDateFormat] = useState('');
  const current = (t: string) => values.data?.[t] ?? { status: {}, priority: {} };
  const put = (t: string, dates: { timeZone?: string; locale?: string; dateFormat?: string }) => {
    const { timeZone: _z, locale: _l, dateFormat: _f, ...mappings } = current(t);
    save.mutate({ tool: t, values: { ...mappings, ...dates } as never });
  };
  const set = Object.entries(values.data ?? {}).filter(
    ([, v]) => v.timeZone || v.locale || v.dateFormat,
  );
  return (
    <section data-testid="tool-dates">
      <h2>How each tool writes dates</h2>
      <p className="muted">
        For a tool that shows times without a zone (Redmine shows each user&apos;s profile zone):
        the zone, language and format every agent&apos;s browser reads them in. Left empty, the
        adapter&apos;s own settings and then the agent&apos;s browser zone apply.
      </p>
      <ul className="plain">
        {set.map(([t, v]) => (
          <li key={t} data-testid="tool-dates-row">
            <code>{t}</code>: {[v.timeZone, v.locale, v.dateFormat].filter(Boolean).join(', ')}{' '}
            <button onClick={() => put(t, {})}>Clear</button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          put(tool.trim(), {
            ...(timeZone ? { timeZone } : {}),
            ...(locale.trim() ? { locale: locale.trim() } : {}),
            ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}),
          });
        }}
      >
        <label>
          Adapter id{' '}
          <input
            required
            placeholder="redmine"
            value={tool}
            onChange={(e) => setTool(e.target.value)}
          />
        </label>{' '}
        <label>
          Time zone{' '}
          <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            <option value="">each agent&apos;s browser zone</option>
            {ZONES.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Language{' '}
          <input placeholder="de" value={locale} onChange={(e) => setLocale(e.target.value)} />
        </label>{' '}
        <label>
          Date format{' '}
          <input
            placeholder="dd.MM.yyyy HH:mm"
            value={dateFormat}
            onChange={(e) => setDateFormat(e.target.value)}
          />
        </label>{' '}
        <button>Save dates</button>
      </form>
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
    </section>
  );
}
