// Node entry: the module is read from disk and instantiated synchronously.
import { readFileSync } from 'node:fs';
import * as glue from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = glue.initSync({ module: readFileSync(new URL('./edgeflag_bg.wasm', import.meta.url)) });

export const { EdgeFlagClient, FlagContext, EvalContext, readDetails, wasmMemoryBytes } = packageApi(wasm, glue);
export const { Engine } = glue;
export * from './sources.js';
export * from './sticky.js';
