import type { TicketSnapshotInput } from '@deskwatch/shared';

export type ReadResult = { snapshot: TicketSnapshotInput } | { missing: string[] } | null;

/** Builds a read result from named required values: any that are null are reported as missing. */
export function required<T extends Record<string, unknown>>(
  values: T,
): { ok: true; v: { [K in keyof T]: NonNullable<T[K]> } } | { ok: false; missing: string[] } {
  const missing = Object.entries(values)
    .filter(([, v]) => v === null || v === undefined || v === '')
    .map(([k]) => k);
  return missing.length
    ? { ok: false, missing }
    : { ok: true, v: values as { [K in keyof T]: NonNullable<T[K]> } };
}

/**
 * A ticket-tool adapter. Built-in adapters are files in this folder; user-taught ones will be
 * the same shape as data. `isTicketPage` is pure (a URL, never the DOM) and carries examples
 * that the meta-test crosses with every other adapter.
 */
export interface Adapter {
  /** Also the `source` of the snapshots it reads; the file name. */
  id: string;
  name: string;
  examples: { ticket: string[]; notTicket: string[] };
  isTicketPage(url: URL): boolean;
  /** Named selectors, so a broken one can be reported by name. */
  selectors: Record<string, string>;
  /** Bumped when selectors change, so health reports say which version broke. */
  version: string;
  /**
   * The ticket on the page; or which required fields did not match (while a page renders, or
   * when the tool changed its markup); or null when this is not a ticket page after all.
   */
  read(doc: Document, url: URL): ReadResult;
}
