import { errorMessage } from '../lib/api';
import { handle, syncRegistrations, watch } from '../lib/background';
import { WATCH_PORT, type Request } from '../lib/messages';

/** Registrations are derived from storage; a failure is logged, and the next start tries again. */
const resync = () =>
  void syncRegistrations().catch((err: unknown) =>
    console.error(`Deskwatch could not restore its sites: ${errorMessage(err)}`),
  );

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((msg: unknown, _sender, sendResponse) => {
    handle(msg as Request).then(
      (value) => sendResponse({ ok: true, value }),
      (err: unknown) => sendResponse({ ok: false, error: errorMessage(err) }),
    );
    return true; // answer asynchronously
  });

  // A fresh install has no server yet: open the options page, where pairing happens.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
    resync();
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== WATCH_PORT) return;
    // The first message names the ticket; later ones are keep-alives that hold the worker awake.
    port.onMessage.addListener(function first(msg: { ticketId?: string }) {
      if (!msg.ticketId) return;
      port.onMessage.removeListener(first);
      watch(port, msg.ticketId);
    });
  });

  // The browser drops dynamic content scripts on updates and, for unpacked extensions, often on
  // restarts: restore them from the stored site list at browser start and after install or update
  // (each sync is idempotent). Not at every worker start: registrations outlive the worker within
  // a session, and in Firefox a sync at the top level during install kept the options page from
  // opening (in about half the runs of e2e/firefox.test.ts).
  browser.runtime.onStartup.addListener(resync);
});
