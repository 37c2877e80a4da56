import { errorMessage } from '../lib/api';
import { handle, watch } from '../lib/background';
import { WATCH_PORT, type Request } from '../lib/messages';

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
});
