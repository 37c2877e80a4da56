import type { SlaState } from '@deskwatch/shared';

const when = (ms: number) =>
  new Date(ms).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * What the overlay says when the ticket's status is not known since creation (the page shows no
 * history back to it): from when it is known, and what the clocks make of the time before.
 * Null when the whole history is known.
 * @example historyNote({ statusKnownFrom: Date.parse('2026-12-01T10:04Z'), targets: [...] })
 * // 'Status history unknown before Tue 10:04; resolution timer counts from then'
 */
export function historyNote(
  sla: Pick<SlaState, 'statusKnownFrom' | 'targets'>,
  format: (ms: number) => string = when,
): string | null {
  if (sla.statusKnownFrom === undefined) return null;
  const before = `Status history unknown before ${format(sla.statusKnownFrom)}`;
  const resolution = sla.targets.find((t) => t.metric === 'resolution');
  if (resolution?.outcomeUnknown) return `${before}; when it was resolved is unknown`;
  if (resolution?.countsFrom !== undefined) return `${before}; resolution timer counts from then`;
  return `${before}; timers take it as open since creation`;
}
