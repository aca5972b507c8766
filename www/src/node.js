// Node entry: the module is read from disk and instantiated synchronously.
import { readFileSync } from 'node:fs';
import { initSync, Engine, EvalContext } from './edgeflag.js';
import { bindClient } from './client.js';

const wasm = initSync({ module: readFileSync(new URL('./edgeflag_bg.wasm', import.meta.url)) });

export const EdgeFlagClient = bindClient({ Engine, EvalContext });
export { Engine, EvalContext };
/** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
export const wasmMemoryBytes = () => wasm.memory.buffer.byteLength;
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
