// Workers entry: workerd forbids compiling wasm from bytes at run time, so the
// module is imported statically (a WebAssembly.Module) and instantiated synchronously.
import wasmModule from './edgeflag_bg.wasm';
import { initSync, Engine, EvalContext, detailCodesJson } from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = initSync({ module: wasmModule });

export const { EdgeFlagClient, readDetails, wasmMemoryBytes } = packageApi(wasm, { Engine, EvalContext, detailCodesJson });
export { Engine, EvalContext };
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
