// Size budgets of what users ship, printed and checked: the optimised .wasm
// gzipped, and the JS shim minified and gzipped (the wasm-bindgen glue is
// reported on its own line). Exits non-zero when a budget is exceeded.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = (file) => new URL(`../dist/${file}`, import.meta.url).pathname;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const minified = async (entry, external = []) => {
  const result = await build({ entryPoints: [dist(entry)], bundle: true, minify: true, format: 'esm', write: false, external, platform: 'neutral' });
  return result.outputFiles[0].contents;
};

const KB = 1024;
const budgets = [
  { what: 'wasm core (gzip)', bytes: gzip(readFileSync(dist('edgeflag_bg.wasm'))), limit: 64 * KB },
  { what: 'JS shim (min+gzip)', bytes: gzip(await minified('client.js')) + gzip(await minified('sources.js')) + gzip(await minified('sticky.js')), limit: 6 * KB },
];
const glue = gzip(await minified('edgeflag.js'));
const total = budgets.reduce((sum, b) => sum + b.bytes, glue);

let over = 0;
for (const { what, bytes, limit } of budgets) {
  const ok = bytes <= limit;
  over += ok ? 0 : 1;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${what.padEnd(22)} ${(bytes / KB).toFixed(1).padStart(7)} KB  (budget ${limit / KB} KB)`);
}
console.log(`     ${'wasm-bindgen glue'.padEnd(22)} ${(glue / KB).toFixed(1).padStart(7)} KB`);
console.log(`     ${'shipped in total'.padEnd(22)} ${(total / KB).toFixed(1).padStart(7)} KB`);
console.log(`budgets: ${budgets.length - over} passed, ${over} failed`);
process.exitCode = over ? 1 : 0;
