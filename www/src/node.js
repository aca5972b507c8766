// Node entry: the module is read from disk and instantiated synchronously.
import { readFileSync } from 'node:fs';
import { initSync, Engine, EvalContext, detailCodesJson } from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = initSync({ module: readFileSync(new URL('./edgeflag_bg.wasm', import.meta.url)) });

export const { EdgeFlagClient, readDetails, wasmMemoryBytes } = packageApi(wasm, { Engine, EvalContext, detailCodesJson });
export { Engine, EvalContext };
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
