import { ticketSnapshot, type TicketSnapshot } from '@deskwatch/shared';
import type { TicketUpdate } from './types.js';

/** A snapshot holds at most this many history items of each kind; the oldest go first. */
const KEEP = 500;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A connector's picture of a ticket after one more update: fields replaced by what the update
 * says, each change added once (by the tool's id), status and priority those of the latest
 * change. Pure; the result is validated as a page's snapshot would be, so a connector can
 * store nothing a page could not. Returns a reason instead when the update cannot apply.
 *
 * @example applyUpdate(null, { externalId: '7', url, fields: { createdAt }, changes: [created], toolAt }, 'zendesk')
 */
export function applyUpdate(
  prev: TicketSnapshot | null,
  u: TicketUpdate,
  source: string,
): TicketSnapshot | { error: string } {
  const created = u.changes.find((c) => c.type === 'created');
  const createdAt = prev ? Date.parse(prev.createdAt) : (u.fields.createdAt ?? created?.at);
  if (createdAt === undefined || Number.isNaN(createdAt))
    return { error: `ticket ${u.externalId}: the first event seen for it has no creation time` };
  const f = u.fields;
  const snap: TicketSnapshot = prev
    ? structuredClone(prev)
    : {
        source,
        externalId: u.externalId,
        url: u.url,
        subject: '',
        status: created?.status ?? f.status ?? 'New',
        statusCategory: created?.category ?? f.statusCategory ?? 'new',
        priority: created?.priority ?? f.priority ?? 'normal',
        requester: '',
        assignee: null,
        requesterOrg: null,
        tags: [],
        createdAt: iso(createdAt),
        messages: [],
        statusChanges: [],
        // Complete when the tool told us of the creation; otherwise known from the first change.
        statusHistoryComplete: !!created,
        priorityChanges: [],
      };
  snap.url = u.url;
  if (f.subject !== undefined) snap.subject = f.subject.slice(0, 500);
  if (f.requester !== undefined) snap.requester = f.requester.slice(0, 254);
  if (f.requesterOrg !== undefined) snap.requesterOrg = f.requesterOrg?.slice(0, 200) ?? null;
  if (f.assignee !== undefined) snap.assignee = f.assignee?.slice(0, 254) ?? null;
  if (f.tags !== undefined)
    snap.tags = f.tags.filter((t) => t.length > 0 && t.length <= 64).slice(0, 50);
  const has = (list: { externalId?: string | undefined }[], id: string) =>
    list.some((x) => x.externalId === id);
  for (const c of u.changes) {
    if (c.type === 'created') {
      const at = iso(createdAt);
      // Without ids (`asPages`), the entries at creation are found by their instant.
      const initial = (list: { externalId?: string | undefined; at: string }[], id: string) =>
        c.asPages ? list.some((x) => x.externalId === undefined && x.at === at) : has(list, id);
      const keyed = (id: string) => (c.asPages ? {} : { externalId: id });
      if (!initial(snap.statusChanges, c.id))
        snap.statusChanges.unshift({
          ...keyed(c.id),
          at,
          status: c.status,
          statusCategory: c.category,
        });
      // One id for two facts: the priority's gets a suffix, as the log keys history by id alone.
      if (!initial(snap.priorityChanges, `${c.id}#priority`))
        snap.priorityChanges.unshift({ ...keyed(`${c.id}#priority`), at, priority: c.priority });
      snap.statusHistoryComplete = true;
    } else if (c.type === 'status') {
      // Tools that send the ticket as it is now (not what changed) repeat its status: no change.
      if (!has(snap.statusChanges, c.id) && inEffect(snap.statusChanges, c.at)?.status !== c.status)
        snap.statusChanges = earlier(
          snap.statusChanges,
          { externalId: c.id, at: iso(c.at), status: c.status, statusCategory: c.category },
          (x) => x.status,
        );
    } else if (c.type === 'priority') {
      if (
        !has(snap.priorityChanges, c.id) &&
        inEffect(snap.priorityChanges, c.at)?.priority !== c.priority
      )
        snap.priorityChanges = earlier(
          snap.priorityChanges,
          { externalId: c.id, at: iso(c.at), priority: c.priority },
          (x) => x.priority,
        );
    } else if (!has(snap.messages, c.id)) {
      snap.messages.push({ externalId: c.id, author: c.author, public: c.public, at: iso(c.at) });
    }
  }
  // Events may arrive out of order: the history is kept in the tool's time order.
  const byAt = (a: { at: string }, b: { at: string }) => Date.parse(a.at) - Date.parse(b.at);
  snap.statusChanges = snap.statusChanges.sort(byAt).slice(-KEEP);
  snap.priorityChanges = snap.priorityChanges.sort(byAt).slice(-KEEP);
  snap.messages = snap.messages.sort(byAt).slice(-KEEP);
  // The current status and priority are the latest change's, else what the event says.
  const lastStatus = snap.statusChanges.at(-1);
  if (lastStatus) {
    snap.status = lastStatus.status;
    snap.statusCategory = lastStatus.statusCategory;
  } else if (f.status !== undefined && f.statusCategory !== undefined) {
    snap.status = f.status;
    snap.statusCategory = f.statusCategory;
  }
  const lastPriority = snap.priorityChanges.at(-1);
  if (lastPriority) snap.priority = lastPriority.priority;
  else if (f.priority !== undefined) snap.priority = f.priority;
  const checked = ticketSnapshot.safeParse(snap);
  if (!checked.success)
    return {
      error: `ticket ${u.externalId}: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    };
  return checked.data;
}

/** The history item in effect at `at` (the latest not after it), if any. */
function inEffect<T extends { at: string }>(list: T[], at: number): T | undefined {
  let best: T | undefined;
  for (const x of list) if (Date.parse(x.at) <= at && (!best || x.at >= best.at)) best = x;
  return best;
}

/**
 * Adds a change; when the next change after it says the same (the value the tool repeated, or
 * the same change read later), that one goes: the change happened at the earlier instant.
 */
function earlier<T extends { at: string }>(list: T[], c: T, value: (x: T) => string): T[] {
  const t = (x: T) => Date.parse(x.at);
  let next: T | undefined;
  for (const x of list) if (t(x) > t(c) && (!next || t(x) < t(next))) next = x;
  const rest = next && value(next) === value(c) ? list.filter((x) => x !== next) : list;
  return [...rest, c];
}
