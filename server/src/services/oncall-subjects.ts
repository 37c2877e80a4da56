import {
  PRIORITIES,
  alertUrgency,
  escalationUrgency,
  type PageSubject,
  type Priority,
} from '@deskwatch/shared';

const priorityOf = (p: string): Priority | null =>
  (PRIORITIES as readonly string[]).includes(p) ? (p as Priority) : null;
const tagsOf = (json: string): string[] => (json === '[]' ? [] : (JSON.parse(json) as string[]));

/** What routes and path conditions read of an SLA alert: urgency from its level and the priority. */
export function alertSubject(
  ticket: { source: string; priority: string; tags: string },
  policyId: string | null,
  level: string,
): PageSubject {
  const priority = priorityOf(ticket.priority);
  return {
    kind: 'sla_alert',
    urgency: alertUrgency(level, priority ?? 'normal'),
    priority,
    source: ticket.source,
    tags: tagsOf(ticket.tags),
    policyId,
  };
}

/** What routes and path conditions read of an escalation request: urgency from its severity. */
export function escalationSubject(
  ticket: { source: string; priority: string; tags: string },
  type: NonNullable<PageSubject['escalationType']>,
  severity: NonNullable<PageSubject['severity']>,
): PageSubject {
  return {
    kind: 'escalation',
    urgency: escalationUrgency(severity),
    priority: priorityOf(ticket.priority),
    source: ticket.source,
    tags: tagsOf(ticket.tags),
    escalationType: type,
    severity,
  };
}
