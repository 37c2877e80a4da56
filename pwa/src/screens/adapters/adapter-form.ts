import {
  adapterSpec,
  exampleMismatches,
  type AdapterSpec,
  type AdapterSpecInput,
} from '@deskwatch/shared';
import { schemaIssues, type FieldIssue } from '../sla/form-model';

/** The selectors of a ticket page the form has one field each for, in the order shown. */
export const SELECTOR_FIELDS = [
  ['subject', 'Subject', true],
  ['status', 'Status', true],
  ['priority', 'Priority', true],
  ['requester', 'Requester', true],
  ['created', 'Created time', true],
  ['page', 'Only pages matching', false],
  ['requesterEmail', "Requester's e-mail", false],
  ['assignee', 'Assignee', false],
  ['requesterOrg', "Requester's organisation", false],
  ['tags', 'Tags (each match one tag)', false],
  ['description', 'Description', false],
  ['replyBox', 'Reply box', false],
] as const;
export type SelectorKey = (typeof SELECTOR_FIELDS)[number][0];

/**
 * A taught adapter as the form holds it: text per field (lists one per line, value maps as
 * `word = meaning` lines); empty text is "not given". What the form has no field for (the
 * conversation, history and per-language date formats) is kept as imported in `kept`.
 */
export interface AdapterForm {
  id: string;
  name: string;
  version: string;
  urlPattern: string;
  alsoUrlPatterns: string;
  notUrlPatterns: string;
  idPattern: string;
  ticketExamples: string;
  notTicketExamples: string;
  selectors: Record<SelectorKey, string>;
  createdFrom: 'datetime' | 'title' | 'text';
  listUrlPatterns: string;
  listRow: string;
  listBadgeAt: string;
  statusValues: string;
  priorityValues: string;
  defaultPriority: string;
  dateOrder: 'mdy' | 'dmy' | 'ymd';
  timeZone: string;
  locale: string;
  localeFrom: string;
  dateFormat: string;
  subjectPrefix: string;
  kept: Pick<AdapterSpecInput, 'messages' | 'history' | 'dateFormats'>;
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
/** A regular expression as typed: its spaces count (a `#123: ` prefix). */
const optRaw = <K extends string>(key: K, s: string) =>
  (s ? { [key]: s } : {}) as Partial<Record<K, string>>;
const opt = <K extends string>(key: K, s: string) =>
  (s.trim() ? { [key]: s.trim() } : {}) as Partial<Record<K, string>>;
const mapLines = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {})
    .map(([w, v]) => `${w} = ${v}`)
    .join('\n');

/** `word = meaning` lines as a map; a line without ` = ` is reported by its number. */
export function parseValueLines(text: string): { map: Record<string, string>; bad: number[] } {
  const map: Record<string, string> = {};
  const bad: number[] = [];
  text.split('\n').forEach((raw, n) => {
    const l = raw.trim();
    if (!l) return;
    const at = l.lastIndexOf('=');
    const word = l.slice(0, Math.max(at, 0)).trim();
    if (at < 0 || !word) return void bad.push(n + 1);
    map[word] = l.slice(at + 1).trim();
  });
  return { map, bad };
}

export function emptyAdapterForm(): AdapterForm {
  return toForm({
    id: '',
    name: '',
    urlPattern: '',
    examples: { ticket: [] },
    selectors: { subject: '', status: '', priority: '', requester: '', created: '' },
    values: { status: {}, priority: {} },
  });
}

/** The form of an adapter (exported, imported or stored). */
export function toForm(a: AdapterSpecInput | AdapterSpec): AdapterForm {
  const sel = a.selectors as Partial<Record<SelectorKey, string>>;
  return {
    id: a.id,
    name: a.name,
    version: a.version ?? '1',
    urlPattern: a.urlPattern,
    alsoUrlPatterns: (a.alsoUrlPatterns ?? []).join('\n'),
    notUrlPatterns: (a.notUrlPatterns ?? []).join('\n'),
    idPattern: a.idPattern ?? '',
    ticketExamples: a.examples.ticket.join('\n'),
    notTicketExamples: (a.examples.notTicket ?? []).join('\n'),
    selectors: Object.fromEntries(SELECTOR_FIELDS.map(([k]) => [k, sel[k] ?? ''])) as Record<
      SelectorKey,
      string
    >,
    createdFrom: a.selectors.createdFrom ?? 'datetime',
    listUrlPatterns: (a.list?.urlPatterns ?? []).join('\n'),
    listRow: a.list?.row ?? '',
    listBadgeAt: a.list?.badgeAt ?? '',
    statusValues: mapLines(a.values.status),
    priorityValues: mapLines(a.values.priority),
    defaultPriority: a.defaultPriority ?? '',
    dateOrder: a.dateOrder ?? 'mdy',
    timeZone: a.timeZone ?? '',
    locale: a.locale ?? '',
    localeFrom: a.localeFrom ?? '',
    dateFormat: a.dateFormat ?? '',
    subjectPrefix: a.subjectPrefix ?? '',
    kept: {
      ...(a.messages ? { messages: a.messages } : {}),
      ...(a.history ? { history: a.history } : {}),
      ...(a.dateFormats ? { dateFormats: a.dateFormats } : {}),
    },
  };
}

/** What the server receives for the form: the same zod schema checks it here as one types. */
export function fromForm(f: AdapterForm): AdapterSpecInput {
  const selectors = Object.fromEntries(
    SELECTOR_FIELDS.flatMap(([k, , required]) =>
      required || f.selectors[k].trim() ? [[k, f.selectors[k].trim()]] : [],
    ),
  );
  const list =
    f.listUrlPatterns.trim() || f.listRow.trim()
      ? {
          list: {
            urlPatterns: lines(f.listUrlPatterns),
            row: f.listRow.trim(),
            ...opt('badgeAt', f.listBadgeAt),
          },
        }
      : {};
  return {
    id: f.id.trim(),
    name: f.name.trim(),
    version: f.version.trim(),
    urlPattern: f.urlPattern.trim(),
    alsoUrlPatterns: lines(f.alsoUrlPatterns),
    notUrlPatterns: lines(f.notUrlPatterns),
    ...optRaw('idPattern', f.idPattern),
    examples: { ticket: lines(f.ticketExamples), notTicket: lines(f.notTicketExamples) },
    selectors: { ...selectors, createdFrom: f.createdFrom } as AdapterSpecInput['selectors'],
    ...list,
    values: {
      status: parseValueLines(f.statusValues).map,
      priority: parseValueLines(f.priorityValues).map,
    } as AdapterSpecInput['values'],
    ...(f.defaultPriority
      ? { defaultPriority: f.defaultPriority as AdapterSpecInput['defaultPriority'] }
      : {}),
    dateOrder: f.dateOrder,
    ...opt('timeZone', f.timeZone),
    ...opt('locale', f.locale),
    ...opt('localeFrom', f.localeFrom),
    ...opt('dateFormat', f.dateFormat),
    ...optRaw('subjectPrefix', f.subjectPrefix),
    ...f.kept,
  };
}

const urlParts = adapterSpec.pick({
  urlPattern: true,
  alsoUrlPatterns: true,
  idPattern: true,
  examples: true,
});

/**
 * Everything the server would refuse in the form, by the path of the field it concerns: the
 * adapter schema's issues, value lines that do not read, and examples the URL patterns contradict
 * (the save procedure's own check, run on the same functions).
 */
export function adapterFormIssues(f: AdapterForm): FieldIssue[] {
  const input = fromForm(f);
  const issues = schemaIssues(adapterSpec, input);
  for (const kind of ['status', 'priority'] as const) {
    const { bad } = parseValueLines(kind === 'status' ? f.statusValues : f.priorityValues);
    if (bad.length > 0)
      issues.push({
        severity: 'error',
        path: ['values', kind],
        message: `line ${bad.join(', ')}: write the tool's word = its meaning`,
      });
  }
  // As soon as the patterns and examples read, whatever else is still missing.
  const { urlPattern, alsoUrlPatterns, idPattern, examples } = input;
  const urls = urlParts.safeParse({ urlPattern, alsoUrlPatterns, idPattern, examples });
  if (urls.success)
    for (const message of exampleMismatches(urls.data))
      issues.push({ severity: 'error', path: ['examples'], message });
  return issues;
}
