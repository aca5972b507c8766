// The floor under edgeflag's cold start in Node: the signature check alone.
// Builds signature-floor/ (ed25519-dalek's verify_strict and nothing else)
// into a wasm module, optimised as the package's is, and times fresh Node
// processes from reading the module's bytes to the check's answer over the
// signed bytes of the 200-flag document that peers/compare.mjs cold-starts
// from. A core that verifies each snapshot it loads cannot start faster;
// compare the figure with compare.mjs's cold start and the 5 ms goal.
//   node bench/cold-start-floor.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, spread } from './timing.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** One cold start in this fresh process: module bytes → compiled → instantiated → the check's answer, in ms. */
function child(wasmFile, inputFile) {
  const input = readFileSync(inputFile);
  const started = performance.now();
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)));
  const address = exports.input(input.length);
  new Uint8Array(exports.memory.buffer, address, input.length).set(input);
  const verified = exports.check(address, input.length);
  const elapsed = performance.now() - started;
  if (verified !== 1) throw new Error('cold-start-floor: the signature did not verify');
  console.log(elapsed.toFixed(2));
}

/**
 * The check's input: the key, the signature and the DSSE signing input of
 * the 200-flag document. (Imported here, not at the top: the children load
 * no scaffolding beside their module, whose garbage would be collected
 * inside the timed window, as cold-start.mjs explains.)
 */
async function signedInput() {
  const { default: edgeflag } = await import('./peers/sdks/edgeflag.mjs');
  const { syntheticPlan } = await import('./scenarios.mjs');
  const { pae } = await import('../test/fixtures.mjs');
  const envelope = JSON.parse(edgeflag.document(syntheticPlan(200), false));
  const payload = Buffer.from(envelope.payload, 'base64');
  const signingInput = pae(envelope.payloadType, payload);
  return Buffer.concat([Buffer.from(edgeflag.publicKey, 'hex'), Buffer.from(envelope.signatures[0].sig, 'base64'), signingInput]);
}

/** Builds the module as scripts/build-wasm.sh builds the package's: cargo, then wasm-opt at the same level. */
function buildModule(out) {
  const crate = here('./signature-floor/');
  const target = here('../../target/signature-floor');
  execFileSync('cargo', ['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--target-dir', target], { cwd: crate, stdio: 'inherit' });
  const settings = readFileSync(here('../../wasm-pack.toml'), 'utf8');
  const level = JSON.parse(settings.match(/^level = (".*")$/m)[1]);
  const features = JSON.parse(settings.match(/^features = (\[.*\])$/m)[1]);
  const built = join(target, 'wasm32-unknown-unknown/release/signature_floor.wasm');
  execFileSync(here('../node_modules/.bin/wasm-opt'), [level, '--strip-debug', '--strip-producers', ...features, built, '-o', out]);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]);
} else {
  const runs = Number(process.argv[2] ?? 9);
  const scratch = mkdtempSync(join(tmpdir(), 'edgeflag-floor-'));
  try {
    const wasmFile = join(scratch, 'signature_floor.wasm');
    const inputFile = join(scratch, 'input.bin');
    buildModule(wasmFile);
    writeFileSync(inputFile, await signedInput());
    const times = Array.from({ length: runs }, () =>
      Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', wasmFile, inputFile], { encoding: 'utf8' })),
    );
    const bytes = readFileSync(wasmFile);
    // Gzipped as scripts/budgets.mjs counts the package's module: zlib at level 9.
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    console.log(`Signature check alone (${bytes.length.toLocaleString('en')} bytes, ${(gzipped / 1024).toFixed(1)} KB gzipped), ${(readFileSync(inputFile).length / 1024).toFixed(1)} KB signed:`);
    console.log(`cold start to the check's answer: median ${median(times).toFixed(2)} ms (${spread(times, 2)} ms) over ${runs} fresh processes`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
