import type { TicketSnapshotInput } from '@deskwatch/shared';

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
  /** The ticket on the page, or null while the page has not rendered it (yet). */
  read(doc: Document, url: URL): TicketSnapshotInput | null;
}
