import type {
  AdapterValues,
  Priority,
  StatusCategory,
  TicketSnapshotInput,
} from '@deskwatch/shared';

/**
 * What an adapter reads off a page: the snapshot (reported to the server and stored), and the
 * latest customer message's text where the adapter knows where it is (for KB suggestions only).
 */
export type ReadResult =
  | {
      snapshot: TicketSnapshotInput;
      latestCustomerMessage?: string;
      /**
       * True while a section the adapter knows (its history list, its conversation) is not on the
       * page: it may still be loading, so the overlay waits a bounded time before trusting it.
       */
      waiting?: boolean;
    }
  | { missing: string[] }
  /** The page's times cannot be trusted ("times off by 5 h"): shown to the agent, nothing stored. */
  | { attention: string }
  | null;

/** A tool's statuses and priorities mapped to Deskwatch's categories (keys lower-case). */
export interface ValueMaps {
  status: Record<string, StatusCategory>;
  priority: Record<string, Priority>;
}

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
 * What the page does not say but the workspace knows, passed to every read: the agents (names,
 * e-mails and aliases) for the `not-agent` authorship rule, the tool's display zone, language and
 * date format where the workspace set them (over the adapter's own), and the clock.
 */
export interface ReadContext {
  agents?: readonly string[];
  timeZone?: string;
  locale?: string;
  dateFormat?: string;
  now?: number;
  /** When the page was loaded (relative texts a server wrote then are older than they read now); default `performance.timeOrigin`. */
  loadedAt?: number;
}

/** The adapter's value maps with a workspace's own mappings laid over them. */
export function withOverrides(maps: ValueMaps, overrides?: Partial<AdapterValues>): ValueMaps {
  const lower = <T>(m: Record<string, T> = {}) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status: { ...lower(maps.status), ...lower(overrides?.status) },
    priority: { ...lower(maps.priority), ...lower(overrides?.priority) },
  };
}

/** A row of a ticket list and where its badge goes. */
export interface ListRow {
  externalId: string;
  anchor: Element;
}

/**
 * A ticket-tool adapter. Built-in adapters are files in this folder, most of them data run by
 * the engine like the ones users teach. `isTicketPage` is pure (a URL, never the DOM) and
 * carries examples that the meta-test crosses with every other adapter.
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
  /** The tool's statuses and priorities; a workspace may lay its own over them. */
  values: ValueMaps;
  /**
   * The ticket on the page; or which required fields did not match (while a page renders, or
   * when the tool changed its markup); or null when this is not a ticket page after all.
   */
  read(doc: Document, url: URL, values?: ValueMaps, context?: ReadContext): ReadResult;
  /** Pure, like `isTicketPage`: whether the URL is one of the tool's ticket lists. */
  isListPage?(url: URL): boolean;
  /** The list's rows with their ticket ids. */
  listRows?(doc: Document, url: URL): ListRow[];
  /** The reply box, when the adapter knows where it is. */
  replyBox?(doc: Document): HTMLElement | null;
}
