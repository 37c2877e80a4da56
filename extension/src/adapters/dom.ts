/** DOM helpers shared by adapters. */

export const text = (root: ParentNode, selector: string): string | null => {
  const el = root.querySelector(selector);
  return el ? (el.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
};

/** A machine timestamp from a `<time datetime>` (or `title`) under `selector`, as ISO; never relative text. */
export const instant = (root: ParentNode, selector: string): string | null => {
  const el = root.querySelector(selector);
  const raw = el?.getAttribute('datetime') ?? el?.getAttribute('title');
  if (!raw) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

export function mapValue<T extends string>(map: Record<string, T>, raw: string | null): T | null {
  if (raw === null) return null;
  return map[raw.toLowerCase()] ?? null;
}
