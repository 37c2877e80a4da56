import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@deskwatch/server';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function requireBuilt() {
  for (const f of [
    join(EXTENSION_DIR, 'manifest.json'),
    join(ROOT, 'pwa/dist/index.html'),
    CHROMIUM,
  ]) {
    if (!existsSync(f))
      throw new Error(
        `${f} is missing: run \`npm test\` from the root, which builds and installs what end-to-end tests need`,
      );
  }
}

export interface ServerProcess {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts the real server (`server/src/main.ts`) on a fresh libSQL file and a free port. */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'deskwatch-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(ROOT, 'server'),
    env: {
      ...process.env,
      DATABASE_URL: `file:${join(dir, 'e2e.db')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = out.match(/Server and manager app \(PWA\):\s+(http:\/\/\S+?)\/\s/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium with the built extension loaded on the given profile (user-data-dir). */
export function launchProfile(profile: string, opts: { timezoneId?: string } = {}) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    args: [
      '--headless=new',
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  });
}

/**
 * Chromium with the built extension loaded; returns the context and the extension's id. With
 * `profile`, that user-data-dir is used and kept on close (to relaunch the same browser);
 * otherwise a fresh one is made and removed on close.
 */
export async function launchWithExtension(
  opts: { timezoneId?: string; profile?: string } = {},
): Promise<{
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}> {
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'deskwatch-profile-'));
  const fresh = !existsSync(join(profile, 'Default'));
  const context = await launchProfile(profile, opts);
  const worker =
    context.serviceWorkers()[0] ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  if (fresh) {
    // A fresh install opens the options page by itself (as for a person). Chromium may put it in
    // the tab a test has just opened, interrupting that test's first navigation on a loaded
    // machine: wait for it here, before anything else opens a tab.
    const options = `chrome-extension://${extensionId}/options.html`;
    const opened = (p: { url(): string }) => p.url().startsWith(options);
    if (!context.pages().some(opened))
      await context.waitForEvent('page', { predicate: opened, timeout: 30_000 }).catch(() => {
        // Not opened (the extension's own choice): nothing can be interrupted then.
      });
  }
  return {
    context,
    extensionId,
    async close() {
      await context.close();
      if (!opts.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A phone-sized browser of its own (a manager's), with its own cookies. */
export async function launchPhone() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  return { browser, context };
}

export function writeTemp(dir: string, name: string, content: string) {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Waits for `check` to return a value, polling every `every` ms; fails with `what` after `ms` (an upper bound). */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  ms = 10_000,
  every = 100,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Parses the overlay's `42m 07s left` / `1h 05m 09s left` into seconds. */
export function parseRemaining(text: string): number {
  const m = text.match(/^(-)?(?:(\d+)h )?(\d+)m (\d+)s (left|over)$/);
  if (!m) throw new Error(`unexpected timer text: ${text}`);
  const s = Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] || m[5] === 'over' ? -s : s;
}

/**
 * The bounds of a timer's seconds left, without assuming an idle machine: the overlay counts from
 * the server's answer, computed after the page was `opened`, and shows it at or before `read`.
 */
export function remainingBounds(dueAt: number, opened: number, read: number) {
  return {
    min: Math.floor((dueAt - read) / 1000) - 1,
    max: Math.ceil((dueAt - opened) / 1000) + 1,
  };
}

/** Signs in to the app as `email` (demo password unless given) and waits for it to show its screens. */
export async function signInToApp(
  page: Page,
  serverUrl: string,
  email: string,
  password = DEMO_PASSWORD,
) {
  await page.goto(`${serverUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation').waitFor();
}

/** Pairs the extension as `email` through the PWA's "Connect extension" code, as a person would. */
export async function pairExtension(
  context: BrowserContext,
  extensionId: string,
  serverUrl: string,
  email: string,
  password: string,
) {
  const pwa = await context.newPage();
  await signInToApp(pwa, serverUrl, email, password);
  await pwa.getByRole('link', { name: 'Connect extension' }).click();
  await pwa.getByRole('button', { name: 'Get a pairing code' }).click();
  const code = (await pwa.getByTestId('pairing-code').getAttribute('data-code'))!;
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByLabel('Server URL').fill(serverUrl);
  await options.getByLabel('Pairing code').fill(code);
  await options.getByRole('button', { name: 'Pair' }).click();
  await options.locator('[data-testid="connection"][data-connected="true"]').waitFor();
  await pwa.close();
  return options;
}

/** Runs a harness shell script and returns its stdout. */
export function script(
  path: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 600_000,
): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('bash', [path, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) ok(out);
      else fail(new Error(`${path} exited with ${code}:\n${err.slice(-3000)}`));
    });
  });
}

/** A port the OS has just handed out, so that parallel runs never pick the same one. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
