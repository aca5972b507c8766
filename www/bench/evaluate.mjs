// JS benchmarks of the wasm package in Node: evaluation scenarios, per-request
// work, snapshot loads and memory. Medians of interleaved rounds after
// warm-up, with the spread. Prints figures; never fails on time. Cold starts
// are measured by peers/compare.mjs (Node) and cold-start-workerd.mjs, what
// V8 compiles for one by cold-start-compile.mjs.
//   node bench/evaluate.mjs
import { execFileSync } from 'node:child_process';
import { EdgeFlagClient, Engine, inlineSource } from '../dist/node.js';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { scenarioFlags, syntheticFlags, payload, fiveAttributes } from './scenarios.mjs';
import { interleaved, median, spread, formatNs } from './timing.mjs';

const range = (values) => `${formatNs(Math.min(...values))}–${formatNs(Math.max(...values))}`;

const key = testKey(61);

/** Times every `[name, body]` case in interleaved rounds; prints median and spread. */
async function report(title, cases) {
  const samples = await interleaved(cases.map(([name, body]) => ({ name, body })));
  console.log(`\n${title}`);
  for (const [name, values] of samples) console.log(`  ${name.padEnd(48)} ${formatNs(median(values)).padStart(9)}   (spread ${range(values)})`);
}

const client = new EdgeFlagClient({ source: inlineSource(signEnvelope(payload({ ...scenarioFlags, ...syntheticFlags(100) }), [key])), publicKeys: [key.publicHex], environment: 'bench' });
await client.ready();
const empty = client.context({});
const five = client.context(fiveAttributes);
const units = Array.from({ length: 10_000 }, (_, i) => client.context({ targetingKey: `unit-${i}` }));

await report('Evaluation, prepared context (client.getBoolean / getString)', [
  ['E1 static boolean, empty context', () => client.getBoolean('E1', false, empty)],
  ['E4 one clause, 5-attribute context', () => client.getBoolean('E4', false, five)],
  ['E6 nested and/or, 3 string variants', () => client.getString('E6', 'a', five)],
  ['E9 rule does not match (default path)', () => client.getBoolean('E9', false, five)],
  ['E10 disabled flag', () => client.getBoolean('E10', true, five)],
  ['E11 missing flag', () => client.getBoolean('nope', false, five)],
  ['O1 50/50 split over 10,000 units', (i) => client.getBoolean('O1', false, units[i % 10_000])],
  ['O2 8-way split over 10,000 units', (i) => client.getString('O2', 'a', units[i % 10_000])],
  ['O3 semver comparison', () => client.getBoolean('O3', false, five)],
  ['O4 regex match', () => client.getBoolean('O4', false, five)],
  ['O5 time-scheduled ramp', (i) => client.getBoolean('O5', false, units[i % 10_000])],
]);

const tenFlags = ['E1', 'E4', 'E6', 'E9', 'E10', 'O1', 'O2', 'O3', 'O4', 'O5'];
await report('Per request', [
  ['context from a plain object + 10 typed getters', () => {
    const context = client.context(fiveAttributes);
    client.getBoolean('E1', false, context);
    client.getBoolean('E4', false, context);
    client.getString('E6', 'a', context);
    client.getBoolean('E9', false, context);
    client.getBoolean('E10', false, context);
    client.getBoolean('O1', false, context);
    client.getString('O2', 'a', context);
    client.getBoolean('O3', false, context);
    client.getBoolean('O4', false, context);
    client.getBoolean('O5', false, context);
    context.free();
  }],
  ['context from a plain object + 10 flag details', () => {
    const context = client.context(fiveAttributes);
    for (const flag of tenFlags) client.getDetails(flag, null, context);
    context.free();
  }],
  ['evaluate-all, 111 flags', () => client.evaluateAll(five)],
]);

console.log('\nLoad: verify + compile a signed snapshot (Engine.loadJson)');
for (const count of [5, 200, 1_000, 10_000]) {
  const bytes = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(count)), [key]));
  const times = [];
  const repeats = count >= 10_000 ? 5 : 15;
  for (let i = 0; i < repeats; i += 1) {
    const engine = new Engine([key.publicHex], 'bench');
    globalThis.gc?.(); // each load from a collected heap (with --expose-gc, as scripts/bench.sh runs it)
    const start = process.hrtime.bigint();
    engine.loadJson(bytes, Date.now());
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    engine.free();
  }
  console.log(`  ${`${count} flags (${(bytes.length / 1024).toFixed(0)} KB envelope)`.padEnd(44)} ${median(times).toFixed(2).padStart(9)} ms   (spread ${spread(times)})`);
}

console.log('\nMemory: wasm linear memory after loading, each in a fresh process');
for (const count of [1_000, 10_000]) {
  const bytes = Number(execFileSync(process.execPath, [new URL('./memory.mjs', import.meta.url).pathname, String(count)], { encoding: 'utf8' }));
  console.log(`  ${`${count} flags`.padEnd(44)} ${(bytes / 1024 / 1024).toFixed(1).padStart(9)} MB`);
}
console.log(`\nNode ${process.version}, ${new Date().toISOString()}`);
