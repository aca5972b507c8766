// Browser entry: the module is streamed and compiled while it downloads.
import init, { Engine, EvalContext } from './edgeflag.js';
import { bindClient } from './client.js';

await init({ module_or_path: new URL('./edgeflag_bg.wasm', import.meta.url) });

export const EdgeFlagClient = bindClient({ Engine, EvalContext });
export { Engine, EvalContext };
export { FlagContext } from './client.js';
export * from './sources.js';
export * from './sticky.js';
