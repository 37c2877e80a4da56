import type {
  AgentEntry,
  AdapterSpec,
  AdapterSpecInput,
  AdapterValues,
  TicketSnapshotInput,
} from '@deskwatch/shared';
import type {
  EscalationView,
  KbMarks,
  Suggestion,
  TicketBadge,
  TicketWithSla,
} from '@deskwatch/server';

/** Requests that pages (content script, options) send to the background worker. */
export type Request =
  | { type: 'status' }
  | { type: 'pair'; serverUrl: string; code: string }
  | { type: 'disconnect' }
  | { type: 'sites' }
  | { type: 'enableSite'; url: string }
  | { type: 'disableSite'; origin: string }
  | { type: 'observe'; snapshot: TicketSnapshotInput }
  | { type: 'explain'; ticketId: string }
  | { type: 'badges'; source: string; externalIds: string[] }
  | { type: 'teach'; tabId: number }
  | { type: 'kbSuggest'; ticketId?: string; subject: string; message: string }
  | { type: 'kbSearch'; q: string }
  | { type: 'kbRecord'; articleId: string; ticketId?: string; kind: KbAction; comment?: string }
  | { type: 'kbLink'; ticketId: string; articleId: string }
  | { type: 'kbMarks'; ticketId: string }
  | { type: 'kbDraft'; ticketId?: string; title: string; body: string }
  | { type: 'saveTaught'; spec: AdapterSpecInput; url: string }
  | { type: 'pickerDraft'; origin: string }
  | { type: 'savePickerDraft'; origin: string; draft: PickerDraftJson | null }
  | { type: 'pageConfig' }
  | { type: 'adapterHealth'; tool: string; version: string; fields: string[]; url: string }
  | {
      type: 'escalate';
      ticketId: string;
      escalationType: EscalationView['type'];
      severity: EscalationView['severity'];
      reason: string;
    };

export type ConnectionStatus =
  | { connected: false; serverUrl: string | null; error?: string }
  | { connected: true; serverUrl: string; user: { name: string; email: string; role: string } };

export interface Responses {
  status: ConnectionStatus;
  pair: ConnectionStatus;
  disconnect: ConnectionStatus;
  sites: string[];
  enableSite: string[];
  disableSite: string[];
  observe: TicketWithSla;
  explain: TicketWithSla;
  pageConfig: PageConfig;
  badges: TicketBadge[];
  teach: { ok: true };
  kbSuggest: Suggestion[];
  kbSearch: Suggestion[];
  kbRecord: { ok: boolean };
  kbLink: { articleId: string; title: string; at: number }[];
  kbMarks: KbMarks[];
  kbDraft: { id: string; title: string };
  saveTaught: { name: string; siteEnabled: boolean };
  pickerDraft: PickerDraftJson | null;
  savePickerDraft: { ok: true };
  adapterHealth: { ok: boolean };
  escalate: EscalationView;
}

/**
 * The picker's unfinished work on a site, kept by the background per origin so it survives
 * navigation and reloads; opaque to the background (the picker checks its shape when it reads it).
 */
export type PickerDraftJson = { savedAt: number } & Record<string, unknown>;

/** What an agent did with a suggested article. */
export type KbAction =
  'opened' | 'copied' | 'inserted' | 'helpful' | 'not_relevant' | 'flagged_outdated';

/** What the workspace says about adapters: switched off, taught, and its own value mappings. */
export interface PageConfig {
  /** The paired server, where articles without an address of their own open (in the app). */
  serverUrl: string | null;
  disabled: string[];
  taught: AdapterSpec[];
  values: Record<string, AdapterValues>;
  /** The workspace's agents and their aliases, for the `not-agent` authorship rule (empty until loaded). */
  agents: AgentEntry[];
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Messages on the long-lived `watch` port: the content script asks, the background streams. */
export type WatchMessage =
  { type: 'escalations'; list: EscalationView[] } | { type: 'error'; error: string };
export const WATCH_PORT = 'deskwatch-watch';

export async function ask<R extends Request>(req: R): Promise<Responses[R['type']]> {
  const reply = (await browser.runtime.sendMessage(req)) as Reply<Responses[R['type']]> | undefined;
  if (!reply) throw new Error('Deskwatch background did not answer');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
