// npm run kb:eval -- <folder>: relevance of knowledge-base suggestions on a labelled set (see bench/kb-eval/README.md).
import { join } from 'node:path';
import { install, ROOT, run } from './lib.mjs';

await install();
await run(
  process.execPath,
  ['--import', 'tsx', join('..', 'bench', 'kb-eval', 'run.ts'), ...process.argv.slice(2)],
  {
    cwd: join(ROOT, 'server'),
    env: { INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
    check: false,
  },
).then((rc) => process.exit(rc));
