import { startOverlay } from '../../overlay/mount';

export default defineContentScript({
  // Registered at pairing time for the paired server's Demo Desk (see lib/background.ts);
  // these loopback patterns only become the extension's install-time host permissions.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  registration: 'runtime',
  main(ctx) {
    void startOverlay(ctx.signal);
  },
});
