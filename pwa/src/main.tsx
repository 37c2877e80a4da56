import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Workbox } from 'workbox-window';
import { App } from './App';
import './app.css';
import { queryClient, TRPCProvider, trpcClient } from './trpc';

// The last data seen survives reloads and loads offline.
const persister = createSyncStoragePersister({
  storage: window.localStorage,
  key: 'deskwatch-cache',
});

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void new Workbox('/sw.js').register();
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PersistQueryClientProvider
      client={queryClient}
      persistOptions={{ persister, maxAge: 24 * 3600_000 }}
    >
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </PersistQueryClientProvider>
  </StrictMode>,
);
