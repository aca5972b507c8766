// What `npm pack` ships: the package's entries, types, wasm, licence and
// README, and nothing else (the example worker's bundle and the tests stay
// out), with every `exports` target among them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import assert from 'node:assert/strict';

const packageDir = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));

/** Every file path an `exports` entry names, conditions included. */
const targets = (entry) => (typeof entry === 'string' ? [entry] : Object.values(entry).flatMap(targets));

test('the packed package holds exactly its entries, types, wasm, licence and README, and every export resolves into it', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir, encoding: 'utf8' }));
  const files = packed.files.map((file) => file.path).sort();
  assert.deepEqual(files, [
    'README.md',
    'dist/LICENSE',
    'dist/browser.js',
    'dist/edge-light.js',
    'dist/edgeflag_bg.wasm',
    'dist/index.d.ts',
    'dist/node.js',
    'dist/openfeature.d.ts',
    'dist/openfeature.js',
    'dist/workerd.js',
    'package.json',
  ]);
  for (const target of [...targets(manifest.exports), manifest.types]) {
    assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} is shipped`);
  }
});
