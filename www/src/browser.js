// Browser entry: the module is streamed and compiled while it downloads.
import * as glue from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = await glue.default({ module_or_path: new URL('./edgeflag_bg.wasm', import.meta.url) });

export const { EdgeFlagClient, FlagContext, EvalContext, readDetails, wasmMemoryBytes } = packageApi(wasm, glue);
export const { Engine } = glue;
export * from './sources.js';
export * from './sticky.js';
