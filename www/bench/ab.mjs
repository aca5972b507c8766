// A/B of two builds of the package in one Node process: the same evaluations,
// a context's creation and a 1,000-flag load, timed in interleaved rounds
// through each build's own copy of the package (a dist folder each), with
// B's median over A's. For changes worth a few percent, which separate runs
// on this machine cannot tell apart. The copy loaded first tends to be
// favoured (O1 most): run both orders. Prints figures; never fails on time.
//   node bench/ab.mjs DIST_A DIST_B
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { scenarioFlags, syntheticFlags, payload, fiveAttributes } from './scenarios.mjs';
import { interleaved, median, formatNs } from './timing.mjs';

const builds = process.argv.slice(2);
if (builds.length !== 2) throw new Error('usage: node bench/ab.mjs DIST_A DIST_B');

const key = testKey(61);
const small = signEnvelope(payload({ ...scenarioFlags, ...syntheticFlags(100) }), [key]);
const large = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(1_000)), [key]));

/** The cases of one build, named with its label. */
async function casesOf(label, dist) {
  const { EdgeFlagClient, Engine, inlineSource } = await import(pathToFileURL(resolve(dist, 'node.js')).href);
  const client = new EdgeFlagClient({ source: inlineSource(small), publicKeys: [key.publicHex], environment: 'bench' });
  await client.ready();
  const five = client.context(fiveAttributes);
  const units = Array.from({ length: 10_000 }, (_, i) => client.context({ targetingKey: `unit-${i}` }));
  const load = () => {
    const engine = new Engine([key.publicHex], 'bench');
    engine.loadJson(large, Date.now());
    engine.free();
  };
  return [
    ['E4 one clause', () => client.getBoolean('E4', false, five)],
    ['E6 nested and/or', () => client.getString('E6', 'a', five)],
    ['O1 50/50 split', (i) => client.getBoolean('O1', false, units[i % 10_000])],
    ['O3 semver', () => client.getBoolean('O3', false, five)],
    ['context, 5 attributes', () => client.context(fiveAttributes).free()],
    ['verify + load 1,000 flags', load],
  ].map(([name, body]) => ({ name: `${name} ${label}`, scenario: name, body }));
}

const [a, b] = [await casesOf('A', builds[0]), await casesOf('B', builds[1])];
const samples = await interleaved(a.flatMap((c, i) => [c, b[i]]));
console.log(`A ${builds[0]}\nB ${builds[1]}\n`);
for (const [i, { scenario }] of a.entries()) {
  const [ma, mb] = [median(samples.get(a[i].name)), median(samples.get(b[i].name))];
  console.log(`  ${scenario.padEnd(28)} A ${formatNs(ma).padStart(9)}   B ${formatNs(mb).padStart(9)}   B/A ${(mb / ma).toFixed(3)}`);
}
