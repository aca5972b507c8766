// Workers entry: workerd forbids compiling wasm from bytes at run time, so the
// module is imported statically (a WebAssembly.Module) and instantiated synchronously.
import wasmModule from './edgeflag_bg.wasm';
import * as glue from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = glue.initSync({ module: wasmModule });

export const { EdgeFlagClient, FlagContext, EvalContext, readDetails, wasmMemoryBytes } = packageApi(wasm, glue);
export const { Engine } = glue;
export * from './sources.js';
export * from './sticky.js';
