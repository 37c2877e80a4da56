// Bundles extension code for a plain Chromium page, the way the content script bundles it
// (React components on preact/compat), for benchmarks that measure it inside real pages.
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from '../tests/e2e/harness.js';

export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    target: 'chrome120',
    jsx: 'automatic',
    alias: {
      'react-dom/client': 'preact/compat/client',
      'react-dom': 'preact/compat',
      'react/jsx-runtime': 'preact/jsx-runtime',
      react: 'preact/compat',
    },
    define: { 'import.meta.env.DEV': 'false' },
    logLevel: 'error',
    // Aliases resolve from here: the extension's own dependencies (preact).
    absWorkingDir: join(ROOT, 'extension'),
  });
  return out.outputFiles[0]!.text;
}

export const launchChromium = () =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
