import { useInfiniteQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

/** Admin: every admin change, newest first (who, what, before and after), a page at a time. */
export function Audit() {
  const trpc = useTRPC();
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <main className="settings">
      <h1>Audit log</h1>
      <p className="muted">Every change an admin made, newest first.</p>
      {log.isError && <p className="error">{log.error.message}</p>}
      <ul className="plain people" data-testid="audit">
        {entries.map((e) => (
          <li key={e.seq} data-testid="audit-entry" data-action={e.action}>
            <span>
              <strong>{e.action}</strong> {e.target} · {new Date(e.at).toLocaleString()} ·{' '}
              {e.actor ? `${e.actor.name} (${e.actor.email})` : 'operator'}
            </span>
            {e.before !== null && <span className="copyable">before: {show(e.before)}</span>}
            {e.after !== null && <span className="copyable">after: {show(e.after)}</span>}
          </li>
        ))}
      </ul>
      {log.hasNextPage && (
        <button disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Older entries
        </button>
      )}
    </main>
  );
}
