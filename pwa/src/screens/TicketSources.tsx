import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ago } from '../format';
import { useTRPC } from '../trpc';

const when = (ms: number) => new Date(ms).toLocaleString();

/**
 * Managers and admins: who saw a ticket (each paired browser, each session) and what each saw,
 * flagged views included; one source's views can be set aside and the ticket recomputed from
 * the others'.
 */
export function TicketSources({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const sources = useQuery(trpc.tickets.sources.queryOptions({ ticketId }));
  const recompute = useMutation(
    trpc.tickets.recomputeWithout.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.tickets.pathKey() }),
    }),
  );
  return (
    <main className="settings" data-testid="ticket-sources">
      <h1>Ticket sources</h1>
      <p className="muted">
        Each browser that showed this ticket, and what it saw. A browser whose times disagree with
        the others&apos; (a wrong time zone or date format) is flagged and kept out.
      </p>
      {sources.isError && <p className="error">{sources.error.message}</p>}
      {recompute.error && (
        <p className="error" role="alert">
          {recompute.error.message}
        </p>
      )}
      {sources.data?.sources.map((s) => (
        <section
          key={s.sourceKey}
          data-testid="source"
          data-source={s.sourceKey}
          data-flagged={s.conflict !== null}
          data-excluded={s.excludedAt !== null}
        >
          <h2>
            {s.user ?? s.sourceKey}
            {s.device ? ` · ${s.device}` : ''}
          </h2>
          <p className="muted">
            First {ago(s.firstSeenAt)}, last {ago(s.lastSeenAt)}
            {s.excludedAt ? ` · set aside ${ago(s.excludedAt)}` : ''}
          </p>
          {s.conflict && (
            <p className="error" data-testid="conflict">
              {s.conflict}
            </p>
          )}
          {s.excludedAt === null && (
            <button
              disabled={recompute.isPending}
              onClick={() => recompute.mutate({ ticketId, sourceKey: s.sourceKey })}
            >
              Recompute without this source
            </button>
          )}
          <table>
            <thead>
              <tr>
                <th>What</th>
                <th>At</th>
                <th>In the log</th>
              </tr>
            </thead>
            <tbody>
              {s.observations.map((o) => (
                <tr key={`${o.dedupeKey}@${o.at}`}>
                  <td>
                    {o.type} <code>{o.dedupeKey}</code>
                  </td>
                  <td>{when(o.at)}</td>
                  <td>{o.type === 'seen' ? '' : o.inLog ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </main>
  );
}
