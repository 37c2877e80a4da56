// npm run workspace:create -- --name <workspace> --admin <e-mail>: a new workspace and its admin's invitation link (see README).
import { join } from 'node:path';
import { installedMatchesLock } from './installed.mjs';
import { install, ROOT, run } from './lib.mjs';

if (!installedMatchesLock(ROOT)) await install();
const env = { DATABASE_URL: process.env.DATABASE_URL ?? `file:${join(ROOT, 'data/deskwatch.db')}` };
await run(
  process.execPath,
  ['--import', 'tsx', 'src/cli/workspace-create.ts', ...process.argv.slice(2)],
  { cwd: join(ROOT, 'server'), env, check: false },
).then((rc) => process.exit(rc));
