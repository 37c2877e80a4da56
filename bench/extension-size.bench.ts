// Size of the JavaScript the extension injects into ticket pages, raw and gzip (target <= 90 KB gzip).
// Reads the built extension (npm run build); prints figures, never fails on them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = join(import.meta.dirname, '../extension/.output/chrome-mv3');
const file = join(dir, 'content-scripts/overlay.js');
if (!existsSync(file)) {
  console.log('extension not built: run `npm run build` first');
} else {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  console.log(
    `content script: ${(raw.length / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (target 90 KB gzip; ${((gz / 1024 / 90) * 100).toFixed(0)}% of it)`,
  );
  const bg = readFileSync(join(dir, 'background.js'));
  console.log(
    `background worker: ${(bg.length / 1024).toFixed(1)} KB raw, ${(gzipSync(bg).length / 1024).toFixed(1)} KB gzip (not injected into pages)`,
  );
}
