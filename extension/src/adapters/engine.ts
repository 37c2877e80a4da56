import {
  matchTicketUrl,
  offByText,
  readChecked,
  urlPatternRegex,
  type CheckContext,
  type AdapterSpec,
  type AdapterSpecInput,
  type TicketSnapshotInput,
} from '@deskwatch/shared';
import { customerRule } from './authorship';
import { mapValue } from './dom';
import {
  required,
  withOverrides,
  type Adapter,
  type ListRow,
  type ReadContext,
  type ReadResult,
  type ValueMaps,
} from './types';

type TimeFrom = 'datetime' | 'title' | 'text';

/** Splits `css @attr` into its parts; a bare `@attr` is the root element's own attribute. */
export function parseField(field: string): { css: string; attr: string | null } {
  const m = field.match(/^(.*?)\s*@([\w:.-]+)$/);
  return m ? { css: m[1]!.trim(), attr: m[2]! } : { css: field, attr: null };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every element `css` matches under `root`, stepping into open shadow roots at ` >>> `. */
function queryAll(root: ParentNode, css: string): Element[] {
  const steps = css.split(/\s*>>>\s*/);
  let scopes: ParentNode[] = [root];
  for (const [i, step] of steps.entries()) {
    const found = scopes.flatMap((s) => [...s.querySelectorAll(step)]);
    if (i === steps.length - 1) return found;
    scopes = found.flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : []));
  }
  return [];
}

/** The first value under `field` that `map` knows, with its text; else the first value seen. */
function readMapped<T extends string>(
  root: ParentNode,
  field: string,
  map: Record<string, T>,
): { raw: string | null; value: T | null } {
  let first: string | null = null;
  for (const found of resolve(root, field)) {
    const raw = valueOf(found) ?? '';
    first ??= raw;
    const value = mapValue(map, raw);
    if (value) return { raw, value };
  }
  return { raw: first, value: null };
}

/**
 * What a field names under `root`: the elements of its first alternative (`a || b`) that matches
 * anything, each with the attribute to read (null: its text).
 */
function resolve(root: ParentNode, field: string): { el: Element; attr: string | null }[] {
  for (const alt of field.split(/\s+\|\|\s+/)) {
    const { css, attr } = parseField(alt);
    const els = css ? queryAll(root, css) : root instanceof Element ? [root] : [];
    if (els.length) return els.map((el) => ({ el, attr }));
  }
  return [];
}

const valueOf = ({ el, attr }: { el: Element; attr: string | null }) => {
  const raw = attr ? el.getAttribute(attr) : el.textContent;
  return raw === null ? null : squash(raw);
};

/** The value of a field under `root`: the attribute it names, or the element's text. */
export function readField(root: ParentNode, field: string | undefined): string | null {
  if (!field) return null;
  const first = resolve(root, field)[0];
  return first ? valueOf(first) : null;
}

/** A message's text with its line breaks (paragraphs, <br>), at most 5000 characters. */
function readText(root: ParentNode, field: string): string | null {
  const found = resolve(root, field)[0];
  if (!found) return null;
  const el = found.el as HTMLElement;
  return cleanText(found.attr ? el.getAttribute(found.attr) : (el.innerText ?? el.textContent));
}

/** A message's text as the page lays it out, runs of spaces and blank lines squeezed, at most 5000 characters. */
export function cleanText(raw: string | null | undefined): string | null {
  const text = (raw ?? '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? text.slice(0, 5000) : null;
}

/** The value of every element the field matches (tags, labels). */
function readAll(root: ParentNode, field: string | undefined): string[] {
  if (!field) return [];
  return resolve(root, field).flatMap((found) => {
    const v = valueOf(found);
    return v ? [v.slice(0, 64)] : [];
  });
}

/** Whether `el` matches `field` or contains a match. */
const has = (el: Element, field: string) =>
  field.split(/\s+\|\|\s+/).some((css) => {
    try {
      return el.matches(css);
    } catch {
      return false; // shadow steps and attributes are not selectors `matches` knows
    }
  }) || resolve(el, field).length > 0;

/** A time read off the page: the instant, or why it cannot be trusted (`offBy`: the page disagrees with itself). */
export type TimeRead = { at: string } | { reason: string; offBy?: number } | null;

/**
 * A time written by a tool, as ISO: machine timestamps as they are, dates for people in the
 * tool's zone, locale and format (`ctx`). Checked against the element's other ways of writing
 * it (its `datetime`, its `title`, a relative text like "about 3 hours ago"): a disagreement is
 * returned as such, never as a time. Null when the field matches nothing.
 */
export function readTime(
  root: ParentNode,
  field: string,
  from: TimeFrom,
  ctx: TimeContext,
): TimeRead {
  const found = resolve(root, field)[0];
  if (!found) return null;
  const { el, attr } = found;
  const raw = squash(
    (attr ? el.getAttribute(attr) : from === 'text' ? el.textContent : el.getAttribute(from)) ?? '',
  );
  if (!raw) return null;
  const others = [el.getAttribute('datetime'), el.getAttribute('title'), el.textContent];
  let r = readChecked(raw, others, ctx);
  // A format guessed from the language may not be the instance's: read in the language's order.
  if (!r.ok && r.offBy === undefined && ctx.formatFromLanguage)
    r = readChecked(raw, others, { ...ctx, format: undefined });
  return r.ok
    ? { at: new Date(r.at).toISOString() }
    : { reason: r.reason, ...(r.offBy === undefined ? {} : { offBy: r.offBy }) };
}

/** What a time that cannot be stored tells the admin: "times off by 5 h (created: …)". */
export function timeTrouble(what: string, r: { reason: string; offBy?: number }): string {
  return r.offBy === undefined
    ? `cannot read ${what}: ${r.reason}`
    : `times off by ${offByText(r.offBy)} (${what}: ${r.reason})`;
}

/** How dates are read, and whether the format is only the one the page's language suggests. */
export type TimeContext = CheckContext & { formatFromLanguage?: boolean };

/** The format set for the tool, else the one its language uses (`dateFormats`), if any. */
function languageFormat(
  spec: Pick<AdapterSpec, 'dateFormats'> | Partial<Pick<AdapterSpec, 'dateFormats'>>,
  locale: string | undefined,
  set: string | undefined,
): { format?: string; formatFromLanguage?: boolean } {
  if (set) return { format: set };
  const lang = locale?.toLowerCase();
  const byLang = lang && (spec.dateFormats?.[lang] ?? spec.dateFormats?.[lang.split('-')[0]!]);
  return byLang ? { format: byLang, formatFromLanguage: true } : {};
}

/**
 * How the page writes dates: the workspace's settings over the spec's, the zone defaulting to
 * the browser's, the language where the page says it (`localeFrom`) over the spec's.
 */
export function timeContext(
  spec: Partial<
    Pick<
      AdapterSpec,
      'timeZone' | 'locale' | 'localeFrom' | 'dateFormat' | 'dateFormats' | 'dateOrder'
    >
  >,
  doc: Document,
  context: ReadContext = {},
): TimeContext {
  const pageLocale = spec.localeFrom ? readField(doc, spec.localeFrom) : null;
  const locale =
    context.locale ??
    (pageLocale && /^[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(pageLocale)
      ? pageLocale
      : spec.locale);
  const now = context.now ?? Date.now();
  return {
    timeZone: context.timeZone ?? spec.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale,
    ...languageFormat(spec, locale, context.dateFormat ?? spec.dateFormat),
    // The order is the locale's where one is known; `dateOrder` speaks for tools without one.
    dateOrder: locale ? undefined : (spec.dateOrder ?? 'mdy'),
    now,
    since: Math.min(now, context.loadedAt ?? globalThis.performance?.timeOrigin ?? now),
  };
}

/** The named selectors of a spec, for health reports and the README. */
function namedSelectors(spec: AdapterSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.selectors)) if (k !== 'createdFrom' && v) out[k] = v;
  if (spec.messages)
    for (const [k, v] of Object.entries(spec.messages))
      if (k !== 'timeFrom' && v) out[`message.${k}`] = v;
  if (spec.list) {
    out['list.row'] = spec.list.row;
    if (spec.list.badgeAt) out['list.badgeAt'] = spec.list.badgeAt;
  }
  return out;
}

/**
 * Runs an adapter described as data (built in, or taught by a user and stored in the
 * workspace) through the one adapter interface: a pure URL predicate, named selectors, `read`.
 */
export function dataAdapter(input: AdapterSpec | AdapterSpecInput): Adapter {
  const spec = input as AdapterSpec;
  const patterns = [spec.urlPattern, ...(spec.alsoUrlPatterns ?? [])];
  const ticketRes = patterns.map((p) => urlPatternRegex(p, spec.idPattern));
  const notRes = (spec.notUrlPatterns ?? []).map((p) => urlPatternRegex(p));
  const listRes = (spec.list?.urlPatterns ?? []).map((p) => urlPatternRegex(p));
  const s = spec.selectors;
  const excluded = (href: string) => notRes.some((re) => re.test(href));
  const idOf = (href: string) =>
    excluded(href) ? null : matchTicketUrl(patterns, href, spec.idPattern);
  const base = withOverrides({ status: spec.values.status, priority: spec.values.priority });
  return {
    id: spec.id,
    name: spec.name,
    version: spec.version ?? '1',
    examples: { ticket: spec.examples.ticket, notTicket: spec.examples.notTicket ?? [] },
    values: base,
    isTicketPage: (url) => !excluded(url.href) && ticketRes.some((re) => re.test(url.href)),
    selectors: namedSelectors(spec),
    read(doc, url, values = base, context): ReadResult {
      const id = idOf(url.href);
      if (!id || (s.page && !resolve(doc, s.page).length)) return null;
      const times = timeContext(spec, doc, context);
      const created = readTime(doc, s.created, s.createdFrom ?? 'datetime', times);
      if (created && !('at' in created)) return { attention: timeTrouble('created', created) };
      const status = readMapped(doc, s.status, values.status);
      const requester = readField(doc, s.requester);
      const r = required({
        id,
        subject: readField(doc, s.subject),
        status: status.value,
        priority: readMapped(doc, s.priority, values.priority).value ?? spec.defaultPriority,
        created: created?.at,
      });
      if (!r.ok) return { missing: r.missing };
      const snapshot: TicketSnapshotInput = {
        source: spec.id,
        externalId: r.v.id,
        url: url.href,
        subject: r.v.subject,
        status: status.raw ?? '',
        statusCategory: r.v.status,
        priority: r.v.priority,
        requester: requester ?? '',
        assignee: readField(doc, s.assignee) || null,
        requesterOrg: readField(doc, s.requesterOrg) || null,
        tags: readAll(doc, s.tags).slice(0, 50),
        createdAt: r.v.created,
        messages: [],
      };
      const historyShown =
        spec.history !== undefined &&
        resolve(doc, spec.history.list ?? spec.history.item).length > 0;
      if (spec.history && (historyShown || !spec.history.list)) {
        const history = readHistory(
          doc,
          spec.history,
          { created: r.v.created, status: status.raw },
          values,
          times,
        );
        if ('attention' in history) return history;
        Object.assign(snapshot, history);
      }
      const isCustomer = customerRule(
        spec.messages?.authorship ?? 'requester',
        { name: requester, email: readField(doc, s.requesterEmail) },
        context?.agents,
      );
      const read = spec.messages
        ? readMessages(doc, spec.messages, isCustomer, times)
        : { messages: [] };
      if ('attention' in read) return read;
      snapshot.messages = read.messages;
      const latestCustomerMessage =
        read.latestCustomerMessage ?? (s.description ? readText(doc, s.description) : null);
      const waiting =
        (spec.history !== undefined && !historyShown) ||
        (spec.messages !== undefined && resolve(doc, spec.messages.item).length === 0);
      return {
        snapshot,
        ...(latestCustomerMessage ? { latestCustomerMessage } : {}),
        ...(waiting ? { waiting } : {}),
      };
    },
    ...(spec.list
      ? {
          isListPage: (url: URL) => !excluded(url.href) && listRes.some((re) => re.test(url.href)),
          listRows(doc: Document, url: URL): ListRow[] {
            const rows: ListRow[] = [];
            for (const { el: row } of resolve(doc, spec.list!.row)) {
              // The row may itself be the link (a card), or hold one.
              const links = [row, ...row.querySelectorAll('a[href]')].filter((a) =>
                a.matches('a[href]'),
              );
              const link = links.find((a) => idOf(new URL(a.getAttribute('href')!, url).href));
              const externalId = link && idOf(new URL(link.getAttribute('href')!, url).href);
              const anchor = spec.list!.badgeAt
                ? (resolve(row, spec.list!.badgeAt)[0]?.el ?? null)
                : row;
              if (externalId && anchor) rows.push({ externalId, anchor });
            }
            return rows;
          },
        }
      : {}),
    ...(s.replyBox
      ? { replyBox: (doc: Document) => doc.querySelector<HTMLElement>(s.replyBox!) }
      : {}),
  };
}

function readMessages(
  doc: Document,
  m: NonNullable<AdapterSpec['messages']>,
  isCustomer: (author: string | null) => boolean,
  times: TimeContext,
):
  | { messages: TicketSnapshotInput['messages']; latestCustomerMessage?: string }
  | { attention: string } {
  const out: (TicketSnapshotInput['messages'][number] & { body?: string | null })[] = [];
  for (const { el: item } of resolve(doc, m.item)) {
    const time = readTime(item, m.time, m.timeFrom ?? 'datetime', times);
    if (!time) continue;
    // A message whose time is there but unreadable or contradicted is not skipped: the timers
    // would be silently wrong without it.
    if (!('at' in time)) return { attention: timeTrouble('a message time', time) };
    const { at } = time;
    const customer = m.customer
      ? has(item, m.customer)
      : m.agent
        ? !has(item, m.agent)
        : isCustomer(readField(item, m.author));
    const id = readField(item, m.id);
    out.push({
      ...(id ? { externalId: id.slice(0, 128) } : {}),
      author: customer ? 'customer' : 'agent',
      public: !(m.internal && has(item, m.internal)),
      at,
      body: customer && m.body ? readText(item, m.body) : null,
    });
  }
  out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const latest = out.findLast((x) => x.author === 'customer' && x.body);
  const messages = out.slice(-500).map(({ body: _, ...msg }) => msg);
  return latest?.body ? { messages, latestCustomerMessage: latest.body } : { messages };
}

type History = NonNullable<AdapterSpec['history']>;
type HistoryKind = keyof History['names'];
interface Change {
  at: number;
  kind: HistoryKind;
  from: string | null;
  to: string;
  externalId?: string;
}

/** Which of the tracked fields a change's name is, in whatever language the tool writes it. */
function kindOf(names: History['names'] | undefined, name: string | null): HistoryKind | null {
  const key = (name ?? '').toLocaleLowerCase().replace(/[\s:]+$/, '');
  for (const kind of ['status', 'priority', 'assignee'] as const)
    if ((names?.[kind] ?? [kind]).some((n) => n.toLocaleLowerCase() === key)) return kind;
  return null;
}

/**
 * The ticket's status and priority history from the tool's history list, oldest first. Each
 * change is keyed by its entry's id and field (`change-12:status`), so the same change read
 * again, from another time zone too, is one event. A list that goes back to creation starts
 * with the value at creation (the oldest change's old value, or the current one when nothing
 * changed) and is complete; otherwise the status before its oldest entry is unknown.
 */
function readHistory(
  doc: Document,
  h: History,
  current: { created: string; status: string | null },
  values: ValueMaps,
  times: TimeContext,
):
  | Pick<TicketSnapshotInput, 'statusChanges' | 'priorityChanges' | 'statusHistoryComplete'>
  | { attention: string } {
  const changes: Change[] = [];
  for (const { el: item } of resolve(doc, h.item)) {
    const time = readTime(item, h.time, h.timeFrom ?? 'datetime', times);
    if (!time) continue;
    // As with messages: a change whose time cannot be trusted stops the read, not the change.
    if (!('at' in time)) return { attention: timeTrouble('a history time', time) };
    const at = time.at;
    const itemId = readField(item, h.id);
    const seen = new Map<HistoryKind, number>();
    const parts = h.change ? resolve(item, h.change).map((f) => f.el) : [item];
    for (const part of parts) {
      const kind = h.field ? kindOf(h.names, readField(part, h.field)) : 'status';
      const to = readField(part, h.to);
      if (!kind || !to) continue;
      const n = seen.get(kind) ?? 0;
      seen.set(kind, n + 1);
      changes.push({
        at: Date.parse(at),
        kind,
        from: h.from ? readField(part, h.from) : null,
        to,
        ...(itemId ? { externalId: `${itemId}:${kind}${n ? `:${n}` : ''}`.slice(0, 128) } : {}),
      });
    }
  }
  changes.sort((a, b) => a.at - b.at);
  const iso = (ms: number) => new Date(ms).toISOString();
  const created = Date.parse(current.created);
  const chain = (kind: HistoryKind, now: string | null) => {
    const list = changes.filter((c) => c.kind === kind);
    // Built-in specs are not parsed, so schema defaults are spelt out here.
    const initial = h.fromCreation !== false ? (list.length ? list[0]!.from : now) : null;
    return { list, initial };
  };
  const status = chain('status', current.status);
  const initialStatus = mapValue(values.status, status.initial);
  const statusChanges = [
    ...(initialStatus
      ? [{ at: iso(created), status: status.initial!, statusCategory: initialStatus }]
      : []),
    ...status.list.flatMap((c) => {
      const category = mapValue(values.status, c.to);
      return category
        ? [
            {
              at: iso(Math.max(c.at, created)),
              status: c.to,
              statusCategory: category,
              ...(c.externalId ? { externalId: c.externalId } : {}),
            },
          ]
        : [];
    }),
  ];
  const priority = chain('priority', null);
  const initialPriority = mapValue(values.priority, priority.initial);
  const priorityChanges = [
    ...(initialPriority ? [{ at: iso(created), priority: initialPriority }] : []),
    ...priority.list.flatMap((c) => {
      const p = mapValue(values.priority, c.to);
      return p
        ? [
            {
              at: iso(Math.max(c.at, created)),
              priority: p,
              ...(c.externalId ? { externalId: c.externalId } : {}),
            },
          ]
        : [];
    }),
  ];
  return {
    statusChanges: statusChanges.slice(-500),
    priorityChanges: priorityChanges.slice(-500),
    statusHistoryComplete: initialStatus !== null && statusChanges.length <= 500,
  };
}
