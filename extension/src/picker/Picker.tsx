import { useEffect, useMemo, useRef, useState } from 'react';
import {
  adapterSpec,
  exampleMismatches,
  matchTicketUrl,
  PRIORITIES,
  STATUS_CATEGORIES,
  type AdapterSpecInput,
} from '@deskwatch/shared';
import { dataAdapter, parseField, readField } from '../adapters/engine';
import { customerRule } from '../adapters/authorship';
import { ask, type PickerDraftJson } from '../lib/messages';
import {
  candidates,
  countMatches,
  entryIdAttr,
  entrySelector,
  markerOf,
  repeatedAncestor,
  timeSuffix,
  type Candidate,
} from './candidates';
import {
  COMMON_DATE_FORMATS,
  dateOrderOf,
  previewDate,
  showInstant,
  type DateContext,
} from './dates';
import {
  guessAdapterId,
  guessPriority,
  guessStatus,
  guessSubjectPrefix,
  guessToolName,
  guessUrlPattern,
} from './guess';
import { otherTickets, type OtherTicket } from './others';

export const PICKER_TAG = 'deskwatch-picker';

type Group = 'message' | 'history';
type FieldKey =
  | 'subject'
  | 'status'
  | 'priority'
  | 'requester'
  | 'requesterEmail'
  | 'created'
  | 'assignee'
  | 'message'
  | 'messageBody'
  | 'messageTime'
  | 'messageAuthor'
  | 'history'
  | 'historyTime'
  | 'historyField'
  | 'historyTo'
  | 'historyFrom';

interface FieldDef {
  key: FieldKey;
  label: string;
  required?: boolean;
  /** The field is one entry of a list (a message, a history row): picking any part of one finds it. */
  entry?: Group;
  /** Picked inside an entry of that list: the selector is relative to the entry. */
  in?: Group;
  time?: boolean;
}

const FIELDS: FieldDef[] = [
  { key: 'subject', label: 'Subject', required: true },
  { key: 'status', label: 'Status', required: true },
  { key: 'priority', label: 'Priority', required: true },
  { key: 'requester', label: 'Requester', required: true },
  { key: 'requesterEmail', label: "The requester's e-mail" },
  { key: 'created', label: 'Created time', required: true, time: true },
  { key: 'assignee', label: 'Assignee' },
  { key: 'message', label: 'A message of the conversation', entry: 'message' },
  { key: 'messageBody', label: "The message's text", in: 'message' },
  { key: 'messageTime', label: "The message's time", in: 'message', time: true },
  { key: 'messageAuthor', label: "The message's author", in: 'message' },
  { key: 'history', label: 'A history entry (status changes)', entry: 'history' },
  { key: 'historyTime', label: "The entry's time", in: 'history', time: true },
  { key: 'historyField', label: 'What changed (the field name)', in: 'history' },
  { key: 'historyTo', label: 'The new value', in: 'history' },
  { key: 'historyFrom', label: 'The old value', in: 'history' },
];
const fieldDef = (key: FieldKey) => FIELDS.find((f) => f.key === key)!;

const STATUS_LABELS: Record<string, string> = {
  new: 'New',
  open: 'Open (clock runs)',
  pending_customer: 'Waiting on the customer',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

const LOCALES = ['en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'pl', 'ja'];
const HISTORY_NAMES: [keyof HistoryNames, RegExp][] = [
  ['status', /status|state|zustand|statut|estado|stato/i],
  ['priority', /prio/i],
  ['assignee', /assign|owner|agent|bearbeiter|zugewiesen|responsable/i],
];

type Mapping = { text: string; to: string };
type HistoryNames = { status: string[]; priority: string[]; assignee: string[] };
type CustomerRule = 'requester' | 'not-agent' | 'marker';

/** Everything the admin decided so far: kept per site so leaving the page loses nothing. */
interface Draft {
  name: string;
  id: string;
  urlPattern: string;
  selectors: Partial<Record<FieldKey | 'messageId' | 'historyId', string>>;
  statusMap: Mapping[];
  priorityMap: Mapping[];
  defaultPriority: string;
  internal: string;
  timeZone: string;
  locale: string;
  dateFormat: string;
  customerRule: CustomerRule;
  marker: { kind: 'agent' | 'customer'; css: string } | null;
  subjectPrefix: string;
  historyNames: HistoryNames;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const meta = (name: string) =>
  document
    .querySelector(`meta[property="${name}"], meta[name="${name}"]`)
    ?.getAttribute('content') ?? null;

function freshDraft(): Draft {
  const name = guessToolName({
    siteName: meta('og:site_name'),
    appName: meta('application-name'),
    hostname: location.host,
  });
  return {
    name,
    // From the tool's name: two tools on one host (different ports or paths) get two adapters.
    id: guessAdapterId(`https://${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`),
    urlPattern: guessUrlPattern(location.href),
    selectors: {},
    statusMap: [],
    priorityMap: [],
    defaultPriority: '',
    internal: '',
    timeZone: '',
    locale: '',
    dateFormat: '',
    customerRule: 'requester',
    marker: null,
    subjectPrefix: '',
    historyNames: { status: ['status'], priority: ['priority'], assignee: ['assignee'] },
  };
}

/** The element under the pointer, ignoring the picker itself. */
const pageElement = (e: Event): Element | null => {
  const t = e.target;
  return t instanceof Element && t.localName !== PICKER_TAG ? t : null;
};

const cssOf = (field: string | undefined) => (field ? parseField(field).css : '');
const all = (root: ParentNode, field: string | undefined): Element[] => {
  const css = cssOf(field);
  if (!css) return [];
  try {
    return [...root.querySelectorAll(css)];
  } catch {
    return [];
  }
};
const within = (root: ParentNode, field: string | undefined) => {
  if (!field) return null;
  return root instanceof Element && !cssOf(field) ? root : (all(root, field)[0] ?? null);
};
const has = (el: Element, css: string) => {
  try {
    return el.matches(css) || el.querySelector(css) !== null;
  } catch {
    return false;
  }
};

/**
 * "Teach Deskwatch this page": pick each field on the page (hover highlights, click picks, the
 * generated selectors are listed from most robust to most specific with their live match
 * counts), say which URLs are ticket pages, how the tool writes dates and who is the customer,
 * map the tool's statuses and priorities, check the draft on other tickets of the tool, and save
 * it to the workspace or download it as a file. The draft is kept per site until it is saved.
 */
export function Picker({ onClose }: { onClose(): void }) {
  const [draft, setDraft] = useState<Draft>(freshDraft);
  const [loaded, setLoaded] = useState(false);
  const [restored, setRestored] = useState<number | null>(null);
  const [options, setOptions] = useState<Partial<Record<FieldKey, Candidate[]>>>({});
  const [picking, setPicking] = useState<FieldKey | null>(null);
  const [marking, setMarking] = useState<'agent' | 'customer' | null>(null);
  const [box, setBox] = useState<DOMRect | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [others, setOthers] = useState<OtherTicket[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [dock, setDock] = useState<'right' | 'left'>('right');
  const [folded, setFolded] = useState(false);
  const [, setTick] = useState(0);
  const set = (patch: Partial<Draft> | ((d: Draft) => Partial<Draft>)) =>
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));
  const sel = draft.selectors;

  // The draft of this site, when the picker was used here before and not saved.
  useEffect(() => {
    ask({ type: 'pickerDraft', origin: location.origin })
      .then((stored) => {
        if (stored && typeof stored.draft === 'object' && stored.draft) {
          setDraft({ ...freshDraft(), ...(stored.draft as Partial<Draft>) });
          setRestored(stored.savedAt);
        }
      })
      .catch(() => undefined)
      .finally(() => setLoaded(true));
  }, []);
  // Every change is kept at once (in order), so leaving the page right after one loses nothing.
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  useEffect(() => {
    if (!loaded) return;
    const json: PickerDraftJson = { savedAt: Date.now(), draft };
    saving.current = saving.current.then(() =>
      ask({ type: 'savePickerDraft', origin: location.origin, draft: json }).catch(() => undefined),
    );
  }, [draft, loaded]);

  // Match counts and previews are live: re-render when the page changes.
  useEffect(() => {
    let queued = false;
    const mo = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => ((queued = false), setTick((n) => n + 1)));
    });
    mo.observe(document.body, { subtree: true, childList: true, characterData: true });
    return () => mo.disconnect();
  }, []);

  const ticketId = (() => {
    try {
      return matchTicketUrl([draft.urlPattern], location.href);
    } catch {
      return null;
    }
  })();
  const dateCtx: DateContext = {
    timeZone: draft.timeZone || browserZone(),
    ...(draft.locale ? { locale: draft.locale } : {}),
    ...(draft.dateFormat ? { format: draft.dateFormat } : {}),
    dateOrder: dateOrderOf(draft.dateFormat, draft.locale),
  };

  /** The entry (message, history row) `el` is in, finding and setting the list's selector when needed. */
  function entryFor(group: Group, el: Element, part: boolean): Element | null {
    const current = sel[group];
    const inCurrent = current ? el.closest(cssOf(current)) : null;
    if (inCurrent && (!part || inCurrent !== el)) return inCurrent;
    const entry = repeatedAncestor(el);
    if (!entry) return null;
    const rel = el !== entry ? (candidates(el, entry, false, null)[0]?.selector ?? null) : null;
    const item = entrySelector(entry, rel);
    const entries = all(document, item);
    const alts = candidates(entry, document.documentElement, true, ticketId).filter(
      (c) => c.selector !== item,
    );
    setOptions((o) => ({
      ...o,
      [group]: [{ selector: item, kind: 'structure', matches: entries.length }, ...alts],
    }));
    const idAttr = entryIdAttr(entries);
    set((d) => {
      const selectors = { ...d.selectors, [group]: item };
      if (idAttr) selectors[`${group}Id`] = idAttr;
      else delete selectors[`${group}Id`];
      // The text that made it a message is its body: messages without one are not messages.
      if (group === 'message' && rel && !part && (el.textContent ?? '').trim().length >= 20)
        selectors.messageBody = rel;
      return { selectors };
    });
    return entry;
  }

  function pick(def: FieldDef, el: Element) {
    if (def.entry) {
      if (!entryFor(def.entry, el, false))
        return setResult({
          ok: false,
          text: `Found no ${def.entry === 'message' ? 'message' : 'history entry'} around that element: pick a part of one that shows its time.`,
        });
      setResult(null);
      return;
    }
    const root = def.in ? entryFor(def.in, el, true) : document.documentElement;
    if (!root)
      return setResult({
        ok: false,
        text: `That is not part of a ${def.in === 'message' ? 'message' : 'history entry'} that shows a time: pick the ${def.label.toLowerCase()} inside one.`,
      });
    setResult(null);
    const found = candidates(el, root, false, def.in ? null : ticketId);
    const suffix = def.time ? timeSuffix(el) : '';
    const list = found.map((c) => ({ ...c, selector: c.selector + suffix }));
    // The entry itself holds the value (a one-line history row): read it as a whole.
    if (root === el && def.in)
      list.unshift({ selector: `:scope${suffix}`, kind: 'structure', matches: 1 });
    setOptions((o) => ({ ...o, [def.key]: list }));
    if (list[0]) setField(def.key, list[0].selector, true);
  }

  function pickMarker(kind: 'agent' | 'customer', el: Element) {
    const entry = sel.message ? el.closest(cssOf(sel.message)) : null;
    if (!entry)
      return setResult({
        ok: false,
        text: 'Pick inside one of the messages the message selector finds.',
      });
    const css = markerOf(entry, all(document, sel.message));
    if (!css)
      return setResult({
        ok: false,
        text: 'Nothing on that message tells it from the others: choose another rule.',
      });
    setResult(null);
    set({ marker: { kind, css }, customerRule: 'marker' });
  }

  useEffect(() => {
    if (!picking && !marking) return;
    const move = (e: MouseEvent) => {
      const el = pageElement(e);
      setBox(el ? el.getBoundingClientRect() : null);
    };
    const click = (e: MouseEvent) => {
      const el = pageElement(e);
      if (!el) return;
      e.preventDefault();
      e.stopPropagation();
      if (marking) pickMarker(marking, el);
      else if (picking) pick(fieldDef(picking), el);
      setPicking(null);
      setMarking(null);
      setBox(null);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setPicking(null);
        setMarking(null);
        setBox(null);
      }
    };
    // Capture phase: the page's own handlers never see the picking click.
    document.addEventListener('mousemove', move, true);
    document.addEventListener('click', click, true);
    document.addEventListener('keydown', key, true);
    return () => {
      document.removeEventListener('mousemove', move, true);
      document.removeEventListener('click', click, true);
      document.removeEventListener('keydown', key, true);
    };
  });

  /** The value a field reads in `doc`: inside the first entry for message and history parts. */
  function valueIn(doc: Document, key: FieldKey): string | null {
    const field = sel[key];
    if (!field) return null;
    const def = fieldDef(key);
    if (def.entry) return String(all(doc, field).length);
    const root = def.in ? all(doc, sel[def.in])[0] : doc;
    if (!root) return null;
    return readField(root, field);
  }

  /** Sets a field's selector; a picked status or priority also adds its value to the mappings. */
  function setField(key: FieldKey, selector: string, picked = false) {
    set((d) => ({ selectors: { ...d.selectors, [key]: selector } }));
    if (!picked) return;
    const value = key === 'status' || key === 'priority' ? readField(document, selector) : null;
    if (key === 'status' && value) addValues([value], []);
    if (key === 'priority' && value) addValues([], [value]);
    if (key === 'historyField') {
      const names = new Set(
        all(document, sel.history).flatMap((e) =>
          all(e, selector).map((x) => (x.textContent ?? '').trim()),
        ),
      );
      const seen = [...names].filter(Boolean);
      set((d) => ({
        historyNames: Object.fromEntries(
          HISTORY_NAMES.map(([k, re]) => {
            const hits = seen.filter((n) => re.test(n));
            return [k, hits.length ? hits.slice(0, 10) : d.historyNames[k]];
          }),
        ) as HistoryNames,
      }));
    }
  }

  /** Adds the tool's words not mapped yet, with a guess at their meaning. */
  function addValues(statuses: string[], priorities: string[]) {
    set((d) => {
      const more = (rows: Mapping[], words: string[], guess: (w: string) => string) => {
        const out = [...rows];
        for (const w of words)
          if (w && !out.some((m) => m.text.toLowerCase() === w.toLowerCase()))
            out.push({ text: w, to: guess(w) });
        return out;
      };
      return {
        statusMap: more(d.statusMap, statuses, (w) => guessStatus(w) ?? 'open'),
        priorityMap: more(d.priorityMap, priorities, (w) => guessPriority(w) ?? 'normal'),
      };
    });
  }

  const spec = useMemo((): AdapterSpecInput => {
    const s = draft.selectors;
    const from = (f = '') =>
      parseField(f).attr === null ? ('text' as const) : ('datetime' as const);
    const rule =
      draft.customerRule === 'marker' && draft.marker
        ? { [draft.marker.kind]: draft.marker.css }
        : { authorship: draft.customerRule === 'not-agent' ? 'not-agent' : 'requester' };
    return {
      id: draft.id,
      name: draft.name,
      version: '1',
      urlPattern: draft.urlPattern,
      examples: { ticket: [location.href.split('#')[0]!], notTicket: [] },
      selectors: {
        subject: s.subject ?? '',
        status: s.status ?? '',
        priority: s.priority ?? '',
        requester: s.requester ?? '',
        ...(s.requesterEmail ? { requesterEmail: s.requesterEmail } : {}),
        created: s.created ?? '',
        createdFrom: from(s.created),
        ...(s.assignee ? { assignee: s.assignee } : {}),
      },
      ...(s.message && s.messageTime
        ? {
            messages: {
              item: s.message,
              time: s.messageTime,
              timeFrom: from(s.messageTime),
              ...(s.messageId ? { id: s.messageId } : {}),
              ...(s.messageAuthor ? { author: s.messageAuthor } : {}),
              ...(s.messageBody ? { body: s.messageBody } : {}),
              ...(draft.internal.trim() ? { internal: draft.internal.trim() } : {}),
              ...rule,
            } as NonNullable<AdapterSpecInput['messages']>,
          }
        : {}),
      ...(s.history && s.historyTime && s.historyTo
        ? {
            history: {
              item: s.history,
              ...(s.historyId ? { id: s.historyId } : {}),
              time: s.historyTime,
              timeFrom: from(s.historyTime),
              ...(s.historyField ? { field: s.historyField } : {}),
              to: s.historyTo,
              ...(s.historyFrom ? { from: s.historyFrom } : {}),
              names: draft.historyNames,
            },
          }
        : {}),
      values: {
        status: Object.fromEntries(
          draft.statusMap.filter((m) => m.text).map((m) => [m.text, m.to]),
        ),
        priority: Object.fromEntries(
          draft.priorityMap.filter((m) => m.text).map((m) => [m.text, m.to]),
        ),
      } as AdapterSpecInput['values'],
      ...(draft.defaultPriority
        ? { defaultPriority: draft.defaultPriority as AdapterSpecInput['defaultPriority'] }
        : {}),
      dateOrder: dateOrderOf(draft.dateFormat, draft.locale),
      // Absent: each viewer's browser zone (tools that show times in the user's own zone).
      ...(draft.timeZone ? { timeZone: draft.timeZone } : {}),
      ...(draft.locale ? { locale: draft.locale } : {}),
      ...(draft.dateFormat ? { dateFormat: draft.dateFormat } : {}),
      ...(draft.subjectPrefix ? { subjectPrefix: draft.subjectPrefix } : {}),
    };
  }, [draft]);

  const parsed = adapterSpec.safeParse(spec);
  const problems = parsed.success
    ? exampleMismatches(parsed.data)
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const context = {
    timeZone: dateCtx.timeZone,
    ...(draft.locale ? { locale: draft.locale } : {}),
    ...(draft.dateFormat ? { dateFormat: draft.dateFormat } : {}),
  };
  const adapter = parsed.success && problems.length === 0 ? dataAdapter(parsed.data) : null;
  let reading = '';
  if (adapter) {
    const r = adapter.read(document, new URL(location.href), undefined, context);
    reading = !r
      ? 'This page is not a ticket page under that URL pattern.'
      : 'missing' in r
        ? `Not read yet: ${r.missing.join(', ')}`
        : 'attention' in r
          ? `Cannot trust the times: ${r.attention}`
          : `Reads ticket ${r.snapshot.externalId}: “${r.snapshot.subject}”, ${r.snapshot.statusCategory}, ${r.snapshot.priority}, created ${showInstant(Date.parse(r.snapshot.createdAt), dateCtx.timeZone, draft.locale || undefined)}, ${r.snapshot.messages.length} messages`;
  }
  const othersRead =
    adapter && others
      ? others.map((t) => ({ t, r: adapter.read(t.doc, new URL(t.url), undefined, context) }))
      : [];
  const checked = others !== null;
  const ready = !!adapter && reading.startsWith('Reads') && checked;

  const idOf = (href: string) => {
    try {
      return matchTicketUrl([draft.urlPattern], href);
    } catch {
      return null;
    }
  };
  const abort = useRef<AbortController | null>(null);
  async function checkOthers() {
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    setChecking(true);
    try {
      const found = await otherTickets(document, location.href, idOf, ac.signal, 5);
      setOthers(found);
      // The statuses and priorities other tickets show, to be mapped before saving.
      // This page's too: a draft restored on another ticket was picked elsewhere.
      const docs = [document, ...found.map((t) => t.doc)];
      addValues(
        docs.map((d) => (sel.status ? readField(d, sel.status) : null) ?? ''),
        docs.map((d) => (sel.priority ? readField(d, sel.priority) : null) ?? ''),
      );
    } finally {
      setChecking(false);
    }
  }
  useEffect(() => () => abort.current?.abort(), []);

  const save = async () => {
    setResult(null);
    try {
      const r = await ask({ type: 'saveTaught', spec, url: location.href });
      setLoaded(false); // the saved draft is not kept again
      saving.current = saving.current.then(() =>
        ask({ type: 'savePickerDraft', origin: location.origin, draft: null }).catch(
          () => undefined,
        ),
      );
      setResult({
        ok: true,
        text: r.siteEnabled
          ? `Saved to your workspace as “${r.name}”. Every agent of the team gets it; reload to see the overlay.`
          : `Saved to your workspace as “${r.name}”. Turn Deskwatch on for this site from the toolbar button, then reload.`,
      });
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  const download = () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(
      new Blob([JSON.stringify(parsed.success ? parsed.data : spec, null, 2)], {
        type: 'application/json',
      }),
    );
    a.download = `${draft.id}.deskwatch-adapter.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const subjectText = readField(document, sel.subject);
  const prefix = subjectText ? guessSubjectPrefix(subjectText) : null;
  const messages = all(document, sel.message);
  // The saved adapter's own rule, so the preview says what the timers will count.
  const isRequester = customerRule(
    'requester',
    { name: readField(document, sel.requester), email: readField(document, sel.requesterEmail) },
    undefined,
  );
  const customerOf = (m: Element): string => {
    const author = (sel.messageAuthor && readField(m, sel.messageAuthor)) || '';
    if (draft.customerRule === 'marker' && draft.marker)
      return has(m, draft.marker.css) === (draft.marker.kind === 'customer') ? 'customer' : 'agent';
    if (draft.customerRule === 'not-agent')
      return `customer unless ${author || 'the author'} is one of your agents`;
    return isRequester(author) ? 'customer' : 'agent';
  };
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return [browserZone()];
    }
  }, []);

  const fieldRow = (f: FieldDef) => {
    const field = sel[f.key] ?? '';
    const group = f.in;
    const root = group ? within(document, sel[group]) : document;
    const count =
      field && root ? (group && !cssOf(field) ? 1 : countMatches(root, cssOf(field))) : null;
    const value = field ? valueIn(document, f.key) : null;
    const date = f.time && value !== null ? previewDate(value, dateCtx) : null;
    return (
      <div className="field" key={f.key} data-field={f.key}>
        <div className="row">
          <span className="label">
            {f.label}
            {f.required ? ' *' : ''}
          </span>
          <button
            type="button"
            aria-pressed={picking === f.key}
            onClick={() => setPicking(picking === f.key ? null : f.key)}
          >
            {picking === f.key ? 'Picking…' : 'Pick'}
          </button>
        </div>
        <input
          aria-label={`${f.label} selector`}
          value={field}
          onChange={(e) => setField(f.key, e.currentTarget.value)}
        />
        {(options[f.key]?.length ?? 0) > 1 && (
          <select
            aria-label={`${f.label}: other selectors`}
            value={field}
            onChange={(e) => setField(f.key, e.currentTarget.value, true)}
          >
            {options[f.key]!.map((c) => (
              <option key={c.selector} value={c.selector}>
                {c.kind}: {c.selector} ({c.matches})
              </option>
            ))}
          </select>
        )}
        {field && (
          <span
            className="hint"
            data-testid="match-count"
            data-count={count ?? -1}
            data-state={count === null ? 'invalid' : count === 0 ? 'none' : 'ok'}
          >
            {count === null
              ? 'Not a valid selector'
              : `${count} ${count === 1 ? 'match' : 'matches'}${value && !f.entry ? `: “${value.slice(0, 60)}”` : ''}`}
          </span>
        )}
        {date && (
          <span
            className={date.ok ? 'hint ok' : 'hint error'}
            data-testid="date-preview"
            data-ok={String(date.ok)}
            data-at={date.ok ? new Date(date.at).toISOString() : ''}
          >
            {date.ok
              ? `Reads as ${showInstant(date.at, dateCtx.timeZone, draft.locale || undefined)}`
              : `Cannot read this date: ${date.reason}.`}
          </span>
        )}
        {f.key === 'subject' && prefix && (
          <label className="check">
            <input
              type="checkbox"
              checked={draft.subjectPrefix === prefix.pattern}
              onChange={(e) =>
                set({ subjectPrefix: e.currentTarget.checked ? prefix.pattern : '' })
              }
            />
            Remove “{prefix.prefix.trim()}” from the start of subjects
          </label>
        )}
        {others && field && (
          <OtherReads f={f} others={others} valueIn={valueIn} dateCtx={dateCtx} />
        )}
      </div>
    );
  };

  return (
    <>
      {box && (
        <div
          className="highlight"
          style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
        />
      )}
      <section
        className={`picker dock-${dock}${folded ? ' folded' : ''}`}
        role="dialog"
        aria-label="Teach Deskwatch this page"
      >
        <header>
          <strong>Teach Deskwatch this page</strong>
          <button
            type="button"
            onClick={() => setDock(dock === 'right' ? 'left' : 'right')}
            aria-label="Move the panel to the other side"
            title="Move the panel to the other side"
          >
            ⇆
          </button>
          <button
            type="button"
            onClick={() => setFolded(!folded)}
            aria-label={folded ? 'Unfold the panel' : 'Fold the panel'}
            aria-expanded={!folded}
          >
            {folded ? '▢' : '–'}
          </button>
          <button type="button" onClick={onClose} aria-label="Close the picker">
            ×
          </button>
        </header>
        {(picking || marking) && (
          <p className="hint picking" role="status">
            {marking
              ? `Click a message written by ${marking === 'agent' ? 'an agent' : 'the customer'} (Esc cancels).`
              : `Click the ${fieldDef(picking!).label.toLowerCase()} on the page (Esc cancels).`}
          </p>
        )}
        {!folded && (
          <div className="body">
            {restored !== null && (
              <p className="hint" data-testid="restored">
                Your draft for this site from {new Date(restored).toLocaleString()} is back.{' '}
                <button
                  type="button"
                  onClick={() => {
                    setDraft(freshDraft());
                    setRestored(null);
                    setOptions({});
                    setOthers(null);
                  }}
                >
                  Start over
                </button>
              </p>
            )}
            <label>
              Tool name{' '}
              <input value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} />
            </label>
            <label>
              Adapter id{' '}
              <input value={draft.id} onChange={(e) => set({ id: e.currentTarget.value })} />
            </label>
            <label>
              Ticket pages (URL pattern, <code>:id</code> is the ticket id)
              <input
                value={draft.urlPattern}
                onChange={(e) => set({ urlPattern: e.currentTarget.value })}
                data-testid="url-pattern"
              />
            </label>
            <p className="hint" data-testid="url-match">
              {ticketId
                ? `This page matches: ticket ${ticketId}.`
                : 'This page does not match the pattern.'}
            </p>
            {FIELDS.filter((f) => !f.entry && !f.in).map(fieldRow)}
            <fieldset data-testid="dates">
              <legend>Dates as the tool writes them</legend>
              <label>
                The tool shows times in
                <select
                  value={draft.timeZone}
                  onChange={(e) => set({ timeZone: e.currentTarget.value })}
                >
                  <option value="">each viewer&apos;s own zone (here {browserZone()})</option>
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Language and region
                <select
                  value={draft.locale}
                  onChange={(e) => set({ locale: e.currentTarget.value })}
                >
                  <option value="">as written (English month names, month first)</option>
                  {LOCALES.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              <>
                <label>
                  Date format
                  <select
                    aria-label="Known date formats"
                    value={
                      COMMON_DATE_FORMATS.includes(draft.dateFormat as never)
                        ? draft.dateFormat
                        : ''
                    }
                    onChange={(e) => set({ dateFormat: e.currentTarget.value })}
                  >
                    <option value="">recognise it</option>
                    {COMMON_DATE_FORMATS.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </label>
                <input
                  aria-label="Date format"
                  placeholder="e.g. EEE MMM d HH:mm:ss yyyy"
                  value={draft.dateFormat}
                  onChange={(e) => set({ dateFormat: e.currentTarget.value })}
                />
              </>
            </fieldset>
            <h3>The conversation</h3>
            {FIELDS.filter((f) => f.entry === 'message' || f.in === 'message').map(fieldRow)}
            {sel.message && (
              <fieldset data-testid="customer-rule">
                <legend>Who is the customer</legend>
                {(
                  [
                    ['requester', 'The requester (by name or e-mail)'],
                    ['not-agent', 'Anyone not in your agents list'],
                    ['marker', 'Messages marked on the page'],
                  ] as const
                ).map(([v, label]) => (
                  <label className="check" key={v}>
                    <input
                      type="radio"
                      name="customer-rule"
                      checked={draft.customerRule === v}
                      onChange={() => set({ customerRule: v })}
                    />
                    {label}
                  </label>
                ))}
                {draft.customerRule === 'marker' && (
                  <div className="row">
                    <button type="button" onClick={() => setMarking('agent')}>
                      Pick an agent&apos;s message
                    </button>
                    <button type="button" onClick={() => setMarking('customer')}>
                      Pick a customer&apos;s message
                    </button>
                  </div>
                )}
                {draft.customerRule === 'marker' && (
                  <p className="hint" data-testid="marker">
                    {draft.marker
                      ? `${draft.marker.kind === 'agent' ? 'Agents' : 'Customers'} write the messages matching ${draft.marker.css}.`
                      : 'Pick a message to find its marker.'}
                  </p>
                )}
                <ol className="who" data-testid="customer-preview">
                  {messages.slice(0, 12).map((m, i) => (
                    <li key={i} data-who={customerOf(m).split(' ')[0]}>
                      {(sel.messageAuthor && readField(m, sel.messageAuthor)) || '(no author)'}:{' '}
                      {customerOf(m)}
                    </li>
                  ))}
                </ol>
                <label>
                  Internal notes are messages matching (optional CSS)
                  <input
                    value={draft.internal}
                    onChange={(e) => set({ internal: e.currentTarget.value })}
                  />
                </label>
              </fieldset>
            )}
            <h3>History</h3>
            {FIELDS.filter((f) => f.entry === 'history' || f.in === 'history').map(fieldRow)}
            {sel.history && (
              <p className="hint" data-testid="history-names">
                Status changes are the entries naming {draft.historyNames.status.join(' or ')};
                priority: {draft.historyNames.priority.join(' or ')}; assignee:{' '}
                {draft.historyNames.assignee.join(' or ')}.
              </p>
            )}
            <Mappings
              title="Statuses"
              rows={draft.statusMap}
              setRows={(f) => set((d) => ({ statusMap: f(d.statusMap) }))}
              choices={STATUS_CATEGORIES.map((c) => [c, STATUS_LABELS[c] ?? c])}
            />
            <Mappings
              title="Priorities"
              rows={draft.priorityMap}
              setRows={(f) => set((d) => ({ priorityMap: f(d.priorityMap) }))}
              choices={PRIORITIES.map((p) => [p, p])}
            />
            <label>
              When a ticket shows no priority
              <select
                value={draft.defaultPriority}
                onChange={(e) => set({ defaultPriority: e.currentTarget.value })}
              >
                <option value="">say the adapter needs attention</option>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    count it as {p}
                  </option>
                ))}
              </select>
            </label>
            <p className="hint" data-testid="preview">
              {reading}
            </p>
            <fieldset data-testid="others">
              <legend>On other tickets of this tool</legend>
              <button
                type="button"
                disabled={checking || !ticketId}
                onClick={() => void checkOthers()}
              >
                {checking ? 'Checking…' : 'Check on other tickets'}
              </button>
              {others && others.length < 2 && (
                <p className="hint error">
                  Found {others.length} other ticket{others.length === 1 ? '' : 's'} linked from
                  here. Open two other tickets of the tool, then reopen the picker (your draft is
                  kept) and check from there.
                </p>
              )}
              {othersRead.length > 0 && (
                <ul className="others">
                  {othersRead.map(({ t, r }) => (
                    <li
                      key={t.id}
                      data-testid="other-ticket"
                      data-id={t.id}
                      data-reads={String(!!r && 'snapshot' in r)}
                    >
                      Ticket {t.id}:{' '}
                      {!r
                        ? 'not a ticket page under the pattern'
                        : 'missing' in r
                          ? `does not read ${r.missing.join(', ')}`
                          : 'attention' in r
                            ? `times cannot be trusted: ${r.attention}`
                            : `reads “${r.snapshot.subject}”, ${r.snapshot.statusCategory}, ${r.snapshot.priority}`}
                    </li>
                  ))}
                </ul>
              )}
            </fieldset>
            {problems.length > 0 && (
              <ul className="problems" data-testid="problems">
                {problems.slice(0, 6).map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            <div className="row">
              <button
                type="button"
                className="primary"
                disabled={!ready}
                onClick={() => void save()}
              >
                Save to workspace
              </button>
              <button type="button" onClick={download} disabled={!parsed.success}>
                Download file
              </button>
            </div>
            {!checked && adapter && (
              <p className="hint">Check the draft on other tickets before saving.</p>
            )}
          </div>
        )}
        {result && (
          <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok' : 'error'}>
            {result.text}
          </p>
        )}
      </section>
    </>
  );
}

/** Whether a field reads on each other ticket, and what. */
function OtherReads({
  f,
  others,
  valueIn,
  dateCtx,
}: {
  f: FieldDef;
  others: OtherTicket[];
  valueIn(doc: Document, key: FieldKey): string | null;
  dateCtx: DateContext;
}) {
  // A ticket without messages or history rows has nothing to read inside one: not a failure.
  const reads = others
    .filter((t) => !f.in || valueIn(t.doc, f.in) !== '0')
    .map((t) => {
      const v = valueIn(t.doc, f.key);
      const ok = f.entry
        ? v !== null
        : v !== null && v !== '' && (!f.time || previewDate(v, dateCtx).ok);
      return { id: t.id, v, ok };
    });
  const n = reads.filter((r) => r.ok).length;
  return (
    <span
      className={n === reads.length ? 'hint ok' : 'hint error'}
      data-testid="other-reads"
      data-reads={n}
      data-of={reads.length}
    >
      {f.entry
        ? `On other tickets: ${reads.map((r) => `${r.id}: ${r.v ?? 0}`).join(', ')}`
        : `Reads on ${n} of ${reads.length} other tickets${
            reads.some((r) => !r.ok)
              ? ` (not on ${reads
                  .filter((r) => !r.ok)
                  .map((r) => r.id)
                  .join(', ')})`
              : ''
          }: ${reads
            .filter((r) => r.ok)
            .map((r) => `“${r.v!.slice(0, 30)}”`)
            .join(', ')}`}
    </span>
  );
}

function Mappings({
  title,
  rows,
  setRows,
  choices,
}: {
  title: string;
  rows: Mapping[];
  setRows(f: (m: Mapping[]) => Mapping[]): void;
  choices: [string, string][];
}) {
  return (
    <fieldset data-testid={`map-${title.toLowerCase()}`}>
      <legend>{title}: what the tool says → what it means</legend>
      {rows.map((m, i) => (
        <div className="row" key={i}>
          <input
            aria-label={`${title} ${i + 1}: the tool's word`}
            value={m.text}
            onChange={(e) => {
              const text = e.currentTarget.value;
              setRows((r) => r.map((x, j) => (j === i ? { ...x, text } : x)));
            }}
          />
          <select
            aria-label={`${title} ${i + 1}: meaning`}
            value={m.to}
            onChange={(e) => {
              const to = e.currentTarget.value;
              setRows((r) => r.map((x, j) => (j === i ? { ...x, to } : x)));
            }}
          >
            {choices.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label={`Remove ${title.toLowerCase()} ${i + 1}`}
            onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
          >
            −
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => setRows((r) => [...r, { text: '', to: choices[0]![0] }])}
      >
        Add a {title.toLowerCase().replace(/ies$/, 'y').replace(/es$/, '')}
      </button>
    </fieldset>
  );
}

export const pickerCss = `
:host { all: initial; }
*, *::before, *::after { box-sizing: border-box; }
.highlight { position: fixed; z-index: 2147483646; pointer-events: none; outline: 2px solid #0052cc;
  background: rgba(76,154,255,.18); border-radius: 2px; }
.picker { position: fixed; top: 12px; bottom: 12px; z-index: 2147483647;
  width: min(360px, calc(100vw - 24px)); overflow-x: hidden; overflow-y: auto;
  font: 13px/1.4 system-ui, sans-serif; color: #172b4d; background: #fff;
  border: 1px solid #c1c7d0; border-radius: 10px; box-shadow: 0 6px 24px rgba(9,30,66,.25); }
.picker.dock-right { right: 12px; }
.picker.dock-left { left: 12px; }
.picker.folded { bottom: auto; }
.picker header { display: flex; gap: 4px; align-items: center; padding: 8px 10px; border-bottom: 1px solid #ebecf0;
  position: sticky; top: 0; background: #fff; z-index: 1; }
.picker header strong { flex: 1; min-width: 0; }
.picking { padding: 4px 10px; }
.body { padding: 8px 10px; display: grid; gap: 8px; grid-template-columns: minmax(0, 1fr); }
h3 { margin: 6px 0 0; font-size: 13px; }
label { display: grid; gap: 2px; min-width: 0; }
label.check { display: flex; gap: 6px; align-items: center; }
input, select { font: inherit; padding: 3px 6px; border: 1px solid #c1c7d0; border-radius: 6px;
  min-width: 0; max-width: 100%; width: 100%; }
input[type="checkbox"], input[type="radio"] { width: auto; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #c1c7d0; background: #f4f5f7; padding: 3px 10px; }
button[aria-pressed="true"] { background: #deebff; border-color: #4c9aff; }
button.primary { background: #0052cc; color: #fff; border-color: #0052cc; }
button:disabled { opacity: .5; cursor: default; }
:focus-visible { outline: 2px solid #4c9aff; outline-offset: 1px; }
.field { display: grid; gap: 3px; padding: 6px; border-radius: 8px; background: #f7f8f9; min-width: 0; }
.row { display: flex; gap: 6px; align-items: center; min-width: 0; }
.row input { flex: 1; }
.label { flex: 1; font-weight: 600; }
.hint, .others, .who { color: #5e6c84; font-size: 12px; margin: 0; overflow-wrap: anywhere; }
.others, .who { padding-left: 18px; }
[data-state="none"], [data-state="invalid"], .error { color: #bf2600; }
.ok { color: #006644; }
.picker > [role] { margin: 0; padding: 6px 10px; overflow-wrap: anywhere; }
fieldset { border: 1px solid #ebecf0; border-radius: 8px; display: grid; gap: 4px; min-width: 0; margin: 0; }
code { overflow-wrap: anywhere; }
.problems { color: #bf2600; margin: 0; padding-left: 18px; font-size: 12px; overflow-wrap: anywhere; }
`;
