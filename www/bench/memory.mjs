// Prints the wasm linear memory in use after loading a synthetic snapshot of
// N flags in a fresh module instance: node bench/memory.mjs N
import { Engine } from '../dist/node.js';
import { initSync } from '../dist/edgeflag.js';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { syntheticFlags, payload } from './scenarios.mjs';

const count = Number(process.argv[2] ?? 1000);
const key = testKey(61);
const bytes = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(count)), [key]));
const engine = new Engine([key.publicHex], 'bench');
engine.load(bytes, Date.now());
// The module is instantiated already; initSync hands back its exports, memory included.
console.log(initSync().memory.buffer.byteLength);
