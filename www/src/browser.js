// Browser entry: the module is streamed and compiled while it downloads.
import init, { Engine, EvalContext } from './edgeflag.js';
import { bindClient } from './client.js';

const wasm = await init({ module_or_path: new URL('./edgeflag_bg.wasm', import.meta.url) });

export const EdgeFlagClient = bindClient({ Engine, EvalContext });
export { Engine, EvalContext };
/** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
export const wasmMemoryBytes = () => wasm.memory.buffer.byteLength;
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
