import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { z } from 'zod';
import { agentAlias, setAliasesInput, type AgentAlias } from '@deskwatch/shared';
import { useTRPC } from '../trpc';
import { messagesAt, parseJsonAs, schemaIssues, type FieldIssue } from './sla/form-model';

/**
 * Admin: the workspace's agents and the names and e-mails they go by in the ticket tools, so
 * the extension tells their messages from customers' where a page does not mark them.
 */
export function AgentSettings() {
  const trpc = useTRPC();
  // Always asked again on opening: the persisted list may predate the last save.
  const agents = useQuery({ ...trpc.agents.list.queryOptions(), refetchOnMount: 'always' });
  return (
    <main className="settings">
      <h1>Agents</h1>
      <p className="muted">
        Messages by anyone not listed here count as the customer&apos;s on tools that do not mark
        agents (Redmine, and taught tools using &quot;anyone not an agent&quot;). Add the names and
        e-mails each person uses in the tools; give the tool&apos;s id (<code>redmine</code>) where
        an alias holds in one tool only.
      </p>
      {agents.isError && <p className="error">{agents.error.message}</p>}
      <ul className="plain" data-testid="agents">
        {agents.data?.map((a) => (
          // Keyed by the stored aliases too: the list first comes from the persisted cache, and
          // the server's newer answer must reach the form's fields.
          <AgentRow key={`${a.userId} ${JSON.stringify(a.aliases)}`} agent={a} />
        ))}
      </ul>
    </main>
  );
}

/** One alias as the form holds it: empty text is "not given". */
interface Row {
  tool: string;
  name: string;
  email: string;
}
type Stored = { tool: string | null; name: string | null; email: string | null };
const toRow = (a: Stored | AgentAlias): Row => ({
  tool: a.tool ?? '',
  name: a.name ?? '',
  email: a.email ?? '',
});
/** What the server receives: the same zod schema checks it here as one types. */
const toAlias = (r: Row): AgentAlias =>
  ({
    ...(r.tool ? { tool: r.tool } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.email ? { email: r.email } : {}),
  }) as AgentAlias;
const aliasList = z.array(agentAlias).max(50);

function Messages({ issues, path }: { issues: FieldIssue[]; path: PropertyKey[] }) {
  return (
    <span className="field-message" aria-live="polite">
      {messagesAt(issues, path).join(' ')}
    </span>
  );
}

function AgentRow({
  agent,
}: {
  agent: { userId: string; name: string; email: string; role: string; aliases: Stored[] };
}) {
  const trpc = useTRPC();
  const [rows, setRows] = useState<Row[]>(() => agent.aliases.map(toRow));
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  // The list is not replaced on success: that would remount this row (keyed by its aliases)
  // and lose its "Saved."; the next opening asks the server again.
  const save = useMutation(trpc.agents.setAliases.mutationOptions());
  const input = { userId: agent.userId, aliases: rows.map(toAlias) };
  const issues = useMemo(
    () => schemaIssues(setAliasesInput, input),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the input is rebuilt from rows
    [rows],
  );
  const setRow = (i: number, r: Row) => setRows((l) => l.map((x, j) => (j === i ? r : x)));
  const of = `of ${agent.name}`;
  return (
    <li data-testid="agent" data-email={agent.email}>
      <strong>{agent.name}</strong> {agent.email} ({agent.role})
      <fieldset>
        <legend>Aliases {of}</legend>
        {rows.length === 0 && <p className="muted">None: only their account&apos;s e-mail.</p>}
        {rows.map((r, i) => {
          const n = `alias ${i + 1} ${of}`;
          return (
            <div key={i} className="alias" data-testid="alias">
              <label>
                Tool of {n}
                <input
                  value={r.tool}
                  placeholder="every tool"
                  onChange={(e) => setRow(i, { ...r, tool: e.target.value.trim() })}
                />
              </label>
              <Messages issues={issues} path={['aliases', i, 'tool']} />
              <label>
                Name of {n}
                <input value={r.name} onChange={(e) => setRow(i, { ...r, name: e.target.value })} />
              </label>
              <Messages issues={issues} path={['aliases', i, 'name']} />
              <label>
                E-mail of {n}
                <input
                  type="email"
                  value={r.email}
                  onChange={(e) => setRow(i, { ...r, email: e.target.value.trim() })}
                />
              </label>
              <Messages issues={issues} path={['aliases', i, 'email']} />
              <Messages issues={issues.filter((x) => x.path.length === 2)} path={['aliases', i]} />
              <button type="button" onClick={() => setRows((l) => l.filter((_, j) => j !== i))}>
                Remove {n}
              </button>
            </div>
          );
        })}
        <Messages issues={issues.filter((x) => x.path.length === 1)} path={['aliases']} />
        <button
          type="button"
          onClick={() => setRows((l) => [...l, toRow({ tool: null, name: null, email: null })])}
        >
          Add an alias {of}
        </button>
      </fieldset>
      <button className="primary" disabled={save.isPending} onClick={() => save.mutate(input)}>
        Save aliases
      </button>
      {save.isSuccess && !save.isPending && <span role="status"> Saved.</span>}
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
      <details>
        <summary>JSON import and export</summary>
        <label>
          Aliases {of} as JSON
          <textarea rows={5} value={json} onChange={(e) => setJson(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" onClick={() => setJson(JSON.stringify(rows.map(toAlias), null, 2))}>
            Export to JSON
          </button>
          <button
            type="button"
            onClick={() => {
              const r = parseJsonAs(aliasList, json);
              if ('error' in r) return setJsonError(r.error);
              setJsonError(null);
              setRows(r.data.map(toRow));
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
    </li>
  );
}
