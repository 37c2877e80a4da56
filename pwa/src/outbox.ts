/**
 * Decisions taken offline wait here, on the device, until they reach the server. The page and
 * the service worker both read and send them: the page when it starts and when the browser is
 * back online (the path that always works), the worker on a Background Sync event where the
 * browser has one (the page may be closed by then).
 */

export interface QueuedDecision {
  escalationId: string;
  decision: 'approve' | 'deny';
  comment: string;
  /** The manager who decided, to tell their own earlier send apart from someone else's decision. */
  by: string;
  /** What the card showed, so the outcome reads without the server. */
  ticketSubject: string;
  queuedAt: number;
  /** `queued` until the server answers; `conflict` when someone else decided first; `failed` when refused. */
  status: 'queued' | 'conflict' | 'failed';
  /** For a conflict: who decided first, and what. */
  decidedBy?: string | null;
  decidedState?: string;
  message?: string;
}

/** Where queued decisions are kept: IndexedDB in browsers, a map in tests. */
export interface OutboxStore {
  all(): Promise<QueuedDecision[]>;
  put(d: QueuedDecision): Promise<void>;
  remove(escalationId: string): Promise<void>;
}

/** What the server said to one queued decision. */
export type SendResult =
  | { ok: true }
  | { ok: false; offline: true }
  | {
      ok: false;
      offline?: false;
      code: string;
      message: string;
      /** For a conflict, the escalation as it stands now. */
      current?: { state: string; decidedBy: string | null } | null;
    };

export const OUTBOX_CHANGED = 'deskwatch-outbox-changed';
export const SYNC_TAG = 'deskwatch-decisions';

/** What becomes of a queued decision given the server's answer: null once it is done with. */
export function settle(d: QueuedDecision, r: SendResult): QueuedDecision | null {
  if (r.ok) return null;
  if (r.offline) return d;
  if (r.code === 'CONFLICT') {
    const cur = r.current;
    // A send that reached the server before (a lost answer, a second tab): it is this decision.
    const mine =
      cur &&
      cur.decidedBy === d.by &&
      cur.state === (d.decision === 'approve' ? 'approved' : 'denied');
    if (mine) return null;
    return {
      ...d,
      status: 'conflict',
      decidedBy: cur?.decidedBy ?? null,
      decidedState: cur?.state ?? 'decided',
      message: r.message,
    };
  }
  // Signed out: it waits for the next sign-in rather than being lost.
  if (r.code === 'UNAUTHORIZED') return d;
  return { ...d, status: 'failed', message: r.message };
}

/** Sends every queued decision once, oldest first; returns how many changed. */
export async function flush(
  store: OutboxStore,
  send: (d: QueuedDecision) => Promise<SendResult>,
): Promise<number> {
  const queued = (await store.all())
    .filter((d) => d.status === 'queued')
    .sort((a, b) => a.queuedAt - b.queuedAt);
  let changed = 0;
  for (const d of queued) {
    const r = await send(d);
    if (!r.ok && r.offline) break; // still offline: the rest would fail the same way
    const next = settle(d, r);
    if (next) await store.put(next);
    else await store.remove(d.escalationId);
    changed++;
  }
  return changed;
}

/** How a conflict reads: "Ada Admin decided first (denied)". */
export function conflictText(d: QueuedDecision): string {
  const who = d.decidedBy ?? 'Someone else';
  return `${who} decided first (${d.decidedState ?? 'decided'}); your ${d.decision === 'approve' ? 'approval' : 'denial'} was not sent.`;
}

/** The decisions that were queued before a flush and came back refused or decided by someone else. */
export function newlyAnswered(
  before: readonly QueuedDecision[],
  after: readonly QueuedDecision[],
): QueuedDecision[] {
  const waiting = new Set(before.filter((d) => d.status === 'queued').map((d) => d.escalationId));
  return after.filter((d) => d.status !== 'queued' && waiting.has(d.escalationId));
}

// ---- IndexedDB, for the page and the service worker alike ----

const DB = 'deskwatch';
const STORE = 'decisions';

function open(): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'escalationId' });
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  work: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((ok, fail) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => ok(req.result);
      tx.onerror = () => fail(tx.error);
      tx.onabort = () => fail(tx.error);
    });
  } finally {
    db.close();
  }
}

export const idbOutbox: OutboxStore = {
  all: () => run('readonly', (s) => s.getAll() as IDBRequest<QueuedDecision[]>),
  put: async (d) => void (await run('readwrite', (s) => s.put(d))),
  remove: async (id) => void (await run('readwrite', (s) => s.delete(id))),
};

/** Reads a tRPC error body: `{ error: { message, data: { code } } }`. */
async function trpcError(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json().catch(() => null)) as {
    error?: { message?: string; data?: { code?: string } };
  } | null;
  return {
    code: body?.error?.data?.code ?? `HTTP_${res.status}`,
    message: body?.error?.message ?? res.statusText,
  };
}

const HEADERS = { 'content-type': 'application/json', 'x-deskwatch-csrf': '1' };

/** Sends one decision with the session cookie, as the app's own calls do. */
export async function sendDecision(d: QueuedDecision): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch('/trpc/escalations.decide', {
      method: 'POST',
      credentials: 'same-origin',
      headers: HEADERS,
      body: JSON.stringify({
        escalationId: d.escalationId,
        decision: d.decision,
        comment: d.comment,
      }),
    });
  } catch {
    return { ok: false, offline: true };
  }
  if (res.ok) return { ok: true };
  const err = await trpcError(res);
  if (err.code !== 'CONFLICT') return { ok: false, ...err };
  const input = encodeURIComponent(JSON.stringify({ escalationId: d.escalationId }));
  const cur = await fetch(`/trpc/escalations.get?input=${input}`, {
    credentials: 'same-origin',
    headers: HEADERS,
  })
    .then(async (r) =>
      r.ok
        ? ((await r.json()) as { result: { data: { state: string; decidedBy: string | null } } })
            .result.data
        : null,
    )
    .catch(() => null);
  return { ok: false, ...err, current: cur };
}

/**
 * Sends what is queued, one sender at a time across the page and the worker (Web Locks), so a
 * decision is never sent twice by two of them at once. Returns how many changed.
 */
export async function flushOutbox(): Promise<number> {
  const go = () => flush(idbOutbox, sendDecision);
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? locks.request('deskwatch-outbox', go) : go();
}
