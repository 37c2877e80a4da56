import { snapshotDigest, ticketSnapshot, type TicketSnapshotInput } from '@deskwatch/shared';
import type { TicketBadge, TicketWithSla } from '@deskwatch/server';

/** Pages remembered per worker: the digest of the last page of each ticket the server took. */
const REMEMBERED = 500;
const lastPages = new Map<string, string>();

/**
 * The extension's hot calls over the server's plain routes (`/x/*`, server/src/http/lean.ts):
 * no tRPC batching or envelope, the token in an Authorization header, never the browser's
 * cookies. An observation first asks whether the page is the one this browser last sent (its
 * key and digest, a few dozen bytes); only when it is not does the page itself go. A page that
 * differs from the last one this worker sent for the ticket goes at once: the server cannot
 * hold it as this browser's last.
 */
export function createLeanApi(
  serverUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
  last: Map<string, string> = lastPages,
) {
  const base = serverUrl.replace(/\/+$/, '');
  const remember = (key: string, digest: string) => {
    last.delete(key);
    last.set(key, digest);
    if (last.size > REMEMBERED) last.delete(last.keys().next().value!);
  };

  async function call<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetchImpl(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      credentials: 'omit',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => null)) as
      (T & { error?: undefined }) | { error?: { message?: string } } | null;
    if (!res.ok) throw new Error(json?.error?.message ?? `The server answered ${res.status}`);
    return json as T;
  }

  return {
    /** Reports a ticket page; the answer is the ticket's SLA state. */
    async observe(snapshot: TicketSnapshotInput): Promise<TicketWithSla> {
      // A page the schema refuses goes as it is: the server says what is wrong with it.
      const page = ticketSnapshot.safeParse(snapshot);
      if (!page.success) return call<TicketWithSla>('/x/observe', { snapshot });
      const { source, externalId } = page.data;
      const key = JSON.stringify([base, token, source, externalId]);
      const digest = await snapshotDigest(page.data);
      const before = last.get(key);
      if (before === undefined || before === digest) {
        const { unchanged } = await call<{ unchanged: TicketWithSla | null }>(
          `/x/observe/unchanged?${new URLSearchParams({ source, externalId, digest })}`,
        );
        if (unchanged) return (remember(key, digest), unchanged);
      }
      const answer = await call<TicketWithSla>('/x/observe', { snapshot });
      remember(key, digest);
      return answer;
    },

    /** SLA badges for the rows of a ticket list. */
    badges(source: string, externalIds: string[]): Promise<TicketBadge[]> {
      const q = new URLSearchParams({ source });
      for (const id of externalIds) q.append('id', id);
      return call<TicketBadge[]>(`/x/badges?${q}`);
    },
  };
}
export type LeanApi = ReturnType<typeof createLeanApi>;
