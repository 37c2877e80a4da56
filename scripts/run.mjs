// Root scripts that fan out over the workspace: build, lint, format, typecheck, bench, reliability.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, pnpm, ROOT, run } from './lib.mjs';

const task = process.argv[2];
const bin = (name) => join(ROOT, 'node_modules/.bin', name);

switch (task) {
  case 'build':
    await build();
    break;
  case 'lint':
    await run(bin('eslint'), ['--max-warnings=0', '.']);
    await run(bin('prettier'), ['--check', '.']);
    break;
  case 'format':
    await run(bin('prettier'), ['--write', '.']);
    break;
  case 'typecheck':
    await pnpm(['-r', '--workspace-concurrency=1', 'run', 'typecheck']);
    // The benchmarks belong to no package; unchecked, they drifted from the types they measure.
    await run(bin('tsc'), ['-p', join(ROOT, 'bench/tsconfig.json')], { cwd: ROOT });
    break;
  case 'bench': {
    // Each bench/*.ts prints its own figures; they are measurements, never pass/fail tests.
    for (const f of readdirSync(join(ROOT, 'bench'))
      .filter((f) => f.endsWith('.bench.ts'))
      .sort()) {
      console.log(`\n== ${f}`);
      await run(process.execPath, ['--import', 'tsx', join('..', 'bench', f)], {
        cwd: join(ROOT, 'server'),
      });
    }
    break;
  }
  case 'reliability':
    // The review of issue #13 kept as a suite: isolation matrix and fuzzing (server), crashes
    // and concurrent instances (real server processes). All of it also runs in `npm test`.
    await run(bin('vitest'), ['run', 'src/isolation.test.ts', 'src/fuzz.test.ts'], {
      cwd: join(ROOT, 'server'),
    });
    await run(bin('vitest'), ['run', 'reliability/'], { cwd: join(ROOT, 'tests') });
    break;
  default:
    console.error(`usage: node scripts/run.mjs build|lint|format|typecheck|bench|reliability`);
    process.exit(2);
}
