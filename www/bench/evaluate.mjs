// JS benchmarks of the wasm package in Node: evaluation scenarios, per-request
// work, snapshot loads and memory. Medians of interleaved rounds after
// warm-up, with the spread. Prints figures; never fails on time.
//   node bench/evaluate.mjs
import { execFileSync } from 'node:child_process';
import { EdgeFlagClient, Engine, inlineSource } from '../dist/node.js';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { scenarioFlags, syntheticFlags, payload, fiveAttributes } from './scenarios.mjs';

const key = testKey(61);
const ROUNDS = 9;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

/** Times `body(i)` over `iterations` calls; returns ns per call. */
function timeOnce(body, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) body(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Runs every case in interleaved rounds and prints median and spread. */
function report(title, cases, unit = 'ns') {
  const samples = new Map(cases.map(([name]) => [name, []]));
  for (const [, body, iterations] of cases) timeOnce(body, iterations); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, body, iterations] of cases) samples.get(name).push(timeOnce(body, iterations) / (unit === 'µs' ? 1000 : 1));
  }
  console.log(`\n${title}`);
  for (const [name, values] of samples) console.log(`  ${name.padEnd(44)} ${median(values).toFixed(1).padStart(9)} ${unit}   (spread ${spread(values)})`);
}

const client = new EdgeFlagClient({ source: inlineSource(signEnvelope(payload({ ...scenarioFlags, ...syntheticFlags(100) }), [key])), publicKeys: [key.publicHex], environment: 'bench' });
await client.ready();
const empty = client.context({});
const five = client.context(fiveAttributes);
const units = Array.from({ length: 10_000 }, (_, i) => client.context({ targetingKey: `unit-${i}` }));

report('Evaluation, prepared context (client.getBoolean / getString)', [
  ['E1 static boolean, empty context', () => client.getBoolean('E1', false, empty), 200_000],
  ['E4 one clause, 5-attribute context', () => client.getBoolean('E4', false, five), 200_000],
  ['E6 nested and/or, 3 string variants', () => client.getString('E6', 'a', five), 200_000],
  ['E9 rule does not match (default path)', () => client.getBoolean('E9', false, five), 200_000],
  ['E10 disabled flag', () => client.getBoolean('E10', true, five), 200_000],
  ['E11 missing flag', () => client.getBoolean('nope', false, five), 200_000],
  ['O1 50/50 split over 10,000 units', (i) => client.getBoolean('O1', false, units[i % 10_000]), 200_000],
  ['O2 8-way split over 10,000 units', (i) => client.getString('O2', 'a', units[i % 10_000]), 200_000],
  ['O3 semver comparison', () => client.getBoolean('O3', false, five), 200_000],
  ['O4 regex match', () => client.getBoolean('O4', false, five), 200_000],
  ['O5 time-scheduled ramp', (i) => client.getBoolean('O5', false, units[i % 10_000]), 200_000],
]);

const tenFlags = ['E1', 'E4', 'E6', 'E9', 'E10', 'O1', 'O2', 'O3', 'O4', 'O5'];
report('Per request', [
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
  }, 20_000],
  ['context from a plain object + 10 flag details', () => {
    const context = client.context(fiveAttributes);
    for (const flag of tenFlags) client.getDetails(flag, null, context);
    context.free();
  }, 20_000],
  ['evaluate-all, 111 flags', () => client.evaluateAll(five), 5_000],
], 'µs');

console.log('\nLoad: verify + compile a signed snapshot (Engine.load)');
for (const count of [5, 200, 1_000, 10_000]) {
  const bytes = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(count)), [key]));
  const times = [];
  const repeats = count >= 10_000 ? 5 : 15;
  for (let i = 0; i < repeats; i += 1) {
    const engine = new Engine([key.publicHex], 'bench');
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
const colds = Array.from({ length: 9 }, () =>
  Number(execFileSync(process.execPath, [new URL('./cold-start.mjs', import.meta.url).pathname], { encoding: 'utf8' })),
);
console.log('\nCold start in Node: import + instantiate, verify and load 200 flags, first evaluation (9 fresh processes)');
console.log(`  ${'median'.padEnd(44)} ${median(colds).toFixed(2).padStart(9)} ms   (spread ${spread(colds)})`);
console.log(`\nNode ${process.version}, ${new Date().toISOString()}`);
