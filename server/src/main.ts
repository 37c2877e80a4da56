import { DatabaseOpenError } from './db/client.js';
import { ConfigError, readEnv } from './env.js';
import { DEMO_PASSWORD, DEMO_USERS } from './seed.js';
import { startServer, StartError } from './server.js';

/** A start-up failure an operator can fix ends the process with one line, not a stack. */
function fail(e: unknown): never {
  if (e instanceof DatabaseOpenError || e instanceof ConfigError || e instanceof StartError)
    console.error(`deskwatch: ${e.message}`);
  else console.error('deskwatch: could not start:', e);
  process.exit(1);
}

const env = (() => {
  try {
    return readEnv();
  } catch (e) {
    return fail(e);
  }
})();
const started = await startServer(env).catch(fail);
const extensionDir = new URL('../../extension/.output/chrome-mv3/', import.meta.url).pathname;
const firefoxDir = new URL('../../extension/.output/firefox-mv3/', import.meta.url).pathname;

console.log(`
Deskwatch is running.

  Server and manager app (PWA):  ${started.publicUrl}/
  Demo Desk (a ticketing tool):  ${started.publicUrl}/demo
  Health:                        ${started.publicUrl}/health
  Database:                      ${env.DATABASE_URL}${started.seeded ? '  (new: demo workspace seeded)' : ''}

${
  env.SEED_DEMO === 'true'
    ? `Demo users (password "${DEMO_PASSWORD}"):\n${DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email}`).join('\n')}`
    : `No demo: open ${started.publicUrl}/ to create the first workspace and its admin (on a fresh database).`
}

Load the extension unpacked:
  Chrome/Edge: chrome://extensions, Developer mode on, "Load unpacked":  ${extensionDir}
  Firefox:     about:debugging#/runtime/this-firefox, "Load Temporary Add-on": ${firefoxDir}manifest.json

Pair it: sign in to the app as agent@acme.test, open "Connect extension", then paste
the server URL (${started.publicUrl}) and the code into the extension's options page.
Open a ticket in the Demo Desk to see the overlay. Stop with Ctrl+C.
`);

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void started.close().then(() => process.exit(0));
  });
}
