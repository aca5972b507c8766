// Budgets for a cost that native instruction counts cannot show: how many
// `memory.copy` and `memory.fill` instructions the optimised module runs per
// operation. V8 in Node 20 runs each as a call into the engine, about 5.5 ns
// whatever the length (BENCHMARKS.md, "Copies in wasm"), as much as dozens
// of instructions. The module is disassembled with binaryen, each of those
// instructions becomes a call that counts it, and the reassembled module is
// driven through the package API. A count above its ceiling fails; counts
// repeat exactly from run to run, but for a snapshot load's (see there).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageApi } from '../src/package.js';
import { inlineSource } from '../src/sources.js';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { scenarioFlags, syntheticFlags, payload, fiveAttributes } from '../bench/scenarios.mjs';

const here = (path) => new URL(path, import.meta.url).pathname;
const binaryen = (tool) => here(`../node_modules/.bin/${tool}`);
/** The features the module uses, as wasm-pack.toml lists them for wasm-opt. */
const FEATURES = JSON.parse(readFileSync(here('../../wasm-pack.toml'), 'utf8').match(/^features = (\[.*\])$/m)[1]);

/** Instructions that copy or fill memory, as binaryen prints them. */
const BULK = /\(memory\.(copy|fill)(?=[\s)])/g;

/** The counting functions that replace them, and a getter of their total. */
const COUNTERS = `
 (global $__copies (mut i32) (i32.const 0))
 (global $__fills (mut i32) (i32.const 0))
 (func $__count_copy (param $to i32) (param $from i32) (param $length i32)
  (global.set $__copies (i32.add (global.get $__copies) (i32.const 1)))
  (memory.copy (local.get $to) (local.get $from) (local.get $length)))
 (func $__count_fill (param $to i32) (param $byte i32) (param $length i32)
  (global.set $__fills (i32.add (global.get $__fills) (i32.const 1)))
  (memory.fill (local.get $to) (local.get $byte) (local.get $length)))
 (func $__bulk_operations (result i32) (i32.add (global.get $__copies) (global.get $__fills)))
 (export "__bulk_operations" (func $__bulk_operations))
`;

/** The module at `path` with every bulk-memory instruction counted. */
function instrumented(path) {
  const scratch = mkdtempSync(join(tmpdir(), 'edgeflag-copies-'));
  try {
    const wat = join(scratch, 'module.wat');
    execFileSync(binaryen('wasm-dis'), [...FEATURES, path, '-o', wat]);
    const text = readFileSync(wat, 'utf8');
    const sites = text.match(BULK)?.length ?? 0;
    const end = text.lastIndexOf(')');
    writeFileSync(wat, text.slice(0, end).replace(BULK, '(call $__count_$1') + COUNTERS + text.slice(end));
    const counted = join(scratch, 'counted.wasm');
    execFileSync(binaryen('wasm-as'), [...FEATURES, wat, '-o', counted]);
    return { bytes: readFileSync(counted), sites };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const { bytes, sites } = instrumented(here('../dist/edgeflag_bg.wasm'));
if (sites === 0) {
  // Every build has some (the allocator's, at least): none found means the
  // disassembly changed shape, and every count below would pass as zero.
  console.log('FAIL no memory.copy or memory.fill found in the disassembled module');
  process.exit(1);
}
const glue = await import(here('../../target/wasm-bindgen/edgeflag.js'));
const wasm = glue.initSync({ module: bytes });
const { EdgeFlagClient } = packageApi(wasm, glue);

const key = testKey(61);
const client = new EdgeFlagClient({
  source: inlineSource(signEnvelope(payload({ ...scenarioFlags, ...syntheticFlags(100) }), [key])),
  publicKeys: [key.publicHex],
  environment: 'bench',
});
await client.ready();
const five = client.context(fiveAttributes);
const units = Array.from({ length: 100 }, (_, i) => client.context({ targetingKey: `unit-${i}` }));
const requestFlags = ['E1', 'E4', 'E9', 'E10', 'O1', 'O3'];
const thousand = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(1_000)), [key]));
const firstLoad = () => {
  const engine = new glue.Engine([key.publicHex], 'bench');
  engine.loadJson(thousand, Date.now());
  engine.free();
};

/** Operations, the ceiling of bulk-memory instructions for each, and why. */
const budgets = [
  { what: 'E1 static flag', ceiling: 0, run: () => client.getBoolean('E1', false, five) },
  { what: 'E4 one clause', ceiling: 0, run: () => client.getBoolean('E4', false, five) },
  { what: 'E6 nested and/or', ceiling: 0, run: () => client.getString('E6', 'a', five) },
  { what: 'O3 semver', ceiling: 0, run: () => client.getBoolean('O3', false, five) },
  // The unit appended to its bucketing input (see bucket::SeedPrefix).
  { what: 'O1 50/50 split', ceiling: 1, run: (i) => client.getBoolean('O1', false, units[i % units.length]) },
  { what: 'E4 detail', ceiling: 0, run: () => client.getDetails('E4', false, five) },
  // The one copy of the JSON that the context's strings are spans of.
  { what: 'context from a plain object', ceiling: 1, run: () => client.context(fiveAttributes).free() },
  {
    what: 'request: context + 8 flags',
    ceiling: 3,
    run: () => {
      const context = client.context(fiveAttributes);
      for (const flag of requestFlags) client.getBoolean(flag, false, context);
      client.getString('E6', 'a', context);
      client.getString('O2', 'a', context);
      context.free();
    },
  },
  // Strings and structures moved while decoding and compiling. Varies by a
  // few between runs (whether a reallocation grows in place depends on the
  // allocator's state), hence about 10 % headroom.
  { what: 'engine + verify + load 1,000', ceiling: 17_000, runs: 3, run: firstLoad },
];

let failed = 0;
console.log(`bulk-memory instructions per operation (${sites} in the module, each counted)`);
for (const { what, ceiling, run, runs = 100 } of budgets) {
  run(0);
  const before = wasm.__bulk_operations();
  for (let i = 0; i < runs; i++) run(i);
  const count = (wasm.__bulk_operations() - before) / runs;
  const within = count <= ceiling;
  failed += within ? 0 : 1;
  console.log(`${within ? 'ok  ' : 'FAIL'} ${what.padEnd(30)} ${String(count).padStart(8)}  (ceiling ${ceiling})`);
}
console.log(`copy budgets: ${budgets.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
