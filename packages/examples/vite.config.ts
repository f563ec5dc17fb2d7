/**
 * The browser demo (web/): Vite's dev and preview servers send the two headers that make the
 * page cross-origin isolated, which SharedArrayBuffer (and so the workers device) needs.
 */
import { defineConfig } from 'vite';

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { demo: 'web/index.html', kit: 'web/kit.html' } },
  },
});
