// One cold start in a fresh Node process: import an SDK (by its benchmark
// adapter), load a document read from a file, evaluate one flag. The
// benchmark scaffolding (document file, test fixtures) is read before the
// clock starts, and its garbage collected: the fixtures import miniflare,
// and the collection V8 starts after it otherwise runs inside the timed
// window (it added 15-25 ms to every SDK's figure here). Prints milliseconds.
//   node --expose-gc cold-start.mjs <sdk> <document file>
import { readFileSync } from 'node:fs';
import '../../test/fixtures.mjs';
import '../scenarios.mjs';

const [sdkId, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
if (typeof gc !== 'function') throw new Error('cold-start.mjs needs node --expose-gc');
gc();
await new Promise((settled) => setTimeout(settled, 100));
const started = performance.now();
const sdk = (await import(`./sdks/${sdkId}.mjs`)).default;
const engine = await sdk.open(text);
const value = await sdk.boolean(engine, 'flag-00000', sdk.context(engine, { targetingKey: 'user-1', tier: 'tier-1' }));
const elapsed = performance.now() - started;
if (typeof value !== 'boolean') throw new Error(`${sdkId}: no evaluation`);
await sdk.close?.(engine);
console.log(elapsed.toFixed(2));
process.exit(0);
