// Workers entry: workerd forbids compiling wasm from bytes at run time, so the
// module is imported statically (a WebAssembly.Module) and instantiated synchronously.
import wasmModule from './edgeflag_bg.wasm';
import { initSync, Engine, EvalContext } from './edgeflag.js';
import { bindClient } from './client.js';

const wasm = initSync({ module: wasmModule });

export const EdgeFlagClient = bindClient({ Engine, EvalContext });
export { Engine, EvalContext };
/** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
export const wasmMemoryBytes = () => wasm.memory.buffer.byteLength;
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
