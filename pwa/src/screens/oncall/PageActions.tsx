import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

/** Resolve a page, or hand it to someone else (who is paged at once). */
export function PageActions({ pageId, onDone }: { pageId: string; onDone: () => void }) {
  const trpc = useTRPC();
  const people = useQuery(trpc.oncall.people.queryOptions());
  const resolve = useMutation(trpc.oncall.resolve.mutationOptions({ onSuccess: onDone }));
  const reassign = useMutation(trpc.oncall.reassign.mutationOptions({ onSuccess: onDone }));
  const error = resolve.error ?? reassign.error;
  return (
    <span className="page-actions">
      <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ pageId })}>
        Resolve
      </button>
      <select
        aria-label="Reassign to"
        value=""
        disabled={reassign.isPending || !people.data}
        onChange={(e) => e.target.value && reassign.mutate({ pageId, userId: e.target.value })}
      >
        <option value="">Reassign to…</option>
        {people.data?.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      {error && <span role="alert">{error.message}</span>}
    </span>
  );
}
