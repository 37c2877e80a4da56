// npm start: install, build the extension and the PWA, then run the server on the embedded database.
import { join } from 'node:path';
import { build, install, ROOT, run } from './lib.mjs';

await install();
await build();
const env = { DATABASE_URL: process.env.DATABASE_URL ?? `file:${join(ROOT, 'data/deskwatch.db')}` };
// The server prints its URLs, the demo users and how to pair the extension.
await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: join(ROOT, 'server'),
  env,
  check: false,
}).then((rc) => process.exit(rc));
