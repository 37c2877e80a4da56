import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatAliases, parseAliases } from '../aliases';
import { useTRPC } from '../trpc';

/**
 * Admin: the workspace's agents and the names and e-mails they go by in the ticket tools, so
 * the extension tells their messages from customers' where a page does not mark them.
 */
export function AgentSettings() {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions());
  return (
    <main className="settings">
      <h1>Agents</h1>
      <p className="muted">
        Messages by anyone not listed here count as the customer&apos;s on tools that do not mark
        agents (Redmine, and taught tools using &quot;anyone not an agent&quot;). Add the names and
        e-mails each person uses in the tools, one a line; put the tool&apos;s id first where it
        holds in one tool only (<code>redmine: Alice Agent</code>).
      </p>
      {agents.isError && <p className="error">{agents.error.message}</p>}
      <ul className="plain" data-testid="agents">
        {agents.data?.map((a) => (
          <AgentRow key={a.userId} agent={a} />
        ))}
      </ul>
    </main>
  );
}

function AgentRow({
  agent,
}: {
  agent: {
    userId: string;
    name: string;
    email: string;
    role: string;
    aliases: { tool: string | null; name: string | null; email: string | null }[];
  };
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [text, setText] = useState(() => formatAliases(agent.aliases));
  const save = useMutation(
    trpc.agents.setAliases.mutationOptions({
      onSuccess: (list) => qc.setQueryData(trpc.agents.list.queryKey(), list),
    }),
  );
  return (
    <li data-testid="agent" data-email={agent.email}>
      <strong>{agent.name}</strong> {agent.email} ({agent.role})
      <label>
        Aliases of {agent.name}
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button
        disabled={save.isPending}
        onClick={() => save.mutate({ userId: agent.userId, aliases: parseAliases(text) })}
      >
        Save aliases
      </button>
      {save.isSuccess && !save.isPending && <span role="status"> Saved.</span>}
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
    </li>
  );
}
