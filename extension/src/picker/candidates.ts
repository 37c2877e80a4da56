import { className as wordLike, finder } from '@medv/finder';
import { encodesValue } from './guess';

export type CandidateKind = 'data' | 'id' | 'aria' | 'structure';

export interface Candidate {
  selector: string;
  kind: CandidateKind;
  /** Elements it matches under the root, right now. */
  matches: number;
}

const ORDER: CandidateKind[] = ['data', 'id', 'aria', 'structure'];

/** How many elements `selector` matches under `root`; null when it is not valid CSS. */
export function countMatches(root: ParentNode, selector: string): number | null {
  try {
    return root.querySelectorAll(selector).length;
  } catch {
    return null;
  }
}

const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
/** Values that look generated (digit runs, hashes) change on the next render or ticket. */
const stable = (v: string) => v.length <= 80 && !/\d{3,}|[0-9a-f]{8,}/i.test(v);
/** Ids and classes that read as words (finder's own test), not build hashes like `css-1x2y3z`. */
const named = (v: string) => stable(v) && wordLike(v);

/**
 * Selectors for a picked element, from the most robust to the most specific: `data-*` hooks
 * (tools keep them for their own tests), then the id, then ARIA, then structure as the
 * maintained generator @medv/finder writes it (classes, tags, positions). With `many`, the
 * candidates are generalised to match the element's siblings of the same kind (messages, tags).
 * `root` scopes them (a message, for a field inside messages).
 */
export function candidates(
  el: Element,
  root: Element,
  many = false,
  ticketId: string | null = null,
): Candidate[] {
  const out: Candidate[] = [];
  const tag = el.localName;
  // Never a selector that carries the value it reads, or an id: it would match this ticket only.
  const value = many ? null : (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const clean = (v: string) => !encodesValue(v, value, ticketId);
  const add = (selector: string, kind: CandidateKind) => {
    if (out.some((c) => c.selector === selector)) return;
    const matches = countMatches(root, selector);
    if (matches === null || matches === 0) return;
    if (![...root.querySelectorAll(selector)].includes(el)) return;
    out.push({ selector, kind, matches });
  };

  for (const a of el.attributes) {
    if (!a.name.startsWith('data-') || a.name.length > 60) continue;
    if (many || !a.value) add(`${tag}[${a.name}]`, 'data');
    if (a.value && stable(a.value) && clean(a.value) && clean(a.name))
      add(`[${a.name}=${quote(a.value)}]`, 'data');
  }
  const dataPath = safeFinder(el, root, {
    idName: () => false,
    className: () => false,
    attr: (n, v) => n.startsWith('data-') && stable(v) && clean(v) && clean(n),
  });
  if (dataPath?.includes('[data-')) add(dataPath, 'data');

  if (el.id && named(el.id) && clean(el.id) && !many) add(`#${CSS.escape(el.id)}`, 'id');

  const label = el.getAttribute('aria-label');
  if (label && stable(label) && clean(label)) add(`${tag}[aria-label=${quote(label)}]`, 'aria');
  const role = el.getAttribute('role');
  if (role) add(`${tag}[role=${quote(role)}]`, 'aria');

  const classes = [...el.classList].filter(
    (c) => named(c) && clean(c) && !/^(is|has)-(hover|active|focus)/.test(c),
  );
  if (many) {
    // The classes the element shares with its siblings of the same tag: what makes it "a message".
    const kin = [...(el.parentElement?.children ?? [])].filter((c) => c.localName === tag);
    const shared = classes.filter((c) => kin.every((k) => k.classList.contains(c)));
    if (shared.length) add(`${tag}.${shared.map((c) => CSS.escape(c)).join('.')}`, 'structure');
  }
  const path = safeFinder(el, root, {
    idName: (n) => named(n) && clean(n),
    className: (n) => named(n) && clean(n),
  });
  if (path)
    add(many ? path.replace(/:nth-(child|of-type)\(\d+\)(?=[^ >]*$)/, '') : path, 'structure');
  if (path) add(path, 'structure');

  return out.sort((a, b) => {
    // For one field, exactly one match first; for many, the most matches first; then robustness.
    const fit = many ? b.matches - a.matches : Number(b.matches === 1) - Number(a.matches === 1);
    return fit || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind);
  });
}

function safeFinder(
  el: Element,
  root: Element,
  opts: Partial<Parameters<typeof finder>[1]>,
): string | null {
  try {
    return finder(el, { root, timeoutMs: 200, ...opts });
  } catch {
    return null;
  }
}

/** Where a picked time is: a machine attribute when the element has one, else its text. */
export function timeSuffix(el: Element): string {
  for (const a of ['datetime', 'title', 'data-time', 'data-timestamp', 'data-created-at'])
    if (el.getAttribute(a)) return ` @${a}`;
  return '';
}

/** Whether an element shows a time: a machine-time element, or a clock time in its text. */
const showsTime = (el: Element) =>
  el.matches('time, [datetime]') ||
  el.querySelector('time, [datetime]') !== null ||
  /\b\d{1,2}:\d{2}\b/.test(el.textContent ?? '');

const sameKind = (a: Element, b: Element) =>
  a.localName === b.localName &&
  (a.classList.length === 0
    ? b.classList.length === 0
    : [...a.classList].some((c) => b.classList.contains(c)));

/**
 * The entry (message, history row) that `el` is part of: its closest ancestor (or itself) that
 * shows a time and repeats, i.e. has a sibling of the same tag and class. Clicking a message's
 * text, author or time all find the same message.
 */
export function repeatedAncestor(el: Element): Element | null {
  for (let a: Element | null = el; a?.parentElement; a = a.parentElement) {
    if (a.localName === 'body' || a.localName === 'html') return null;
    const kin = [...a.parentElement.children].filter((k) => k !== a && sameKind(a, k));
    if (kin.length && showsTime(a)) return a;
  }
  return null;
}

/**
 * The selector of every entry like `entry`: the tag and the classes it shares with its siblings
 * that hold the same part (`part`, relative to an entry), narrowed with `:has(part)` when that
 * alone would also catch rows without it (a history row among messages has no body).
 */
export function entrySelector(entry: Element, part: string | null): string {
  const parent = entry.parentElement!;
  const holds = (k: Element) => !part || k.querySelector(part) !== null || k.matches(part);
  const kin = [...parent.children].filter((k) => sameKind(entry, k) && holds(k));
  const shared = [...entry.classList].filter(
    (c) => named(c) && !/\d{2,}/.test(c) && kin.every((k) => k.classList.contains(c)),
  );
  const base = `${entry.localName}${shared.map((c) => `.${CSS.escape(c)}`).join('')}`;
  const scope = safeFinder(parent, document.documentElement, {
    idName: (n) => named(n) && !/\d{2,}/.test(n),
    className: (n) => named(n) && !/\d{2,}/.test(n),
  });
  const within = (sel: string) => (scope ? `${scope} > ${sel}` : sel);
  const caught = [...parent.querySelectorAll(`:scope > ${base}`)];
  const exact = caught.length === kin.length;
  const sel = exact || !part ? base : `${base}:has(${part})`;
  // Shortest form that still catches exactly these entries on the page.
  return document.querySelectorAll(sel).length === kin.length ? sel : within(sel);
}

/**
 * Where entries carry a stable identity on the page (`id`, `data-id`, `data-message-id`), as the
 * bare `@attr` the engine reads on the entry itself; null when they do not all have a distinct one.
 */
export function entryIdAttr(entries: Element[]): string | null {
  if (!entries.length) return null;
  const names = [
    'id',
    ...entries[0]!.getAttributeNames().filter((n) => /^data-(?:[\w-]*-)?id$/.test(n)),
  ];
  for (const n of names) {
    const values = entries.map((e) => e.getAttribute(n) ?? '');
    if (
      values.every((v) => /\d/.test(v) && v.length <= 128) &&
      new Set(values).size === values.length
    )
      return `@${n}`;
  }
  return null;
}

/**
 * A marker that tells one kind of entry from the others (an agent's reply from the customer's):
 * a class or `data-*` value on `picked` that some entries lack. Null when there is none.
 */
export function markerOf(picked: Element, entries: Element[]): string | null {
  const everyone = (test: (e: Element) => boolean) => entries.every(test);
  for (const c of picked.classList)
    if (named(c) && !/\d{2,}/.test(c) && !everyone((e) => e.classList.contains(c)))
      return `.${CSS.escape(c)}`;
  for (const a of picked.attributes)
    if (
      a.name.startsWith('data-') &&
      a.value &&
      stable(a.value) &&
      !everyone((e) => e.getAttribute(a.name) === a.value)
    )
      return `[${a.name}=${quote(a.value)}]`;
  return null;
}
