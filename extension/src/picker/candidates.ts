import { className as wordLike, finder } from '@medv/finder';

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
export function candidates(el: Element, root: Element, many = false): Candidate[] {
  const out: Candidate[] = [];
  const tag = el.localName;
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
    if (a.value && stable(a.value)) add(`[${a.name}=${quote(a.value)}]`, 'data');
  }
  const dataPath = safeFinder(el, root, {
    idName: () => false,
    className: () => false,
    attr: (n, v) => n.startsWith('data-') && stable(v),
  });
  if (dataPath?.includes('[data-')) add(dataPath, 'data');

  if (el.id && named(el.id) && !many) add(`#${CSS.escape(el.id)}`, 'id');

  const label = el.getAttribute('aria-label');
  if (label && stable(label)) add(`${tag}[aria-label=${quote(label)}]`, 'aria');
  const role = el.getAttribute('role');
  if (role) add(`${tag}[role=${quote(role)}]`, 'aria');

  const classes = [...el.classList].filter(
    (c) => named(c) && !/^(is|has)-(hover|active|focus)/.test(c),
  );
  if (many) {
    // The classes the element shares with its siblings of the same tag: what makes it "a message".
    const kin = [...(el.parentElement?.children ?? [])].filter((c) => c.localName === tag);
    const shared = classes.filter((c) => kin.every((k) => k.classList.contains(c)));
    if (shared.length) add(`${tag}.${shared.map((c) => CSS.escape(c)).join('.')}`, 'structure');
  }
  const path = safeFinder(el, root, {});
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
