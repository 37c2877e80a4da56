import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ago, dueText } from '../format';
import { useTRPC } from '../trpc';
import { Unavailable } from '../Unavailable';
import { CalendarFeed } from './oncall/CalendarFeed';
import { PageActions } from './oncall/PageActions';

const HOUR = 3_600_000;
const range = (start: number, end: number) => `${dueText(start)} – ${dueText(end)}`;

/**
 * Who is on call now and next on every schedule, my next shifts, and the pages still open:
 * acknowledge one here, or take the next hours of a schedule yourself.
 */
export function OnCall({ role = 'agent' }: { role?: 'agent' | 'manager' | 'admin' }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const schedules = useQuery(trpc.oncall.schedules.queryOptions());
  const mine = useQuery(trpc.oncall.myShifts.queryOptions());
  const pages = useQuery(trpc.oncall.pages.queryOptions());
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.oncall.schedules.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.oncall.myShifts.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.oncall.pages.queryKey() }),
    ]);
  const acknowledge = useMutation(trpc.oncall.acknowledge.mutationOptions({ onSuccess: refresh }));
  const take = useMutation(trpc.oncall.addOverride.mutationOptions({ onSuccess: refresh }));

  // An acknowledgement from a notification shows here at once.
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if ((e.data as { type?: string })?.type === 'page-acknowledged') void refresh();
    };
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => navigator.serviceWorker?.removeEventListener('message', onMessage);
  });

  const open = (pages.data ?? []).filter((p) => p.state === 'open');
  const acknowledged = (pages.data ?? []).filter((p) => p.state === 'acknowledged');
  return (
    <main className="oncall">
      <h1>On call</h1>

      <section data-testid="open-pages">
        <h2>Open pages</h2>
        {!pages.data && <Unavailable query={pages} what="Pages" />}
        {pages.data && open.length === 0 && <p className="muted">Nobody is being paged.</p>}
        <ul className="plain">
          {open.map((p) => (
            <li key={p.id} data-testid="page" data-page-id={p.id}>
              <strong>{p.title}</strong>
              <span className="muted">
                {' '}
                · level {p.level + 1}
                {p.round > 0 ? `, round ${p.round + 1}` : ''} · {ago(p.createdAt)}
              </span>
              <button
                type="button"
                disabled={acknowledge.isPending}
                onClick={() => acknowledge.mutate({ pageId: p.id })}
              >
                Acknowledge
              </button>
              <PageActions pageId={p.id} onDone={() => void refresh()} />
            </li>
          ))}
        </ul>
        {acknowledge.error && <p role="alert">{acknowledge.error.message}</p>}
        {acknowledged.length > 0 && <h3>Acknowledged, not resolved</h3>}
        <ul className="plain">
          {acknowledged.map((p) => (
            <li key={p.id} data-testid="acknowledged-page" data-page-id={p.id}>
              <strong>{p.title}</strong>
              <span className="muted"> · by {p.acknowledgedBy}</span>
              <PageActions pageId={p.id} onDone={() => void refresh()} />
            </li>
          ))}
        </ul>
        <p>
          <a href="/oncall/paths">Escalation paths and rules</a> ·{' '}
          <a href="/oncall/quiet-hours">My quiet hours</a>
        </p>
      </section>

      <section data-testid="schedules">
        <h2>Schedules</h2>
        {!schedules.data && <Unavailable query={schedules} what="Schedules" />}
        {schedules.data?.length === 0 && <p className="muted">No on-call schedule yet.</p>}
        <ul className="plain">
          {schedules.data?.map((s) => (
            <li key={s.id} data-testid="schedule" data-schedule={s.name}>
              <h3>
                <a href={`/oncall/schedules/${encodeURIComponent(s.id)}`}>{s.name}</a>
              </h3>
              <p data-testid="on-now">
                Now: <strong>{s.now ? s.now.userName : 'nobody'}</strong>
                {s.now && <span className="muted"> until {dueText(s.now.end)}</span>}
              </p>
              <p data-testid="on-next">
                Next: <strong>{s.next ? s.next.userName : 'nobody'}</strong>
                {s.next && <span className="muted"> {range(s.next.start, s.next.end)}</span>}
              </p>
              <button
                type="button"
                disabled={take.isPending}
                onClick={() => {
                  const start = Date.now();
                  take.mutate({ scheduleId: s.id, start, end: start + 4 * HOUR });
                }}
              >
                Take the next 4 hours
              </button>
            </li>
          ))}
        </ul>
        {take.error && <p role="alert">{take.error.message}</p>}
        <p>
          {role !== 'agent' && (
            <>
              <a href="/oncall/schedules/new">New schedule</a> ·{' '}
            </>
          )}
          <a href="/oncall/devices">{role !== 'agent' ? 'Team devices' : 'My devices'}</a>
        </p>
      </section>

      <section data-testid="my-shifts">
        <h2>My next shifts</h2>
        {!mine.data && <Unavailable query={mine} what="Your shifts" />}
        {mine.data?.length === 0 && <p className="muted">No shift in the next four weeks.</p>}
        <ul className="plain">
          {mine.data?.map((s) => (
            <li key={`${s.scheduleId}-${s.start}`} data-testid="my-shift">
              {s.scheduleName}: {range(s.start, s.end)}
              {s.overrideId && <span className="muted"> (taken over)</span>}
            </li>
          ))}
        </ul>
      </section>

      <CalendarFeed />
    </main>
  );
}
