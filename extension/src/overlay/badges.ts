import { METRIC_LABELS } from '@deskwatch/shared';
import type { TicketBadge } from '@deskwatch/server';
import type { Adapter } from '../adapters/types';

export const BADGE_TAG = 'deskwatch-badge';
/** How long a row's badge data is trusted before it is asked again. */
export const BADGE_REFRESH_MS = 60_000;
/**
 * Badge changes are gathered onto a shared 15-second grid of the wall clock, so a list whose
 * badges tick over at scattered instants costs at most four page renders a minute (each render,
 * not the script, is what costs); a badge may show its new minute up to 15 s late. The overlay
 * on a ticket stays exact to the second.
 */
export const BADGE_GRID_MS = 15_000;

/** Short names of the metrics, where room is short (list badges, the collapsed overlay). */
export const SHORT_METRIC: Readonly<Record<string, string>> = {
  first_response: 'FR',
  next_response: 'NR',
  periodic_update: 'UPD',
  resolution: 'RES',
};

// `:host { display }` outranks the browser's own `[hidden] { display: none }` (author over
// user-agent styles), so a row with no data would show an empty pill: hidden is restated here.
const css = `
:host { all: initial; display: inline-block; margin-inline-start: 6px; vertical-align: middle; }
:host([hidden]) { display: none; }
span { font: 600 11px/16px system-ui, sans-serif; padding: 0 6px; border-radius: 8px;
  background: #e7f5ec; color: #14532d; white-space: nowrap; }
span[data-state="soon"] { background: #fff4d6; color: #7a4b00; }
span[data-state="breached"] { background: #fde2e1; color: #8a1c14; }
span[data-state="paused"], span[data-state="met"] { background: #eceff3; color: #39424e; }
`;

/** Minutes are enough on a list: `3h 05m`, `12m`, `<1m`, `2d 4h`. */
export function compactDuration(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  if (m < 1) return '<1m';
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${m}m`;
}

export interface BadgeView {
  state: 'ok' | 'soon' | 'breached' | 'paused' | 'met';
  text: string;
  label: string;
}

/**
 * When a badge's text or state next changes after `now`: its minutes tick over, it turns "soon",
 * it breaches. Paused and met badges change only with new data (Infinity).
 */
export function nextChange(b: TicketBadge, now: number): number {
  if (b.status === 'met' || b.status === 'paused' || b.dueAt === null) return Infinity;
  const left = b.dueAt - now;
  if (left < 0) return now + (60_000 - ((now - b.dueAt) % 60_000)); // "+Nm" grows
  // The whole minutes left drop as soon as less than that many minutes are left.
  const minuteTick = now + (left % 60_000) + 1;
  const soonAt = b.dueAt - Math.max(15 * 60_000, b.targetMs / 4);
  return soonAt > now ? Math.min(minuteTick, soonAt) : minuteTick;
}

/** What a badge says at `now`: its state, its text, and a sentence for screen readers and tooltips. */
export function badgeView(b: TicketBadge, now: number): BadgeView {
  const short = SHORT_METRIC[b.metric] ?? b.metric;
  const name = METRIC_LABELS[b.metric] ?? b.metric;
  if (b.outcomeUnknown)
    return {
      state: 'met',
      text: `${short} ?`,
      label: `${name} unknown: stopped before Deskwatch saw the ticket`,
    };
  if (b.status === 'met') return { state: 'met', text: `${short} met`, label: `${name} met` };
  if (b.status === 'paused' || b.dueAt === null) {
    const left = compactDuration(b.remainingMs);
    return b.breached || b.remainingMs < 0
      ? { state: 'breached', text: `${short} +${left}`, label: `${name} breached, paused` }
      : { state: 'paused', text: `${short} ${left} ⏸`, label: `${name} paused, ${left} left` };
  }
  const left = b.dueAt - now;
  if (left < 0 || b.breached)
    return {
      state: 'breached',
      text: `${short} +${compactDuration(left)}`,
      label: `${name} breached ${compactDuration(left)} ago`,
    };
  // Due soon: the last quarter of the target, and never less than 15 minutes' notice.
  const soon = left <= Math.max(15 * 60_000, b.targetMs / 4);
  return {
    state: soon ? 'soon' : 'ok',
    text: `${short} ${compactDuration(left)}`,
    label: `${name} due in ${compactDuration(left)}`,
  };
}

/**
 * Puts a compact SLA badge on each row of a tool's ticket list and keeps them current with one
 * timer for all of them, woken only when a badge's text is due to change; texts are written only
 * when they change, so 50 badges cost next to nothing per second. `fetch` asks the server for
 * rows not seen recently.
 */
export function listBadges(
  adapter: Adapter,
  fetch: (externalIds: string[]) => Promise<TicketBadge[]>,
  signal: AbortSignal,
  now: () => number = Date.now,
) {
  const data = new Map<string, TicketBadge | null>();
  const askedAt = new Map<string, number>();
  const hosts = new Map<HTMLElement, { id: string; span: HTMLSpanElement; text: string }>();
  let inFlight = false;

  const paint = () => {
    const t = now();
    for (const [host, h] of hosts) {
      if (!host.isConnected) {
        hosts.delete(host);
        continue;
      }
      const b = data.get(h.id);
      const v = b ? badgeView(b, t) : null;
      const text = v ? `${v.state}|${v.text}` : '';
      if (text === h.text) continue;
      h.text = text;
      host.hidden = !v;
      if (v) {
        h.span.dataset.state = v.state;
        h.span.textContent = v.text;
        h.span.title = v.label;
        h.span.setAttribute('aria-label', v.label);
      }
    }
    schedule();
  };

  const scan = () => {
    if (signal.aborted || !adapter.listRows) return;
    const url = new URL(location.href);
    const due: string[] = [];
    for (const { externalId, anchor } of adapter.listRows(document, url)) {
      let host = [...anchor.children].find((c): c is HTMLElement => c.localName === BADGE_TAG);
      if (host && hosts.get(host)?.id !== externalId) {
        host.remove(); // the tool reused the row for another ticket
        host = undefined;
      }
      if (!host) {
        host = document.createElement(BADGE_TAG);
        host.dataset.ticket = externalId;
        host.hidden = true;
        const root = host.attachShadow({ mode: 'open' });
        const style = document.createElement('style');
        style.textContent = css;
        const span = document.createElement('span');
        span.setAttribute('role', 'status');
        root.append(style, span);
        anchor.append(host);
        hosts.set(host, { id: externalId, span, text: '' });
      }
      if (now() - (askedAt.get(externalId) ?? -Infinity) > BADGE_REFRESH_MS) due.push(externalId);
    }
    paint();
    if (due.length && !inFlight) {
      inFlight = true;
      const batch = due.slice(0, 200);
      for (const id of batch) askedAt.set(id, now());
      fetch(batch)
        .then((badges) => {
          for (const id of batch) data.set(id, null);
          for (const b of badges) data.set(b.externalId, b);
        })
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
          paint();
        });
    }
  };

  // One timer for every badge, woken only when some badge's text changes (its minute ticks over,
  // it turns "soon" or breaches) or its data is due for a refresh: not every second.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    if (signal.aborted) return;
    const t = now();
    let at = t + BADGE_REFRESH_MS;
    for (const h of hosts.values()) {
      const b = data.get(h.id);
      if (b) at = Math.min(at, nextChange(b, t));
    }
    const onGrid = Math.ceil(at / BADGE_GRID_MS) * BADGE_GRID_MS;
    timer = setTimeout(wake, Math.max(0, onGrid - t) + 5);
  };
  const wake = () => {
    // Rows whose data is stale are asked again (scan paints); otherwise only the texts change.
    if ([...askedAt.values()].some((at) => now() - at > BADGE_REFRESH_MS)) scan();
    else paint();
  };
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      for (const host of hosts.keys()) host.remove();
      hosts.clear();
    },
    { once: true },
  );
  return { scan, paint };
}
