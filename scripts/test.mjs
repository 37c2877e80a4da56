// npm test: install what the tests need, build, type-check and lint, then run every suite
// (unit, router, end-to-end) and end with one "N passed, N failed" line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, ensureChromium, ensureFirefox, install, ROOT, run } from './lib.mjs';

await install();
await ensureChromium();
await ensureFirefox();
await build();

const failures = [];
const step = async (name, fn) => {
  console.log(`\n== ${name}`);
  try {
    await fn();
  } catch (err) {
    failures.push(`${name}: ${err.message}`);
  }
};
let passed = 0;
let failed = 0;
let skipped = 0;
// Type errors and lint findings count as failed checks in the closing line.
for (const check of ['typecheck', 'lint']) {
  await step(check, () =>
    run(process.execPath, [join(ROOT, 'scripts/run.mjs'), check]).then(
      () => (passed += 1),
      (err) => {
        failed += 1;
        throw err;
      },
    ),
  );
}

// The shared suite runs under several zones to prove no computation reads local time.
const ZONES = ['UTC', 'America/Santiago', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const suites = [
  ...ZONES.map((tz) => ({ name: `shared (TZ=${tz})`, dir: 'shared', env: { TZ: tz } })),
  { name: 'server', dir: 'server' },
  { name: 'pwa', dir: 'pwa' },
  { name: 'extension', dir: 'extension' },
  // Chromium, and the Firefox build in Firefox ESR (tests/e2e/firefox.test.ts).
  { name: 'end-to-end (Chromium, Firefox)', dir: 'tests' },
];

const out = mkdtempSync(join(tmpdir(), 'deskwatch-results-'));
for (const [i, s] of suites.entries()) {
  const file = join(out, `${i}.json`);
  await step(s.name, async () => {
    const rc = await run(
      join(ROOT, 'node_modules/.bin/vitest'),
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`],
      {
        cwd: join(ROOT, s.dir),
        env: s.env ?? {},
        check: false,
      },
    );
    let report;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      failed += 1; // the suite could not even report: count it as a failure
      throw new Error(`no report (exit ${rc})`);
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (rc !== 0 && report.numFailedTests === 0) {
      failed += 1; // e.g. a file that failed to load
      throw new Error(`exit ${rc}`);
    }
    if (report.numFailedTests > 0) throw new Error(`${report.numFailedTests} failed`);
  });
}
rmSync(out, { recursive: true, force: true });

if (failures.length) console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length || failed ? 1 : 0);
