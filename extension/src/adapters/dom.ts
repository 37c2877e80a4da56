/** DOM helpers shared by adapters. */

export const text = (root: ParentNode, selector: string): string | null => {
  const el = root.querySelector(selector);
  return el ? (el.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
};

export function mapValue<T extends string>(map: Record<string, T>, raw: string | null): T | null {
  if (raw === null) return null;
  return map[raw.toLowerCase()] ?? null;
}
