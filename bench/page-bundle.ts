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

/**
 * The extension background's answers, stood in for in the page: page config, an SLA state for
 * whatever ticket is observed, and `answers` (statements returning `reply(value)` for more types).
 */
export const backgroundStub = (answers = '') => `
  const reply = (value) => Promise.resolve({ ok: true, value });
  const port = () => ({ onMessage: { addListener() {} }, onDisconnect: { addListener() {} }, postMessage() {}, disconnect() {} });
  window.browser = {
    runtime: {
      connect: port,
      sendMessage(req) {
        if (req.type === 'pageConfig') return reply({ disabled: [], taught: [], values: {} });
        if (req.type === 'observe') {
          const s = req.snapshot, now = Date.now();
          return reply({
            ticket: { id: 't-' + s.externalId, source: s.source, externalId: s.externalId, url: s.url, subject: s.subject,
              status: s.status, category: s.statusCategory, priority: s.priority, requester: s.requester, createdAt: Date.parse(s.createdAt) },
            sla: { computedAt: now, calendarId: '24x7', priority: s.priority, category: s.statusCategory, targets: [
              { metric: 'first_response', status: 'running', breached: false, clock: 'calendar', targetMs: 3600000, cycleStart: now,
                elapsedMs: 0, remainingMs: 3600000, dueAt: now + 3600000, calendarMsToDue: 3600000, stoppedAt: null, pausedBy: null, percentUsed: 0 },
              { metric: 'resolution', status: 'running', breached: false, clock: 'calendar', targetMs: 28800000, cycleStart: now,
                elapsedMs: 0, remainingMs: 28800000, dueAt: now + 28800000, calendarMsToDue: 28800000, stoppedAt: null, pausedBy: null, percentUsed: 0 } ] },
            calendar: null, policy: 'Standard' });
        }
        ${answers}
        return reply({ ok: true });
      },
    },
    storage: { local: { get: () => Promise.resolve({}), set: () => Promise.resolve() } },
  };
`;
