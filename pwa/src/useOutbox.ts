import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { flushOutbox, idbOutbox, OUTBOX_CHANGED, SYNC_TAG, type QueuedDecision } from './outbox';
import { useTRPC } from './trpc';

const changed = () => window.dispatchEvent(new Event(OUTBOX_CHANGED));

/** Queues a decision on this device and asks for a Background Sync where the browser has one. */
export async function queueDecision(d: Omit<QueuedDecision, 'queuedAt' | 'status'>) {
  await idbOutbox.put({ ...d, queuedAt: Date.now(), status: 'queued' });
  changed();
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    await (
      reg as
        | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
        | undefined
    )?.sync?.register(SYNC_TAG);
  } catch {
    // No Background Sync (Firefox, Safari) or not allowed: the page sends when back online.
  }
}

export async function dismissDecision(escalationId: string) {
  await idbOutbox.remove(escalationId);
  changed();
}

let flushing: Promise<unknown> | null = null;
/** Sends what is queued; one flush at a time in this page. */
export function sendQueued() {
  flushing ??= flushOutbox()
    .then((n) => n > 0 && changed())
    .catch(() => undefined)
    .finally(() => (flushing = null));
  return flushing;
}

/**
 * Sends queued decisions when the app starts and whenever the browser is back online (the path
 * that works in every browser); mounted once, in the app shell.
 */
export function useSendQueued() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  useEffect(() => {
    const send = () =>
      void sendQueued().then(() => qc.invalidateQueries({ queryKey: trpc.escalations.pathKey() }));
    send();
    window.addEventListener('online', send);
    return () => window.removeEventListener('online', send);
  }, [qc, trpc]);
}

/** The decisions this device holds: queued, or answered with a conflict or a refusal. */
export function useOutbox() {
  const [items, setItems] = useState<QueuedDecision[]>([]);
  const load = useCallback(() => {
    idbOutbox.all().then(setItems, () => setItems([]));
  }, []);
  useEffect(() => {
    load();
    const onMessage = (e: MessageEvent) =>
      (e.data as { type?: string } | null)?.type === OUTBOX_CHANGED && load();
    window.addEventListener(OUTBOX_CHANGED, load);
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener(OUTBOX_CHANGED, load);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
    };
  }, [load]);
  return items;
}
