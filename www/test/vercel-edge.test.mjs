// The package in a Vercel Edge Function, run by Vercel's open-source Edge
// Runtime (the `edge-runtime` npm package, what Vercel's local tools run edge
// code in): the function is bundled as Vercel bundles one — esbuild with the
// `edge-light` condition, a `.wasm?module` import turned into a global
// binding holding the compiled module — and runs with code generation from
// strings and wasm bytes forbidden, as in production. It answers the shared
// golden vectors and a client's answers as in Node.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { EdgeRuntime } from 'edge-runtime';
import { assertAgreesWithNode, golden, installedProject, testKey, signEnvelope, snapshot, NOW } from './fixtures.mjs';

const goldenRunner = fileURLToPath(new URL('./golden-runner.mjs', import.meta.url));

/** The edge function: answers a POST of `{golden, envelope, publicKey, now}` with the vectors' results and a client's answers. */
const edgeFunction = `
import * as edgeflag from 'edgeflag';
import { clientAnswers, runGolden } from ${JSON.stringify(goldenRunner)};

export default async function handler(request) {
  const { golden, envelope, publicKey, now } = await request.json();
  const answers = await clientAnswers(edgeflag, new TextEncoder().encode(envelope), publicKey, now);
  return Response.json({ golden: runGolden(edgeflag, golden), answers });
}
`;

/**
 * Bundles the function as Vercel's builder does: each `.wasm?module` import
 * becomes a global named after the file's SHA-1, which the runtime defines.
 * Returns the script and its bindings (global name → wasm file).
 */
async function bundleEdgeFunction(entry) {
  const bindings = {};
  const wasmBindings = {
    name: 'wasm-module-bindings',
    setup(builder) {
      builder.onResolve({ filter: /\.wasm\?module$/ }, ({ path, resolveDir }) => ({ path: join(resolveDir, path.replace(/\?module$/, '')), namespace: 'wasm-binding' }));
      builder.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, ({ path }) => {
        const name = `wasm_${createHash('sha1').update(readFileSync(path)).digest('hex')}`;
        bindings[name] = path;
        return { contents: `export default globalThis[${JSON.stringify(name)}];` };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'edgeFunction',
    platform: 'browser',
    conditions: ['edge-light'],
    plugins: [wasmBindings],
    logLevel: 'silent',
  });
  return { script: result.outputFiles[0].text, bindings };
}

test('in Vercel\'s Edge Runtime the package resolves to its edge-light entry, instantiates without compiling, and answers as in Node', async (t) => {
  const dir = installedProject(t, { 'function.mjs': edgeFunction });
  const { script, bindings } = await bundleEdgeFunction(join(dir, 'function.mjs'));
  assert.match(script, /edge-light\.js/, 'the bundle took the edge-light entry');
  assert.deepEqual(Object.values(bindings).map((path) => path.split('/').at(-1)), ['edgeflag_bg.wasm']);

  // The modules are compiled outside the function's realm (as the runtime's host does); inside, no code is generated.
  const modules = Object.fromEntries(Object.entries(bindings).map(([name, path]) => [name, new WebAssembly.Module(readFileSync(path))]));
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },
    initialCode: `${script}\naddEventListener('fetch', (event) => event.respondWith(edgeFunction.default(event.request)));`,
    extend: (context) => Object.assign(context, modules),
  });
  assert.throws(() => runtime.evaluate('new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))'), /disallowed/, 'compiling wasm bytes is refused in the function');

  const key = testKey(73);
  const envelope = signEnvelope(snapshot(), [key]);
  const request = { golden, envelope, publicKey: key.publicHex, now: NOW };
  const response = await runtime.dispatchFetch('https://edge.example/api/flags', { method: 'POST', body: JSON.stringify(request) });
  assert.equal(response.status, 200);
  const { golden: results, answers } = await response.json();
  await assertAgreesWithNode({ edge: results }, answers, envelope, key.publicHex);
});
