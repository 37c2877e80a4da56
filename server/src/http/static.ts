import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The path with its percent-escapes decoded, or null when they are malformed (`/%`, `/%E0%A4%A`). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/**
 * Serves the built PWA. Unknown paths get index.html so client-side routes load, and the
 * service worker and index are never cached by HTTP (Workbox does the caching, by revision).
 */
export function pwaStatic(distDir: string) {
  const root = resolve(distDir);
  const app = new Hono();
  app.get('*', async (c) => {
    const decoded = decodePath(new URL(c.req.url).pathname);
    if (decoded === null) return c.text('Bad request: malformed percent-encoding in the path', 400);
    const rel = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(root, rel);
    if (!file.startsWith(root + sep) && file !== root) return c.notFound();
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) {
      if (extname(rel)) return c.notFound();
      file = join(root, 'index.html');
    }
    const body = await readFile(file).catch(() => null);
    if (!body)
      return c.text(
        'The PWA is not built yet: run `npm start` (or `pnpm --filter @deskwatch/pwa build`).',
        503,
      );
    const name = file.slice(root.length + 1);
    const immutable = name.startsWith('assets/');
    return c.body(body, 200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
  return app;
}
