// Browser entry: the module is streamed and compiled while it downloads.
import init, { Engine, EvalContext, detailCodesJson } from './edgeflag.js';
import { packageApi } from './package.js';

const wasm = await init({ module_or_path: new URL('./edgeflag_bg.wasm', import.meta.url) });

export const { EdgeFlagClient, readDetails, wasmMemoryBytes } = packageApi(wasm, { Engine, EvalContext, detailCodesJson });
export { Engine, EvalContext };
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
