// Prints the wasm linear memory in use after loading a synthetic snapshot of
// N flags in a fresh module instance: node bench/memory.mjs N
import { Engine, wasmMemoryBytes } from '../dist/node.js';
import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { syntheticFlags, payload } from './scenarios.mjs';

const count = Number(process.argv[2] ?? 1000);
const key = testKey(61);
const bytes = new TextEncoder().encode(signEnvelope(payload(syntheticFlags(count)), [key]));
const engine = new Engine([key.publicHex], 'bench');
engine.loadJson(bytes, Date.now());
console.log(wasmMemoryBytes());
