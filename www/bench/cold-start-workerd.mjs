// Cold start in workerd: a fresh workerd (miniflare) per run, from creating
// it to the first response, for a worker that loads a signed 200-flag
// snapshot and evaluates one flag, and for a baseline worker without
// edgeflag; their difference is what edgeflag adds to a cold start (module
// compile and instantiate, verify, load, first evaluation). Loopback only.
//   node bench/cold-start-workerd.mjs [RUNS]
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { syntheticFlags, payload } from './scenarios.mjs';
import { median, spread } from './timing.mjs';
import { packageWorker } from '../scripts/workerd.mjs';

const runs = Number(process.argv[2] ?? 7);
const key = testKey(61);
const bindings = { SNAPSHOT: signEnvelope(payload(syntheticFlags(200)), [key]), PUBLIC_KEY: key.publicHex };

/** Milliseconds from a new workerd to the first response of `script`; checks the answer. */
async function coldStart(script) {
  const started = performance.now();
  const mf = packageWorker(new URL(script, import.meta.url), { bindings });
  try {
    const { value } = await (await mf.dispatchFetch('http://localhost/')).json();
    if (typeof value !== 'boolean') throw new Error(`${script}: no evaluation`);
    return performance.now() - started;
  } finally {
    await mf.dispose();
  }
}

const samples = { edgeflag: [], baseline: [] };
for (let i = 0; i < runs; i += 1) {
  samples.edgeflag.push(await coldStart('./workerd/edgeflag-worker.js'));
  samples.baseline.push(await coldStart('./workerd/baseline-worker.js'));
}
const added = samples.edgeflag.map((t, i) => t - samples.baseline[i]);
console.log(`Cold start in workerd (${runs} fresh workerd processes each, interleaved)`);
console.log(`  edgeflag worker, to first evaluation   ${median(samples.edgeflag).toFixed(1).padStart(7)} ms   (spread ${spread(samples.edgeflag)})`);
console.log(`  baseline worker, to first response     ${median(samples.baseline).toFixed(1).padStart(7)} ms   (spread ${spread(samples.baseline)})`);
console.log(`  added by edgeflag (paired difference)  ${median(added).toFixed(1).padStart(7)} ms   (spread ${spread(added)})`);
