import { KbPanel, type KbContext } from './KbPanel';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  BusinessCalendar,
  calendar24x7,
  type Calendar,
  type Segment,
  formatDuration,
  METRIC_LABELS,
  projectTarget,
  type TargetState,
  type TicketSnapshotInput,
} from '@deskwatch/shared';
import type { EscalationView, TicketWithSla } from '@deskwatch/server';
import { ask, WATCH_PORT, type WatchMessage } from '../lib/messages';
import { usePlacement, type Placement } from './placement';
import { SHORT_METRIC } from './badges';
import { mostUrgent } from './most-urgent';
import { timerText } from './timer-text';
import { historyNote } from './unknown';

const PAUSE_REASONS: Record<string, string> = {
  pending_customer: 'waiting on the customer',
  on_hold: 'on hold',
};
const WARN_AT_PERCENT = 75;

/** Keeps a ticket's escalations live through a port to the background worker, reconnecting if the worker restarts. */
function useEscalations(ticketId: string | null) {
  const [list, setList] = useState<EscalationView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!ticketId) return;
    let closed = false;
    let port: Browser.runtime.Port | null = null;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: WATCH_PORT });
      port.onMessage.addListener((m: WatchMessage) => {
        if (m.type === 'escalations') {
          setList(m.list);
          setError(null);
        } else setError(m.error);
      });
      port.onDisconnect.addListener(() => {
        clearInterval(keepAlive);
        if (!closed) setTimeout(connect, 1000);
      });
      port.postMessage({ ticketId });
      keepAlive = setInterval(() => port?.postMessage({ ping: true }), 20_000);
    };
    connect();
    return () => {
      closed = true;
      clearInterval(keepAlive);
      port?.disconnect();
    };
  }, [ticketId]);
  return { list, setList, error };
}

/** One clock: time left or over, due instant, pause reason; "unknown" where the page cannot say. */
export function Target({ t }: { t: TargetState }) {
  const name = METRIC_LABELS[t.metric] ?? t.metric;
  const due = t.dueAt ? new Date(t.dueAt) : null;
  let note: string;
  if (t.outcomeUnknown) note = 'Stopped before Deskwatch saw the ticket';
  else if (t.status === 'paused') note = `Paused: ${PAUSE_REASONS[t.pausedBy ?? ''] ?? t.pausedBy}`;
  else if (t.status === 'met') note = 'Met';
  else if (t.status === 'breached')
    note = t.stoppedAt ? 'Breached (stopped)' : t.pausedBy ? 'Breached, paused' : 'Breached';
  else
    note = due
      ? `Due ${due.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`
      : '';
  return (
    <div
      className="target"
      data-metric={t.metric}
      data-status={t.status}
      data-unknown={String(t.outcomeUnknown === true)}
      data-warn={String(t.percentUsed >= WARN_AT_PERCENT)}
      data-remaining-ms={t.remainingMs}
      data-elapsed-ms={t.elapsedMs}
      data-stopped-at={t.stoppedAt ?? ''}
      data-due={t.dueAt ?? ''}
      title={
        due
          ? `Due ${due.toLocaleString()} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`
          : undefined
      }
    >
      <div className="name">{name}</div>
      <div className="time" data-testid="remaining">
        {t.outcomeUnknown ? 'unknown' : timerText(t)}
      </div>
      {t.clock === 'business' && t.calendarMsToDue !== null && t.stoppedAt === null && (
        <div className="note" data-testid="calendar-left">
          {t.calendarMsToDue >= 0
            ? `${formatDuration(t.calendarMsToDue)} on the clock`
            : `${formatDuration(-t.calendarMsToDue)} ago on the clock`}
        </div>
      )}
      <div className="note">{note}</div>
      {!t.outcomeUnknown && (
        <div className="bar" aria-hidden="true">
          <i style={{ width: `${Math.min(100, Math.max(0, t.percentUsed))}%` }} />
        </div>
      )}
    </div>
  );
}

function EscalationItem({ e }: { e: EscalationView }) {
  return (
    <div className="escalation" data-testid="escalation" data-state={e.state}>
      {e.state === 'pending' && <span>Escalation requested, waiting for a manager…</span>}
      {e.state === 'approved' && (
        <span>
          Approved by {e.decidedBy}
          {e.comment ? `: ${e.comment}` : ''}
        </span>
      )}
      {e.state === 'denied' && (
        <span>
          Denied by {e.decidedBy}: {e.comment}
        </span>
      )}
      {(e.state === 'expired' || e.state === 'cancelled') && <span>Escalation {e.state}</span>}
      <div className="muted">Reason: {e.reason}</div>
    </div>
  );
}

/**
 * Scrolls the overlay (its own scroll box, never the page: the overlay is fixed) so `el` is in
 * view below the sticky header: its bottom when it fits, else its top.
 */
function revealInOverlay(el: HTMLElement) {
  const box = el.closest<HTMLElement>('.dw');
  if (!box) return;
  const header = box.querySelector('header')?.getBoundingClientRect().height ?? 0;
  const view = box.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.height > view.height - header) box.scrollTop += r.top - (view.top + header);
  else if (r.bottom > view.bottom) box.scrollTop += r.bottom - view.bottom;
  else if (r.top < view.top + header) box.scrollTop += r.top - (view.top + header);
}

function EscalateForm({
  ticketId,
  onDone,
}: {
  ticketId: string;
  onDone: (e: EscalationView) => void;
}) {
  const [type, setType] = useState<EscalationView['type']>('tier2');
  const [severity, setSeverity] = useState<EscalationView['severity']>('normal');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // The form opens at the end of the overlay's body, below the fold of a laptop screen: bring all
  // of it into the overlay's view and put the cursor in its first field.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    revealInOverlay(form);
    form.querySelector<HTMLElement>('select, textarea, input')?.focus({ preventScroll: true });
  }, []);
  return (
    <form
      ref={formRef}
      data-testid="escalate-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        setBusy(true);
        ask({ type: 'escalate', ticketId, escalationType: type, severity, reason })
          .then(onDone, (err: Error) => setError(err.message))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Type{' '}
        <select name="type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="tier2">Tier 2</option>
          <option value="manager_approval">Manager approval</option>
          <option value="incident">Incident</option>
        </select>
      </label>
      <label>
        Severity{' '}
        <select
          name="severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as typeof severity)}
        >
          <option value="low">Low</option>
          <option value="normal">Normal</option>
          <option value="high">High</option>
          <option value="critical">Critical</option>
        </select>
      </label>
      <textarea
        name="reason"
        placeholder="Why does this need escalating?"
        required
        minLength={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <button className="primary" type="submit" disabled={busy || reason.trim().length < 3}>
        Send escalation
      </button>
    </form>
  );
}

const SEGMENT_LABEL: Record<Segment['kind'], string> = {
  running: 'Counting',
  paused: 'Paused',
  outside_hours: 'Outside business hours',
  holiday: 'Holiday',
  unknown: 'Status unknown (before Deskwatch saw the ticket)',
};
const hhmm = (ms: number) =>
  new Date(ms).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/** Why each clock shows what it shows: its segments, with the event behind each change. */
function Explanation({ ticketId }: { ticketId: string }) {
  const [res, setRes] = useState<TicketWithSla | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ask({ type: 'explain', ticketId }).then(setRes, (e: Error) => setError(e.message));
  }, [ticketId]);
  if (error) return <div className="error">{error}</div>;
  if (!res) return <div className="muted">Loading…</div>;
  return (
    <div className="explain" data-testid="explanation">
      <div className="muted">Policy: {res.policy}</div>
      {res.sla.targets.map((t) => (
        <div key={t.metric}>
          <strong>{METRIC_LABELS[t.metric] ?? t.metric}</strong> (since {hhmm(t.cycleStart)})
          <ol>
            {(t.segments ?? []).map((s, i) => (
              <li key={i} data-kind={s.kind}>
                {hhmm(s.from)}–{hhmm(s.to)} {SEGMENT_LABEL[s.kind]}
                {s.reason ? ` (${PAUSE_REASONS[s.reason] ?? s.reason})` : ''}
                <span className="muted">
                  {' '}
                  · {s.cause.type}
                  {s.cause.detail ? `: ${s.cause.detail}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}

const STEP = 24;

/** Drag with the pointer, or focus and use the arrow keys, to move the overlay out of the way. */
function MoveHandle({
  placement,
  onMove,
}: {
  placement: Placement;
  onMove: (p: Placement) => void;
}) {
  return (
    <button
      type="button"
      className="move"
      aria-label="Move the overlay (arrow keys)"
      title="Drag, or use the arrow keys, to move"
      onKeyDown={(e) => {
        const d = {
          ArrowLeft: [STEP, 0],
          ArrowRight: [-STEP, 0],
          ArrowUp: [0, STEP],
          ArrowDown: [0, -STEP],
        }[e.key];
        if (!d) return;
        e.preventDefault();
        onMove({ ...placement, right: placement.right + d[0]!, bottom: placement.bottom + d[1]! });
      }}
      onPointerDown={(e) => {
        const start = { x: e.clientX, y: e.clientY, ...placement };
        const target = e.currentTarget;
        target.setPointerCapture(e.pointerId);
        const move = (ev: PointerEvent) =>
          onMove({
            ...placement,
            right: start.right - (ev.clientX - start.x),
            bottom: start.bottom - (ev.clientY - start.y),
          });
        const up = () => {
          target.removeEventListener('pointermove', move);
          target.removeEventListener('pointerup', up);
        };
        target.addEventListener('pointermove', move);
        target.addEventListener('pointerup', up);
      }}
    >
      ⠿
    </button>
  );
}

/**
 * Shown when the page is a ticket page but the adapter cannot read its required fields, or
 * cannot trust the times it reads (`attention`: "times off by 5 h (…)").
 */
export function AdapterTrouble({
  adapter,
  fields,
  attention,
}: {
  adapter: string;
  fields: string[];
  attention?: string | undefined;
}) {
  return (
    <section
      className="dw"
      data-testid="deskwatch-overlay"
      data-trouble={attention === undefined ? fields.join(',') : 'times'}
      aria-label="Deskwatch"
    >
      <header>
        <strong>Deskwatch</strong>
      </header>
      <div className="body">
        {attention === undefined ? (
          <div className="error" role="alert">
            The {adapter} adapter needs attention: it cannot find {fields.join(', ')} on this page.
            Your admin has been told.
          </div>
        ) : (
          <div className="error" role="alert">
            The {adapter} adapter needs attention: {attention}. Nothing was recorded for this
            ticket; your admin can set the tool&apos;s time zone, language or date format.
          </div>
        )}
      </div>
    </section>
  );
}

export function Overlay({
  snapshot,
  kb,
  reading = false,
}: {
  snapshot: TicketSnapshotInput;
  kb: KbContext;
  /** The page is still loading what the adapter reads (a late history list): report nothing yet. */
  reading?: boolean;
}) {
  const [data, setData] = useState<{ res: TicketWithSla; receivedAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [placement, setPlacement] = usePlacement(snapshot.source);
  const collapsed = placement.collapsed;
  const setCollapsed = (c: boolean) => setPlacement({ ...placement, collapsed: c });
  const [escalating, setEscalating] = useState(false);
  const snapshotKey = JSON.stringify(snapshot);

  useEffect(() => {
    if (reading) return;
    let live = true;
    ask({ type: 'observe', snapshot }).then(
      // A view kept apart (its times disagree with colleagues') shows why, over their timers.
      (res) => live && (setData({ res, receivedAt: Date.now() }), setError(res.conflict ?? null)),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
    // The snapshot's content, not its identity, decides whether to report again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshotKey, reading]);

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);

  const ticketId = data?.res.ticket.id ?? null;
  const { list, setList } = useEscalations(ticketId);
  // The policy's business calendar, compiled once per answer, so the timer ticks in business time.
  const calendar: Calendar = useMemo(
    () => (data?.res.calendar ? new BusinessCalendar(data.res.calendar) : calendar24x7),
    [data],
  );
  const targets = useMemo(() => {
    if (!data) return [];
    const { sla } = data.res;
    // Project on the server's timeline by local elapsed time, so clock skew does not shift the timer.
    return sla.targets.map((t) =>
      projectTarget(t, calendar, sla.computedAt, sla.computedAt + (now - data.receivedAt)),
    );
  }, [data, calendar, now]);
  const [explaining, setExplaining] = useState(false);
  const urgent = collapsed ? mostUrgent(targets) : null;

  return (
    <section
      className="dw"
      data-testid="deskwatch-overlay"
      data-ticket={snapshot.externalId}
      data-collapsed={String(collapsed)}
      aria-label="Deskwatch"
      style={{ right: placement.right, bottom: placement.bottom }}
    >
      <header>
        <strong>Deskwatch</strong>
        {urgent && (
          <span
            className="peek"
            data-testid="collapsed-timer"
            data-metric={urgent.metric}
            data-status={urgent.status}
            data-warn={String(urgent.percentUsed >= WARN_AT_PERCENT)}
            title={METRIC_LABELS[urgent.metric] ?? urgent.metric}
          >
            {SHORT_METRIC[urgent.metric] ?? urgent.metric} {timerText(urgent)}
          </span>
        )}
        <MoveHandle placement={placement} onMove={setPlacement} />
        <button type="button" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)}>
          {collapsed ? 'Show' : 'Hide'}
        </button>
      </header>
      {!collapsed && (
        <div className="body">
          {error && (
            <div className="error" role="alert" data-testid="overlay-error">
              {error}
            </div>
          )}
          {reading && !data && (
            <div className="muted" data-testid="reading">
              reading…
            </div>
          )}
          {!reading && !data && !error && <div className="muted">Loading SLA…</div>}
          {data && historyNote(data.res.sla) && (
            <div className="note" data-testid="history-unknown">
              {historyNote(data.res.sla)}
            </div>
          )}
          {targets.map((t) => (
            <Target key={t.metric} t={t} />
          ))}
          {data && targets.length === 0 && (
            <div className="muted">No SLA targets for this ticket.</div>
          )}
          {ticketId && targets.length > 0 && (
            <button
              type="button"
              aria-expanded={explaining}
              onClick={() => setExplaining(!explaining)}
            >
              {explaining ? 'Hide explanation' : 'Why these times?'}
            </button>
          )}
          {ticketId && explaining && <Explanation ticketId={ticketId} />}
          {data && <KbPanel ticketId={ticketId} subject={snapshot.subject} kb={kb} />}
          {list.map((e) => (
            <EscalationItem key={e.id} e={e} />
          ))}
          {ticketId && !escalating && !list.some((e) => e.state === 'pending') && (
            <button type="button" onClick={() => setEscalating(true)}>
              Escalate
            </button>
          )}
          {ticketId && escalating && (
            <EscalateForm
              ticketId={ticketId}
              onDone={(e) => {
                setEscalating(false);
                setList((l) => [e, ...l.filter((x) => x.id !== e.id)]);
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}
