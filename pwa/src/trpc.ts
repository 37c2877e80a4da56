import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@deskwatch/server';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export const trpcClient = createTRPCClient<AppRouter>({
  // The session cookie rides along; the header proves the call comes from this app (CSRF).
  links: [httpBatchLink({ url: '/trpc', headers: { 'x-deskwatch-csrf': '1' } })],
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Kept a day so the app opens offline with the last data it saw.
      gcTime: 24 * 3600_000,
      staleTime: 10_000,
      // A screen that opens shows what it has at once and asks for fresh data (restored data
      // included), so an offline device says so straight away.
      refetchOnMount: 'always',
      refetchInterval: 15_000,
      retry: (n, err) =>
        n < 2 &&
        !/UNAUTHORIZED|FORBIDDEN|NOT_FOUND/.test(
          String((err as { data?: { code?: string } }).data?.code),
        ),
    },
  },
});
