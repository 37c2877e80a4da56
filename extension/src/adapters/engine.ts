import {
  parseWallTime,
  urlPatternRegex,
  type AdapterSpec,
  type TicketSnapshotInput,
} from '@deskwatch/shared';
import { mapValue, text } from './dom';
import { required, type Adapter, type ReadResult } from './types';

/** Where a field's time is written: a machine attribute first, text written for people last. */
function readTime(
  el: Element | null,
  from: AdapterSpec['selectors']['createdFrom'],
  dateOrder: AdapterSpec['dateOrder'],
): string | null {
  if (!el) return null;
  const raw = from === 'text' ? (el.textContent ?? '').trim() : el.getAttribute(from);
  if (!raw) return null;
  const iso = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
  const ms = Number.isNaN(iso)
    ? parseWallTime(raw, Intl.DateTimeFormat().resolvedOptions().timeZone, dateOrder)
    : iso;
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Runs an adapter described as data (taught by a user, stored in the workspace) through the
 * same interface as the built-in ones: a pure URL predicate, named selectors, and `read`.
 */
export function dataAdapter(spec: AdapterSpec): Adapter {
  const re = urlPatternRegex(spec.urlPattern);
  const lower = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));
  const statusMap = lower(spec.values.status) as Record<
    string,
    TicketSnapshotInput['statusCategory']
  >;
  const priorityMap = lower(spec.values.priority) as Record<
    string,
    TicketSnapshotInput['priority']
  >;
  const s = spec.selectors;
  return {
    id: spec.id,
    name: spec.name,
    version: spec.version,
    examples: spec.examples,
    isTicketPage: (url) => re.test(url.href),
    selectors: {
      subject: s.subject,
      status: s.status,
      priority: s.priority,
      requester: s.requester,
      created: s.created,
    },
    read(doc, url): ReadResult {
      const id = url.href.match(re)?.groups?.id ?? null;
      if (!id) return null;
      const status = text(doc, s.status);
      const r = required({
        id,
        subject: text(doc, s.subject),
        status: mapValue(statusMap, status),
        priority: mapValue(priorityMap, text(doc, s.priority)),
        created: readTime(doc.querySelector(s.created), s.createdFrom, spec.dateOrder),
      });
      if (!r.ok) return { missing: r.missing };
      return {
        snapshot: {
          source: spec.id,
          externalId: r.v.id,
          url: url.href,
          subject: r.v.subject,
          status: status ?? '',
          statusCategory: r.v.status,
          priority: r.v.priority,
          requester: text(doc, s.requester) ?? '',
          createdAt: r.v.created,
          messages: [],
        },
      };
    },
  };
}
