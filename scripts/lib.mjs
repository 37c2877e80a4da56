// Helpers for the root scripts. Plain Node (no dependencies): these run before anything is installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9'; // keep in step with package.json "packageManager"

/** Runs a command, streaming its output; resolves with its exit code (or rejects when `check` and non-zero). */
export function run(cmd, args, { cwd = ROOT, env = {}, check = true, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: quiet ? 'ignore' : 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const rc = code ?? (signal ? 1 : 0);
      if (check && rc !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${rc}`));
      else resolve(rc);
    });
  });
}

/** pnpm through npx (corepack is unreliable on these machines), pinned to the packageManager version. */
export const pnpm = (args, opts) => run('npx', ['--yes', PNPM, ...args], opts);

export async function install() {
  // The lockfile pins every package and its integrity; nothing outside the npm registry is fetched.
  await pnpm(['install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only']);
}

export async function build() {
  // The SLA engine as a plain Node package (shared/dist), then the apps.
  await pnpm(['--filter', '@deskwatch/shared', 'run', 'build']);
  await pnpm(['--filter', '@deskwatch/pwa', 'run', 'build']);
  await pnpm(['--filter', '@deskwatch/extension', 'run', 'build']);
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Installs a Debian package when `path` is missing (the only browser source here: no browser
 * downloads). apt-get waits up to 10 minutes for a dpkg lock held by another process instead of
 * failing.
 */
async function ensureDebian(path, pkg) {
  if (existsSync(path)) return;
  console.log(`Installing Debian ${pkg} for end-to-end tests…`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => {
    const argv = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
    return sudo.length ? run('sudo', argv) : run(argv[0], argv.slice(1));
  };
  await apt(['update', '-qq']);
  await apt(['install', '-y', '-qq', '--no-install-recommends', pkg]);
  if (!existsSync(path)) throw new Error(`${pkg} is still missing at ${path}`);
}

/** Debian's Chromium for the end-to-end tests. */
export const ensureChromium = () => ensureDebian(CHROMIUM, 'chromium');

/** Debian's Firefox ESR, for the end-to-end test of the Firefox build. */
export const ensureFirefox = () => ensureDebian(FIREFOX, 'firefox-esr');
