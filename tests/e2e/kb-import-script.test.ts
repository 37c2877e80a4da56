import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper of the root scripts, without types.
import { installedMatchesLock } from '../../scripts/installed.mjs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkout with a lockfile and, optionally, pnpm's record of what it installed. */
function checkout(lock: string, installed?: string, modulesYaml = true) {
  const root = mkdtempSync(join(tmpdir(), 'deskwatch-install-'));
  dirs.push(root);
  writeFileSync(join(root, 'pnpm-lock.yaml'), lock);
  if (installed !== undefined) {
    mkdirSync(join(root, 'node_modules/.pnpm'), { recursive: true });
    writeFileSync(join(root, 'node_modules/.pnpm/lock.yaml'), installed);
    if (modulesYaml) writeFileSync(join(root, 'node_modules/.modules.yaml'), 'layoutVersion: 5\n');
  }
  return root;
}

it('kb:import skips pnpm install only when node_modules holds exactly what the lockfile asks', () => {
  const lock = "lockfileVersion: '9.0'\nimporters: {}\n";
  expect(installedMatchesLock(checkout(lock, lock))).toBe(true);
  expect(installedMatchesLock(checkout(lock))).toBe(false);
  expect(installedMatchesLock(checkout(lock, lock.replace('{}', '{ a: 1 }')))).toBe(false);
  expect(installedMatchesLock(checkout(lock, lock, false))).toBe(false);
});
