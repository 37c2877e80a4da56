import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dueText } from '../../format';
import { useTRPC } from '../../trpc';
import { Unavailable } from '../../Unavailable';

const range = (start: number, end: number) => `${dueText(start)} – ${dueText(end)}`;

interface ShiftRow {
  userId: string;
  userName: string;
  start: number;
  end: number;
  overrideId: string | null;
  mine: boolean;
}

/**
 * One schedule's next two weeks, from a phone: take a shift, ask someone to cover yours, swap
 * yours for someone else's (a manager may do so for anyone), and remove overrides.
 */
export function ScheduleDetail({ id, role }: { id: string; role: 'agent' | 'manager' | 'admin' }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const schedule = useQuery(trpc.shifts.schedule.queryOptions({ id }));
  const people = useQuery(trpc.shifts.people.queryOptions());
  const [open, setOpen] = useState<{ shift: number; what: 'cover' | 'swap' } | null>(null);
  const [choice, setChoice] = useState('');
  const refresh = async () => {
    setOpen(null);
    setChoice('');
    await Promise.all([
      qc.invalidateQueries({ queryKey: trpc.shifts.schedule.queryKey({ id }) }),
      qc.invalidateQueries({ queryKey: trpc.oncall.schedules.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.oncall.myShifts.queryKey() }),
    ]);
  };
  const change = useMutation(trpc.shifts.change.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.shifts.removeOverride.mutationOptions({ onSuccess: refresh }));
  if (!schedule.data) return <Unavailable query={schedule} what="The schedule" />;
  const s = schedule.data;
  const manager = role !== 'agent';
  const mine = (x: ShiftRow) => x.mine;
  const span = (x: ShiftRow) => ({ start: x.start, end: x.end });

  return (
    <main className="oncall">
      <h1>{s.name}</h1>
      <p className="muted">
        Time zone {s.timeZone}.{' '}
        {manager && <a href={`/oncall/schedules/${encodeURIComponent(id)}/edit`}>Edit schedule</a>}
      </p>

      <section>
        <h2>Next two weeks</h2>
        {s.shifts.length === 0 && <p className="muted">Nobody is on call in the next two weeks.</p>}
        <ul className="plain">
          {s.shifts.map((x, i) => (
            <li key={`${x.start}-${x.userId}`} data-testid="shift" data-user={x.userName}>
              <div>
                <strong>{x.userName}</strong> <span className="muted">{range(x.start, x.end)}</span>
                {x.overrideId && <span className="muted"> (override)</span>}
              </div>
              <div className="actions">
                {!mine(x) && (
                  <button
                    type="button"
                    disabled={change.isPending}
                    onClick={() => change.mutate({ kind: 'take', scheduleId: id, span: span(x) })}
                  >
                    Take
                  </button>
                )}
                {(mine(x) || manager) && (
                  <>
                    <button type="button" onClick={() => setOpen({ shift: i, what: 'cover' })}>
                      Cover…
                    </button>
                    <button type="button" onClick={() => setOpen({ shift: i, what: 'swap' })}>
                      Swap…
                    </button>
                  </>
                )}
              </div>
              {open?.shift === i && open.what === 'cover' && (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (choice)
                      change.mutate({
                        kind: 'cover',
                        scheduleId: id,
                        span: span(x),
                        userId: choice,
                      });
                  }}
                >
                  <label>
                    Who covers this shift
                    <select value={choice} onChange={(e) => setChoice(e.target.value)}>
                      <option value="">Choose a person…</option>
                      {people.data
                        ?.filter((p) => p.userId !== x.userId)
                        .map((p) => (
                          <option key={p.userId} value={p.userId}>
                            {p.name}
                          </option>
                        ))}
                    </select>
                  </label>
                  <button type="submit" className="primary" disabled={!choice || change.isPending}>
                    Confirm cover
                  </button>
                </form>
              )}
              {open?.shift === i && open.what === 'swap' && (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    const other = s.shifts[Number(choice)];
                    if (other)
                      change.mutate({
                        kind: 'swap',
                        scheduleId: id,
                        mine: span(x),
                        theirs: span(other),
                      });
                  }}
                >
                  <label>
                    Swap with
                    <select value={choice} onChange={(e) => setChoice(e.target.value)}>
                      <option value="">Choose a shift…</option>
                      {s.shifts.map((o, j) =>
                        o.userId === x.userId ? null : (
                          <option key={j} value={String(j)}>
                            {o.userName}: {range(o.start, o.end)}
                          </option>
                        ),
                      )}
                    </select>
                  </label>
                  <button type="submit" className="primary" disabled={!choice || change.isPending}>
                    Confirm swap
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
        {change.error && (
          <p role="alert" className="error">
            {change.error.message}
          </p>
        )}
      </section>

      <section data-testid="overrides">
        <h2>Overrides</h2>
        {s.overrides.length === 0 && <p className="muted">None to come.</p>}
        <ul className="plain">
          {s.overrides.map((o) => (
            <li key={o.id} data-testid="override">
              {o.userName}: {range(o.start, o.end)}{' '}
              <span className="muted">(by {o.createdBy})</span>{' '}
              <button
                type="button"
                disabled={remove.isPending}
                onClick={() => remove.mutate({ overrideId: o.id })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        {remove.error && (
          <p role="alert" className="error">
            {remove.error.message}
          </p>
        )}
      </section>
    </main>
  );
}
