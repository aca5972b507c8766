// One cold start in a fresh Node process: from nothing to the first
// evaluation — import and instantiate the package, verify and load a signed
// 200-flag snapshot, evaluate one flag. Prints milliseconds; the snapshot is
// signed before the clock starts. Usage: node bench/cold-start.mjs
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { syntheticFlags, payload } from './scenarios.mjs';

const key = testKey(61);
const envelope = signEnvelope(payload(syntheticFlags(200)), [key]);
const started = performance.now();
const { EdgeFlagClient, inlineSource } = await import('../dist/node.js');
const client = new EdgeFlagClient({ source: inlineSource(envelope), publicKeys: [key.publicHex], environment: 'bench' });
await client.ready();
const value = client.getBoolean('flag-00000', false, { targetingKey: 'user-1', tier: 'tier-1' });
const elapsed = performance.now() - started;
if (typeof value !== 'boolean') throw new Error('no evaluation');
console.log(elapsed.toFixed(2));
