// Whether node_modules is what the lockfile asks for, told cheaply (two file reads), so a
// command run often (`npm run kb:import`) need not spend seconds on `pnpm install` each time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * True when pnpm's record of its last install (node_modules/.pnpm/lock.yaml, a copy of the
 * lockfile it installed) equals pnpm-lock.yaml and node_modules/.modules.yaml exists: then
 * `pnpm install --frozen-lockfile` would change nothing. False whenever unsure.
 */
export function installedMatchesLock(root) {
  try {
    readFileSync(join(root, 'node_modules/.modules.yaml'));
    const installed = readFileSync(join(root, 'node_modules/.pnpm/lock.yaml'));
    return installed.equals(readFileSync(join(root, 'pnpm-lock.yaml')));
  } catch {
    return false;
  }
}
