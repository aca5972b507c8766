// The package in Deno and Bun (the `deno` and `bun` npm packages,
// devDependencies): each resolves the package's `node` condition from a
// project's node_modules; that entry and the browser one run the shared
// golden vectors, and a client serves a signed snapshot, as in Node,
// workerd and Chromium. Bun runs the wasm on JavaScriptCore, Safari's
// engine, where every other runtime here is V8.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertAgreesWithNode, installedProject, testKey, signEnvelope, snapshot, NOW } from './fixtures.mjs';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const runner = fileURLToPath(new URL('./runtime-runner.mjs', import.meta.url));

/**
 * Runs runtime-runner.mjs in a project with the package installed, under
 * the runtime `command` with `runtimeArgs` before the script and `env(dir)`
 * added to the environment, and checks what it reports against Node's answers.
 */
async function answersAsInNode(t, command, runtimeArgs, env) {
  // Its entry re-exports what the runtime resolves for the bare specifier.
  const dir = installedProject(t, { 'entry.mjs': "export * from 'edgeflag';\nexport const entryUrl = import.meta.resolve('edgeflag');\n" });
  const key = testKey(71);
  const envelope = join(dir, 'snapshot.json');
  const signed = signEnvelope(snapshot(), [key]);
  writeFileSync(envelope, signed);
  const args = [
    ...runtimeArgs,
    runner,
    join(dir, 'entry.mjs'),
    fileURLToPath(new URL('../dist/browser.js', import.meta.url)),
    fileURLToPath(new URL('../../tests/vectors/golden.json', import.meta.url)),
    envelope,
    key.publicHex,
    String(NOW),
  ];
  const child = spawnSync(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env(dir) }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.error, undefined);
  assert.equal(child.status, 0, child.stderr);
  const { entry, golden: results, answers } = JSON.parse(child.stdout.trim().split('\n').at(-1));
  assert.match(entry, /\/dist\/node\.js$/, 'the node condition is picked');
  assert.deepEqual(Object.keys(results), ['resolved', 'browser']);
  await assertAgreesWithNode(results, answers, signed, key.publicHex);
}

test('in Deno the package resolves to its node entry, both it and the browser entry answer the golden vectors, and a client answers as in Node', (t) =>
  answersAsInNode(t, bin('deno'), ['run', '--allow-read', '--no-lock'], (dir) => ({ DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1' })));

test('in Bun (JavaScriptCore) the package resolves to its node entry, both entries answer the golden vectors, and a client answers as in Node', (t) =>
  // --no-install: Bun would otherwise fetch a package missing from node_modules.
  answersAsInNode(t, bin('bun'), ['--no-install'], () => ({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' })));
