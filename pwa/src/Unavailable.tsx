import { useSyncExternalStore } from 'react';

function subscribe(on: () => void) {
  window.addEventListener('online', on);
  window.addEventListener('offline', on);
  return () => {
    window.removeEventListener('online', on);
    window.removeEventListener('offline', on);
  };
}

/** Whether the browser says it is online. */
export function useOnline() {
  return useSyncExternalStore(subscribe, () => navigator.onLine);
}

/** What a query that has no data yet is doing, for the screen that waits on it. */
interface Waiting {
  fetchStatus: 'fetching' | 'paused' | 'idle';
  isError: boolean;
  error: { message: string } | null;
}

/**
 * Stands in for a screen's data while it has none: "Loading…" while it loads, an error when the
 * server refused, and, offline, that this was never opened on this device (instead of loading
 * forever).
 */
export function Unavailable({ query, what }: { query: Waiting; what: string }) {
  const online = useOnline();
  const network = query.isError && /fetch|network|load failed/i.test(query.error?.message ?? '');
  if (!online || query.fetchStatus === 'paused' || network)
    return (
      <div className="unavailable" role="status" data-testid="not-available-offline">
        <strong>Not available offline.</strong> {what} was not opened on this device while it was
        online; it loads as soon as the connection is back.
      </div>
    );
  if (query.isError)
    return (
      <p className="error" role="alert">
        {query.error!.message}
      </p>
    );
  return <p>Loading…</p>;
}
