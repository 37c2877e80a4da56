import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { adapterSpec, PRIORITIES, STATUS_CATEGORIES, type AdapterSpec } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { messagesAt, parseJsonAs, type FieldIssue } from '../sla/form-model';
import {
  adapterFormIssues,
  emptyAdapterForm,
  fromForm,
  SELECTOR_FIELDS,
  toForm,
  type AdapterForm,
} from './adapter-form';

function F({
  label,
  issues,
  path,
  children,
}: {
  label: string;
  issues: FieldIssue[];
  path: PropertyKey[];
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label>
        {label} {children}
      </label>
      <span className="field-message" aria-live="polite">
        {messagesAt(issues, path).join(' ')}
      </span>
    </div>
  );
}

/**
 * A taught adapter as a form: one labelled field per setting of the adapter schema, its messages
 * inline as one types, and JSON import/export for sharing. `editing` loads a stored adapter.
 */
export function TaughtAdapterForm({ editing }: { editing: AdapterSpec | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState<AdapterForm>(() =>
    editing ? toForm(editing) : emptyAdapterForm(),
  );
  const [touched, setTouched] = useState(editing !== null);
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const save = useMutation(
    trpc.adapters.saveTaught.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.adapters.taught.queryKey() }),
    }),
  );
  const allIssues = useMemo(() => adapterFormIssues(form), [form]);
  // A blank new form does not greet its admin with every required field's message.
  const issues = touched ? allIssues : [];
  const set = (patch: Partial<AdapterForm>) => {
    setTouched(true);
    setForm((f) => ({ ...f, ...patch }));
  };
  const text = (
    key: keyof AdapterForm,
    label: string,
    placeholder = '',
    path: PropertyKey[] = [key],
  ) => (
    <F label={label} issues={issues} path={path}>
      <input
        value={form[key] as string}
        placeholder={placeholder}
        onChange={(e) => set({ [key]: e.target.value })}
      />
    </F>
  );
  const area = (key: keyof AdapterForm, label: string, path: PropertyKey[], placeholder = '') => (
    <F label={label} issues={issues} path={path}>
      <textarea
        rows={3}
        value={form[key] as string}
        placeholder={placeholder}
        onChange={(e) => set({ [key]: e.target.value })}
      />
    </F>
  );
  const kept = Object.keys(form.kept);
  return (
    <form
      className="adapter-form"
      data-testid="adapter-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        // Sent even with messages showing: the server refuses it with the same schema, and
        // stores nothing.
        save.mutate(fromForm(form));
      }}
    >
      <fieldset>
        <legend>Adapter</legend>
        {text('id', 'Adapter id', 'acme-help')}
        {text('name', 'Name', 'Acme Help')}
        {text('version', 'Version')}
      </fieldset>
      <fieldset>
        <legend>Ticket pages</legend>
        {text('urlPattern', 'URL pattern', 'https://help.example.com/tickets/:id')}
        {area('alsoUrlPatterns', 'Other URL patterns (one a line)', ['alsoUrlPatterns'])}
        {area('notUrlPatterns', 'Never these URLs (one a line)', ['notUrlPatterns'])}
        {text('idPattern', 'Ticket id pattern (regular expression)', '[0-9]+')}
        {area('ticketExamples', 'Example ticket pages (one a line)', ['examples', 'ticket'])}
        {area('notTicketExamples', 'Example pages that are not tickets (one a line)', [
          'examples',
          'notTicket',
        ])}
        <span className="field-message" aria-live="polite">
          {issues
            .filter((i) => i.path.length === 1 && i.path[0] === 'examples')
            .map((i) => i.message)
            .join(' ')}
        </span>
      </fieldset>
      <fieldset>
        <legend>Where each field is (CSS selector, optionally @attribute)</legend>
        {SELECTOR_FIELDS.map(([k, label]) => (
          <F key={k} label={label} issues={issues} path={['selectors', k]}>
            <input
              value={form.selectors[k]}
              onChange={(e) => set({ selectors: { ...form.selectors, [k]: e.target.value } })}
            />
          </F>
        ))}
        <F label="Created time read from" issues={issues} path={['selectors', 'createdFrom']}>
          <select
            value={form.createdFrom}
            onChange={(e) => set({ createdFrom: e.target.value as AdapterForm['createdFrom'] })}
          >
            <option value="datetime">its datetime attribute</option>
            <option value="title">its title (tooltip)</option>
            <option value="text">its text</option>
          </select>
        </F>
        {text('subjectPrefix', 'Subject prefix to remove (regular expression)', '#[0-9]+: ')}
      </fieldset>
      <fieldset>
        <legend>What statuses and priorities mean</legend>
        {area('statusValues', 'Statuses (one a line: word = meaning)', ['values', 'status'])}
        <p className="muted">Meanings: {STATUS_CATEGORIES.join(', ')}</p>
        {area('priorityValues', 'Priorities (one a line: word = meaning)', ['values', 'priority'])}
        <p className="muted">Meanings: {PRIORITIES.join(', ')}</p>
        <F label="Priority when none is shown" issues={issues} path={['defaultPriority']}>
          <select
            value={form.defaultPriority}
            onChange={(e) => set({ defaultPriority: e.target.value })}
          >
            <option value="">none</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </F>
      </fieldset>
      <fieldset>
        <legend>Dates</legend>
        <F label="Numeric date order" issues={issues} path={['dateOrder']}>
          <select
            value={form.dateOrder}
            onChange={(e) => set({ dateOrder: e.target.value as AdapterForm['dateOrder'] })}
          >
            <option value="mdy">month/day/year</option>
            <option value="dmy">day/month/year</option>
            <option value="ymd">year/month/day</option>
          </select>
        </F>
        {text('timeZone', 'Time zone', 'Europe/Berlin')}
        {text('locale', 'Language', 'de')}
        {text('localeFrom', 'Language read from', 'html @lang')}
        {text('dateFormat', 'Date format', 'dd.MM.yyyy HH:mm')}
      </fieldset>
      <fieldset>
        <legend>Ticket lists (optional)</legend>
        {area('listUrlPatterns', 'List URL patterns (one a line)', ['list', 'urlPatterns'])}
        {text('listRow', 'List row', 'tr.ticket', ['list', 'row'])}
        {text('listBadgeAt', 'Badge inside the row at', 'td.subject', ['list', 'badgeAt'])}
      </fieldset>
      {kept.length > 0 && (
        <p className="muted">Kept as imported (edit them in JSON): {kept.join(', ')}.</p>
      )}
      <div className="actions">
        <button className="primary" disabled={save.isPending}>
          Save adapter
        </button>
        <button
          type="button"
          onClick={() => {
            save.reset();
            setTouched(false);
            setForm(emptyAdapterForm());
          }}
        >
          New adapter
        </button>
      </div>
      {touched && allIssues.length > 0 && (
        <p className="muted" role="status">
          {allIssues.length} field{allIssues.length === 1 ? '' : 's'} to fix before saving.
        </p>
      )}
      {save.isSuccess && !save.isPending && <span role="status">Saved.</span>}
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
      <details>
        <summary>JSON import and export</summary>
        <label>
          Adapter as JSON
          <textarea rows={8} value={json} onChange={(e) => setJson(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" onClick={() => setJson(JSON.stringify(fromForm(form), null, 2))}>
            Export to JSON
          </button>
          <button
            type="button"
            onClick={() => {
              const r = parseJsonAs(adapterSpec, json);
              if ('error' in r) return setJsonError(r.error);
              setJsonError(null);
              save.reset();
              setTouched(true);
              setForm(toForm(r.data));
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
