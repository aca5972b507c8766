// Vercel Edge entry (the `edge-light` condition): like Workers, Vercel's edge
// forbids compiling wasm from bytes at run time, and its bundlers (Next.js,
// Vercel's functions builder) hand a `.wasm?module` import over as a compiled
// WebAssembly.Module, instantiated here synchronously.
import wasmModule from './edgeflag_bg.wasm?module';
import * as glue from './edgeflag.js';
import { packageApi } from './package.js';

// Local emulators (Vercel's edge-runtime) compile the module in another realm
// than the function's, where wasm-bindgen's `instanceof` check would take it
// for bytes to compile: it is given the function realm's prototype.
if (!(wasmModule instanceof WebAssembly.Module)) Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype);
const wasm = glue.initSync({ module: wasmModule });

export const { EdgeFlagClient, FlagContext, EvalContext, readDetails, wasmMemoryBytes } = packageApi(wasm, glue);
export const { Engine } = glue;
export * from './sources.js';
export * from './sticky.js';
