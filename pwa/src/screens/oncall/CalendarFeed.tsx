import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

/**
 * The caller's calendar feed: a secret URL to subscribe to in any calendar app, shown once when
 * made; making a new one stops the old.
 */
export function CalendarFeed() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const feed = useQuery(trpc.shifts.feed.queryOptions());
  const done = () => qc.invalidateQueries({ queryKey: trpc.shifts.feed.queryKey() });
  const rotate = useMutation(trpc.shifts.rotateFeed.mutationOptions({ onSuccess: done }));
  const revoke = useMutation(
    trpc.shifts.revokeFeed.mutationOptions({
      onSuccess: () => {
        rotate.reset();
        return done();
      },
    }),
  );
  return (
    <section data-testid="calendar-feed">
      <h2>Calendar feed</h2>
      <p className="muted">
        {feed.data?.active
          ? 'Your shifts are in a calendar feed. Anyone with its address sees them: make a new one if it leaked.'
          : 'Subscribe to your shifts in your calendar app.'}
      </p>
      {rotate.data && (
        <p className="copyable" data-testid="feed-url">
          {new URL(rotate.data.path, location.origin).href}
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          {feed.data?.active ? 'Make a new address' : 'Make a calendar address'}
        </button>
        {feed.data?.active && (
          <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            Turn the feed off
          </button>
        )}
      </div>
    </section>
  );
}
