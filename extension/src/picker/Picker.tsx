import { useEffect, useMemo, useState } from 'react';
import {
  adapterSpec,
  exampleMismatches,
  matchTicketUrl,
  PRIORITIES,
  STATUS_CATEGORIES,
  type AdapterSpecInput,
} from '@deskwatch/shared';
import { dataAdapter, parseField, readField } from '../adapters/engine';
import { ask } from '../lib/messages';
import { candidates, countMatches, timeSuffix, type Candidate } from './candidates';
import { guessAdapterId, guessPriority, guessStatus, guessUrlPattern } from './guess';

export const PICKER_TAG = 'deskwatch-picker';

type FieldKey =
  | 'subject'
  | 'status'
  | 'priority'
  | 'requester'
  | 'created'
  | 'assignee'
  | 'message'
  | 'messageTime'
  | 'messageAuthor';

interface FieldDef {
  key: FieldKey;
  label: string;
  required?: boolean;
  /** Matches several elements (one per message). */
  many?: boolean;
  /** Picked inside a message: the selector is relative to it. */
  inMessage?: boolean;
  time?: boolean;
}

const FIELDS: FieldDef[] = [
  { key: 'subject', label: 'Subject', required: true },
  { key: 'status', label: 'Status', required: true },
  { key: 'priority', label: 'Priority', required: true },
  { key: 'requester', label: 'Requester', required: true },
  { key: 'created', label: 'Created time', required: true, time: true },
  { key: 'assignee', label: 'Assignee' },
  { key: 'message', label: 'A message of the conversation', many: true },
  { key: 'messageTime', label: "The message's time", inMessage: true, time: true },
  { key: 'messageAuthor', label: "The message's author", inMessage: true },
];

const STATUS_LABELS: Record<string, string> = {
  new: 'New',
  open: 'Open (clock runs)',
  pending_customer: 'Waiting on the customer',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

type Mapping = { text: string; to: string };

/** The element under the pointer, ignoring the picker itself. */
const pageElement = (e: Event): Element | null => {
  const t = e.target;
  return t instanceof Element && t.localName !== PICKER_TAG ? t : null;
};

/**
 * "Teach Deskwatch this page": pick each field on the page (hover highlights, click picks, the
 * generated selectors are listed from most robust to most specific with their live match
 * counts), say which URLs are ticket pages, map the tool's statuses and priorities, try it on
 * this page, and save it to the workspace or download it as a file.
 */
export function Picker({ onClose }: { onClose(): void }) {
  const [selectors, setSelectors] = useState<Partial<Record<FieldKey, string>>>({});
  const [options, setOptions] = useState<Partial<Record<FieldKey, Candidate[]>>>({});
  const [picking, setPicking] = useState<FieldKey | null>(null);
  const [box, setBox] = useState<DOMRect | null>(null);
  const [urlPattern, setUrlPattern] = useState(() => guessUrlPattern(location.href));
  const [id, setId] = useState(() => guessAdapterId(location.href));
  const [name, setName] = useState(
    () =>
      document.title
        .split(/[-|–·]/)
        .at(-1)
        ?.trim() || id,
  );
  const [statusMap, setStatusMap] = useState<Mapping[]>([]);
  const [priorityMap, setPriorityMap] = useState<Mapping[]>([]);
  const [defaultPriority, setDefaultPriority] = useState('');
  const [internal, setInternal] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [, setTick] = useState(0);

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

  const messageRoot = (el: Element) =>
    selectors.message ? el.closest(parseField(selectors.message).css) : null;

  useEffect(() => {
    if (!picking) return;
    const def = FIELDS.find((f) => f.key === picking)!;
    const move = (e: MouseEvent) => {
      const el = pageElement(e);
      setBox(el ? el.getBoundingClientRect() : null);
    };
    const click = (e: MouseEvent) => {
      const el = pageElement(e);
      if (!el) return;
      e.preventDefault();
      e.stopPropagation();
      const root = def.inMessage ? messageRoot(el) : document.documentElement;
      if (!root) {
        setResult({ ok: false, text: 'Pick a message first, then a part of that message.' });
        return;
      }
      const found = candidates(el, root, def.many);
      const suffix = def.time ? timeSuffix(el) : '';
      const list = found.map((c) => ({ ...c, selector: c.selector + suffix }));
      setOptions((o) => ({ ...o, [picking]: list }));
      if (list[0]) setField(picking, list[0].selector, true);
      setPicking(null);
      setBox(null);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setPicking(null);
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

  /** Sets a field's selector; a picked status or priority also adds its value to the mappings. */
  function setField(key: FieldKey, selector: string, picked = false) {
    setSelectors((s) => ({ ...s, [key]: selector }));
    if (!picked) return;
    const value = readField(document, selector);
    if (key === 'status' && value && !statusMap.some((m) => m.text === value))
      setStatusMap((m) => [...m, { text: value, to: guessStatus(value) ?? 'open' }]);
    if (key === 'priority' && value && !priorityMap.some((m) => m.text === value))
      setPriorityMap((m) => [...m, { text: value, to: guessPriority(value) ?? 'normal' }]);
  }

  const spec = useMemo((): AdapterSpecInput => {
    const s = selectors;
    const noAttr = (sel = '') => parseField(sel).attr === null;
    return {
      id,
      name,
      version: '1',
      urlPattern,
      examples: { ticket: [location.href.split('#')[0]!], notTicket: [] },
      selectors: {
        subject: s.subject ?? '',
        status: s.status ?? '',
        priority: s.priority ?? '',
        requester: s.requester ?? '',
        created: s.created ?? '',
        createdFrom: noAttr(s.created) ? 'text' : 'datetime',
        ...(s.assignee ? { assignee: s.assignee } : {}),
      },
      ...(s.message && s.messageTime
        ? {
            messages: {
              item: s.message,
              time: s.messageTime,
              timeFrom: noAttr(s.messageTime) ? ('text' as const) : ('datetime' as const),
              ...(s.messageAuthor ? { author: s.messageAuthor } : {}),
              ...(internal.trim() ? { internal: internal.trim() } : {}),
            },
          }
        : {}),
      values: {
        status: Object.fromEntries(statusMap.filter((m) => m.text).map((m) => [m.text, m.to])),
        priority: Object.fromEntries(priorityMap.filter((m) => m.text).map((m) => [m.text, m.to])),
      } as AdapterSpecInput['values'],
      ...(defaultPriority
        ? { defaultPriority: defaultPriority as AdapterSpecInput['defaultPriority'] }
        : {}),
    };
  }, [selectors, id, name, urlPattern, statusMap, priorityMap, defaultPriority, internal]);

  const parsed = adapterSpec.safeParse(spec);
  const problems = parsed.success
    ? exampleMismatches(parsed.data)
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  let reading: string;
  if (!parsed.success || problems.length) reading = '';
  else {
    const r = dataAdapter(parsed.data).read(document, new URL(location.href));
    reading = !r
      ? 'This page is not a ticket page under that URL pattern.'
      : 'missing' in r
        ? `Not read yet: ${r.missing.join(', ')}`
        : 'attention' in r
          ? `Cannot trust the times: ${r.attention}`
          : `Reads ticket ${r.snapshot.externalId}: “${r.snapshot.subject}”, ${r.snapshot.statusCategory}, ${r.snapshot.priority}, created ${new Date(r.snapshot.createdAt).toLocaleString()}, ${r.snapshot.messages.length} messages`;
  }
  const ready = parsed.success && problems.length === 0 && reading.startsWith('Reads');

  const save = async () => {
    setResult(null);
    try {
      const r = await ask({ type: 'saveTaught', spec, url: location.href });
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
    a.download = `${id}.deskwatch-adapter.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const ticketId = (() => {
    try {
      return matchTicketUrl([urlPattern], location.href);
    } catch {
      return null;
    }
  })();

  return (
    <>
      {box && (
        <div
          className="highlight"
          style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
        />
      )}
      <section className="picker" role="dialog" aria-label="Teach Deskwatch this page">
        <header>
          <strong>Teach Deskwatch this page</strong>
          <button type="button" onClick={onClose} aria-label="Close the picker">
            ×
          </button>
        </header>
        <div className="body">
          <label>
            Tool name <input value={name} onChange={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Adapter id <input value={id} onChange={(e) => setId(e.currentTarget.value)} />
          </label>
          <label>
            Ticket pages (URL pattern, <code>:id</code> is the ticket id)
            <input
              value={urlPattern}
              onChange={(e) => setUrlPattern(e.currentTarget.value)}
              data-testid="url-pattern"
            />
          </label>
          <p className="hint" data-testid="url-match">
            {ticketId
              ? `This page matches: ticket ${ticketId}.`
              : 'This page does not match the pattern.'}
          </p>
          {picking && (
            <p className="hint" role="status">
              Click the {FIELDS.find((f) => f.key === picking)!.label.toLowerCase()} on the page
              (Esc cancels).
            </p>
          )}
          {FIELDS.map((f) => {
            const sel = selectors[f.key] ?? '';
            const root =
              f.inMessage && selectors.message
                ? document.querySelector(parseField(selectors.message).css)
                : document;
            const count = sel && root ? countMatches(root, parseField(sel).css) : null;
            const value = sel && root ? readField(root, sel) : null;
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
                    disabled={f.inMessage && !selectors.message}
                  >
                    {picking === f.key ? 'Picking…' : 'Pick'}
                  </button>
                </div>
                <input
                  aria-label={`${f.label} selector`}
                  value={sel}
                  onChange={(e) => setField(f.key, e.currentTarget.value)}
                />
                {(options[f.key]?.length ?? 0) > 1 && (
                  <select
                    aria-label={`${f.label}: other selectors`}
                    value={sel}
                    onChange={(e) => setField(f.key, e.currentTarget.value, true)}
                  >
                    {options[f.key]!.map((c) => (
                      <option key={c.selector} value={c.selector}>
                        {c.kind}: {c.selector} ({c.matches})
                      </option>
                    ))}
                  </select>
                )}
                {sel && (
                  <span
                    className="hint"
                    data-testid="match-count"
                    data-count={count ?? -1}
                    data-state={count === null ? 'invalid' : count === 0 ? 'none' : 'ok'}
                  >
                    {count === null
                      ? 'Not a valid selector'
                      : `${count} ${count === 1 ? 'match' : 'matches'}${value ? `: “${value.slice(0, 60)}”` : ''}`}
                  </span>
                )}
              </div>
            );
          })}
          <label>
            Internal notes are messages matching (optional CSS)
            <input value={internal} onChange={(e) => setInternal(e.currentTarget.value)} />
          </label>
          <Mappings
            title="Statuses"
            rows={statusMap}
            setRows={setStatusMap}
            choices={STATUS_CATEGORIES.map((c) => [c, STATUS_LABELS[c] ?? c])}
          />
          <Mappings
            title="Priorities"
            rows={priorityMap}
            setRows={setPriorityMap}
            choices={PRIORITIES.map((p) => [p, p])}
          />
          <label>
            When a ticket shows no priority
            <select
              value={defaultPriority}
              onChange={(e) => setDefaultPriority(e.currentTarget.value)}
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
          {problems.length > 0 && (
            <ul className="problems" data-testid="problems">
              {problems.slice(0, 6).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={!ready} onClick={() => void save()}>
              Save to workspace
            </button>
            <button type="button" onClick={download} disabled={!parsed.success}>
              Download file
            </button>
          </div>
          {result && (
            <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok' : 'error'}>
              {result.text}
            </p>
          )}
        </div>
      </section>
    </>
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
.highlight { position: fixed; z-index: 2147483646; pointer-events: none; outline: 2px solid #0052cc;
  background: rgba(76,154,255,.18); border-radius: 2px; }
.picker { position: fixed; top: 12px; right: 12px; bottom: 12px; z-index: 2147483647; width: 360px;
  overflow: auto; font: 13px/1.4 system-ui, sans-serif; color: #172b4d; background: #fff;
  border: 1px solid #c1c7d0; border-radius: 10px; box-shadow: 0 6px 24px rgba(9,30,66,.25); }
.picker header { display: flex; align-items: center; padding: 8px 10px; border-bottom: 1px solid #ebecf0;
  position: sticky; top: 0; background: #fff; }
.picker header strong { flex: 1; }
.body { padding: 8px 10px; display: grid; gap: 8px; }
label { display: grid; gap: 2px; }
input, select { font: inherit; padding: 3px 6px; border: 1px solid #c1c7d0; border-radius: 6px; min-width: 0; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #c1c7d0; background: #f4f5f7; padding: 3px 10px; }
button[aria-pressed="true"] { background: #deebff; border-color: #4c9aff; }
button.primary { background: #0052cc; color: #fff; border-color: #0052cc; }
button:disabled { opacity: .5; cursor: default; }
:focus-visible { outline: 2px solid #4c9aff; outline-offset: 1px; }
.field { display: grid; gap: 3px; padding: 6px; border-radius: 8px; background: #f7f8f9; }
.row { display: flex; gap: 6px; align-items: center; }
.row input { flex: 1; }
.label { flex: 1; font-weight: 600; }
.hint { color: #5e6c84; font-size: 12px; margin: 0; word-break: break-word; }
[data-state="none"], [data-state="invalid"], .error { color: #bf2600; }
.ok { color: #006644; }
fieldset { border: 1px solid #ebecf0; border-radius: 8px; display: grid; gap: 4px; }
.problems { color: #bf2600; margin: 0; padding-left: 18px; font-size: 12px; }
`;
