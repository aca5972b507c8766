// Shipped size of edgeflag and the peer SDKs, measured the same way: each
// package's client entry bundled with esbuild (browser platform where the SDK
// supports browsers, Node otherwise), minified and gzipped; wasm files
// gzipped separately. Usage: cd www/bench/peers && npm install && node sizes.mjs
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const here = (path) => new URL(path, import.meta.url).pathname;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

const packages = [
  { name: 'edgeflag', entry: `export { EdgeFlagClient } from '${here('../../dist/browser.js')}';`, platform: 'browser', wasm: here('../../dist/edgeflag_bg.wasm') },
  // Flipt's browser build inlines its wasm as base64; its slim build loads the .wasm file.
  { name: '@flipt-io/flipt-client-js', entry: "export { FliptClient } from '@flipt-io/flipt-client-js';", platform: 'browser' },
  {
    name: '@flipt-io/flipt-client-js',
    label: 'flipt-client-js (slim)',
    entry: "export { FliptClient } from '@flipt-io/flipt-client-js/slim';",
    platform: 'browser',
    wasm: here('node_modules/@flipt-io/flipt-client-js/dist/flipt_engine_wasm_js_bg.wasm'),
  },
  { name: '@openfeature/flagd-core', entry: "export { FlagdCore } from '@openfeature/flagd-core';", platform: 'browser' },
  { name: '@growthbook/growthbook', entry: "export { GrowthBook } from '@growthbook/growthbook';", platform: 'browser' },
  { name: '@featurevisor/sdk', entry: "export { createInstance } from '@featurevisor/sdk';", platform: 'browser' },
  { name: '@launchdarkly/node-server-sdk', entry: "export { init } from '@launchdarkly/node-server-sdk';", platform: 'node' },
  { name: 'unleash-client', entry: "export { Unleash } from 'unleash-client';", platform: 'node' },
];

const KB = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`${'package'.padEnd(38)} ${'platform'.padEnd(8)} ${'JS min+gz'.padStart(10)} ${'wasm gz'.padStart(9)} ${'total'.padStart(9)}`);
for (const { name, label, entry, platform, wasm } of packages) {
  const result = await build({
    stdin: { contents: entry, resolveDir: here('.'), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    logLevel: 'silent',
    loader: { '.wasm': 'file' },
    outdir: here('out'),
  });
  const js = result.outputFiles.filter((f) => f.path.endsWith('.js')).reduce((sum, f) => sum + gzip(f.contents), 0);
  const wasmGz = wasm ? gzip(readFileSync(wasm)) : 0;
  const version = name === 'edgeflag' ? '' : `@${JSON.parse(readFileSync(here(`node_modules/${name}/package.json`))).version}`;
  console.log(`${(label ?? name + version).padEnd(38)} ${platform.padEnd(8)} ${KB(js).padStart(10)} ${(wasm ? KB(wasmGz) : '—').padStart(9)} ${KB(js + wasmGz).padStart(9)}`);
}
