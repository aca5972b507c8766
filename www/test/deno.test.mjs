// The package in Deno (the `deno` npm package, a devDependency): Deno
// resolves the package's `node` condition from a project's node_modules;
// that entry and the browser one run the shared golden vectors, and a
// client serves a signed snapshot, as in Node, workerd and Chromium.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../dist/node.js';
import { golden, installedProject, testKey, signEnvelope, snapshot, NOW } from './fixtures.mjs';
import { clientAnswers } from './golden-runner.mjs';

const deno = fileURLToPath(new URL('../node_modules/.bin/deno', import.meta.url));

test('in Deno the package resolves to its node entry, both it and the browser entry answer the golden vectors, and a client answers as in Node', async (t) => {
  // Its entry re-exports what Deno resolves for the bare specifier.
  const dir = installedProject(t, { 'entry.mjs': "export * from 'edgeflag';\nexport const entryUrl = import.meta.resolve('edgeflag');\n" });
  const key = testKey(71);
  const envelope = join(dir, 'snapshot.json');
  const signed = signEnvelope(snapshot(), [key]);
  writeFileSync(envelope, signed);
  const args = [
    'run',
    '--allow-read',
    '--no-lock',
    fileURLToPath(new URL('./deno-runner.mjs', import.meta.url)),
    join(dir, 'entry.mjs'),
    fileURLToPath(new URL('../dist/browser.js', import.meta.url)),
    fileURLToPath(new URL('../../tests/vectors/golden.json', import.meta.url)),
    envelope,
    key.publicHex,
    String(NOW),
  ];
  const env = { ...process.env, DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const child = spawnSync(deno, args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.error, undefined);
  assert.equal(child.status, 0, child.stderr);
  const { entry, golden: results, answers } = JSON.parse(child.stdout.trim().split('\n').at(-1));
  assert.match(entry, /\/dist\/node\.js$/, 'Deno picks the node condition');
  assert.deepEqual(Object.keys(results), ['resolved', 'browser']);
  for (const [name, { ran, failures }] of Object.entries(results)) {
    assert.equal(ran, golden.cases.length, name);
    assert.deepEqual(failures, [], name);
  }
  const inNode = await clientAnswers(node, new TextEncoder().encode(signed), key.publicHex, NOW);
  assert.equal(inNode.version, 1);
  assert.ok(inNode.assignments.length > 0, 'the sticky experiment assigned the unit');
  assert.deepEqual(answers, JSON.parse(JSON.stringify(inNode)), 'the same answers as in Node');
});
