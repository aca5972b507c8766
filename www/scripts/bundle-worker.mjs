// Bundles the example worker the way a user's bundler would: `edgeflag`
// resolved through package.json's `workerd` export condition, the .wasm kept
// as a separate module for workerd to compile at deploy time. The bundle goes
// to www/build/example-worker/, outside the package's dist/: it is not shipped.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = new URL('../build/example-worker/', import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('../worker/worker.js', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker'],
  external: ['*.wasm'],
  outfile: new URL('worker.js', out).pathname,
  logLevel: 'warning',
});
copyFileSync(new URL('../dist/edgeflag_bg.wasm', import.meta.url), new URL('edgeflag_bg.wasm', out));
