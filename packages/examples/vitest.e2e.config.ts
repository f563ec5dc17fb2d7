import { defineConfig } from 'vitest/config';

/** The browser suite (pnpm test:e2e): one file, long timeouts, after `vite build`. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
