// Bundles the browser worker (dist/browser-worker.js and everything it imports: comlink and
// @kindling/core/kernels) into one self-contained module, dist/browser-worker.bundle.js: import
// maps do not apply inside workers, so the worker cannot resolve bare imports itself.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/browser-worker.js', import.meta.url).pathname],
  outfile: new URL('../dist/browser-worker.bundle.js', import.meta.url).pathname,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser'],
  logLevel: 'warning',
});
