import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '@deskwatch/server';

/**
 * The one module that talks to the server, used only by the background worker. The token
 * goes in an Authorization header; SSE runs over fetch (the `eventsource` ponyfill) because
 * an MV3 service worker has no EventSource and a native one could not send the header.
 */
/** The extension never sends the browser's cookies for the server: it speaks only with its token. */
const tokenOnlyFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, credentials: 'omit' });

export function createApi(serverUrl: string, token: string | null) {
  const url = `${serverUrl.replace(/\/+$/, '')}/trpc`;
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              tokenOnlyFetch(input, {
                ...init,
                headers: { ...(init?.headers as Record<string, string>), ...authorization },
              }),
          }),
        }),
        false: httpBatchLink({ url, headers: () => authorization, fetch: tokenOnlyFetch }),
      }),
    ],
  });
}
export type Api = ReturnType<typeof createApi>;

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) return err.message;
  if (err instanceof Error)
    return err.message.includes('fetch') ? 'Cannot reach the Deskwatch server' : err.message;
  return String(err);
}

/** `https://desk.example.com/anything` → `https://desk.example.com/*`, the host permission pattern. */
export function originPattern(serverUrl: string): string {
  const u = new URL(serverUrl);
  return `${u.protocol}//${u.hostname}/*`;
}
