import { defineConfig } from 'vitest/config';
export default defineConfig({
  // A guard against a hung test, not a measure of speed: CI runs on a loaded two-core box.
  test: { testTimeout: 60_000, include: ['src/**/*.test.ts'] },
});
