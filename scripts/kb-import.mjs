// npm run kb:import -- <path>: imports knowledge-base articles into the local database (see README).
import { join } from 'node:path';
import { installedMatchesLock } from './installed.mjs';
import { install, ROOT, run } from './lib.mjs';

if (!installedMatchesLock(ROOT)) await install();
const env = { DATABASE_URL: process.env.DATABASE_URL ?? `file:${join(ROOT, 'data/deskwatch.db')}` };
await run(process.execPath, ['--import', 'tsx', 'src/kb/cli.ts', ...process.argv.slice(2)], {
  cwd: join(ROOT, 'server'),
  // Paths are the user's: relative to where npm was run.
  env: { ...env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
  check: false,
}).then((rc) => process.exit(rc));
