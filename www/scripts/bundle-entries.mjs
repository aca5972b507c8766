// Bundles each runtime's entry (node, browser, workerd, edge-light) with the shim and the
// wasm-bindgen glue into a single ES module, so a cold start loads one file;
// the OpenFeature providers (which need no wasm) go beside them.
// Usage: node bundle-entries.mjs STAGING_DIR OUT_DIR
import { build } from 'esbuild';
import { join } from 'node:path';

const [staging, out] = process.argv.slice(2);
await build({
  entryPoints: ['node', 'browser', 'workerd', 'edge-light', 'openfeature'].map((entry) => join(staging, `${entry}.js`)),
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['node:*', './edgeflag_bg.wasm', './edgeflag_bg.wasm?module'],
  logLevel: 'warning',
});
