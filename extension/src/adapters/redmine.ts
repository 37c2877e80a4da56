import {
  readChecked,
  type CheckedRead,
  type Priority,
  type StatusCategory,
} from '@deskwatch/shared';
import { mapValue, text } from './dom';
import { cleanText, timeContext, timeTrouble } from './engine';
import { required, withOverrides, type Adapter, type ReadContext, type ReadResult } from './types';

// Structure from Redmine 5.0 (Debian bookworm package, default theme), read off live pages of the
// test harness in tests/redmine/ and checked there in Chromium on every run.
export const selectors = {
  page: 'body.controller-issues.action-show',
  issue: 'div.issue.details',
  subject: 'div.issue.details .subject h3',
  status: 'div.issue.details .attributes .status.attribute .value',
  priority: 'div.issue.details .attributes .priority.attribute .value',
  assignee: 'div.issue.details .attributes .assigned-to.attribute .value a.user',
  author: 'div.issue.details p.author a.user',
  // Redmine shows relative times ("about 3 hours ago"); the absolute one is the link's title,
  // in the viewer's time zone, at minute precision.
  created: 'div.issue.details p.author a[title]',
  journal: '#history .journal.has-notes',
  anyJournal: '#history .journal',
  journalDetail: 'ul.details li',
  journalUser: 'h4.note-header a.user',
  journalTime: 'h4.note-header a[title]',
  replyBox: '#issue_notes',
  noteText: '.wiki',
  description: 'div.issue.details .description .wiki',
  listRow: 'table.list.issues tbody tr.issue',
  listBadgeAt: 'td.subject',
};

/** Redmine's default statuses and priorities; workspaces map their own custom ones. */
const statusMap: Record<string, StatusCategory> = {
  new: 'new',
  'in progress': 'open',
  feedback: 'pending_customer',
  resolved: 'solved',
  closed: 'closed',
  rejected: 'closed',
};
const priorityMap: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
  immediate: 'urgent',
};

/**
 * Redmine's default date and time formats per language (config/locales/*.yml in Redmine 5:
 * `date.formats.default` and `time.formats.time`), as its titles write them. An admin may set
 * another format for the whole instance: then the language's usual order is read instead, and
 * every time is cross-checked with the relative text beside it ("about 3 hours ago").
 */
export const REDMINE_DATE_FORMATS: Record<string, string> = {
  en: 'MM/dd/yyyy hh:mm a',
  de: 'dd.MM.yyyy HH:mm',
  fr: 'dd/MM/yyyy HH:mm',
  es: 'yyyy-MM-dd HH:mm',
  it: 'dd-MM-yyyy HH:mm',
  nl: 'dd-MM-yyyy HH:mm',
  pt: 'dd/MM/yyyy HH:mm',
  'pt-br': 'dd/MM/yyyy HH:mm',
};

/**
 * A time in a Redmine title, in the viewer's profile zone (the workspace's `timeZone`, else the
 * browser's) and the page's language, checked against the relative text it is the title of.
 */
function redmineTime(el: Element | null, context: ReadContext, doc: Document): CheckedRead | null {
  const title = el?.getAttribute('title');
  if (!el || !title) return null;
  const ctx = timeContext({ localeFrom: 'html @lang', dateOrder: 'mdy' }, doc, context);
  ctx.locale ??= 'en';
  const format = context.dateFormat ?? REDMINE_DATE_FORMATS[ctx.locale.toLowerCase()];
  const exact = readChecked(title, [el.textContent], { ...ctx, format });
  return exact.ok || exact.offBy !== undefined || !format || context.dateFormat
    ? exact
    : readChecked(title, [el.textContent], { ...ctx, format: undefined });
}

const ISSUE_PATH = /^(?:\/[\w.-]+)*\/issues\/(\d+)\/?$/;
const values = withOverrides({ status: statusMap, priority: priorityMap });

export const redmine: Adapter = {
  id: 'redmine',
  name: 'Redmine',
  version: '1',
  examples: {
    ticket: [
      'https://redmine.example.org/issues/1234',
      'http://127.0.0.1:8490/issues/5',
      'https://tracker.example.com/redmine/issues/77',
    ],
    notTicket: [
      'https://redmine.example.org/issues',
      'https://redmine.example.org/issues/1234/edit',
      'https://redmine.example.org/projects/ops/issues',
    ],
  },
  // Redmine is self-hosted anywhere, so the path alone says "issue page"; read() also checks the page marker.
  isTicketPage: (url) =>
    ISSUE_PATH.test(url.pathname) &&
    !url.pathname.includes('/-/') &&
    url.hostname !== 'github.com' &&
    url.hostname !== 'gitlab.com',
  selectors,
  values,
  isListPage: (url) =>
    /^(?:\/[\w.-]+)*\/issues\/?$/.test(url.pathname) &&
    !url.pathname.includes('/-/') &&
    url.hostname !== 'github.com' &&
    url.hostname !== 'gitlab.com',
  listRows: (doc) =>
    [...doc.querySelectorAll(selectors.listRow)].flatMap((row) => {
      const id = row.id.match(/^issue-(\d+)$/)?.[1];
      const anchor = row.querySelector(selectors.listBadgeAt);
      return id && anchor ? [{ externalId: id, anchor }] : [];
    }),
  replyBox: (doc) => doc.querySelector<HTMLElement>(selectors.replyBox),
  read(doc, url, maps = values, context = {}): ReadResult {
    if (!doc.querySelector(selectors.page)) return null;
    const id = url.pathname.match(ISSUE_PATH)?.[1];
    const issue = doc.querySelector(selectors.issue);
    const status = text(doc, selectors.status);
    const statusCategory = mapValue(maps.status, status);
    const priority = mapValue(maps.priority, text(doc, selectors.priority));
    const createdRead = redmineTime(doc.querySelector(selectors.created), context, doc);
    if (createdRead && !createdRead.ok) return { attention: timeTrouble('created', createdRead) };
    const created = createdRead?.at;
    // Every journal's time, read once: one that cannot be trusted stops the read.
    const journalTimes = new Map<Element, number>();
    for (const j of doc.querySelectorAll(selectors.anyJournal)) {
      const t = redmineTime(j.querySelector(selectors.journalTime), context, doc);
      if (t && !t.ok) return { attention: timeTrouble(`the time of ${j.id || 'a note'}`, t) };
      if (t) journalTimes.set(j, t.at);
    }
    const r = required({ id, issue, status: statusCategory, priority, created });
    if (!r.ok) return { missing: r.missing };
    const author = text(doc, selectors.author) ?? '';
    const messages = [...doc.querySelectorAll(selectors.journal)].flatMap((j) => {
      const at = journalTimes.get(j);
      if (at === undefined) return [];
      // Redmine has no requester role: notes by the issue's author are the customer's.
      const who = text(j, selectors.journalUser);
      return [
        {
          externalId: j.id,
          author: who === author ? ('customer' as const) : ('agent' as const),
          public: !j.classList.contains('private-notes'),
          at: new Date(at).toISOString(),
        },
      ];
    });
    // The history shows each status change with its time: the clocks use those, not the time of this visit.
    const changes: { at: number; from: string; to: string; externalId?: string }[] = [];
    for (const j of doc.querySelectorAll(selectors.anyJournal)) {
      const at = journalTimes.get(j);
      if (at === undefined) continue;
      for (const li of j.querySelectorAll(selectors.journalDetail)) {
        const values = li.querySelectorAll('i');
        if (li.querySelector('strong')?.textContent?.trim() === 'Status' && values.length === 2) {
          changes.push({
            at,
            from: values[0]!.textContent!.trim(),
            to: values[1]!.textContent!.trim(),
            // The journal's id (change-123): one status change per journal at most.
            ...(j.id ? { externalId: `${j.id}:status` } : {}),
          });
        }
      }
    }
    const history: { at: number; status: string; externalId?: string }[] = [
      { at: r.v.created, status: changes[0]?.from ?? status ?? '' },
      ...changes.map((c) => ({
        at: c.at,
        status: c.to,
        ...(c.externalId ? { externalId: c.externalId } : {}),
      })),
    ];
    const statusChanges = history.flatMap((h) => {
      const category = mapValue(maps.status, h.status);
      return category
        ? [
            {
              at: new Date(h.at).toISOString(),
              status: h.status,
              statusCategory: category,
              ...(h.externalId ? { externalId: h.externalId } : {}),
            },
          ]
        : [];
    });
    return {
      snapshot: {
        statusChanges,
        source: 'redmine',
        externalId: r.v.id,
        url: url.href,
        subject: text(doc, selectors.subject) ?? '',
        status: status ?? '',
        statusCategory: r.v.status,
        priority: r.v.priority,
        requester: author,
        assignee: text(doc, selectors.assignee) || null,
        createdAt: new Date(r.v.created).toISOString(),
        messages,
      },
      ...latestCustomerText(doc, author),
    };
  },
};

/** The author's latest note, else the issue's description: what the customer last asked. */
function latestCustomerText(doc: Document, author: string): { latestCustomerMessage?: string } {
  const notes = [...doc.querySelectorAll(selectors.journal)].filter(
    (j) => text(j, selectors.journalUser) === author,
  );
  const el = (notes.at(-1)?.querySelector(selectors.noteText) ??
    doc.querySelector(selectors.description)) as HTMLElement | null;
  const body = cleanText(el?.innerText ?? el?.textContent);
  return body ? { latestCustomerMessage: body } : {};
}
