// What every runtime's entry exports once its wasm is instantiated: the
// client, a detail reader for the low-level Engine, and memory monitoring.
import { bindClient } from './client.js';
import { detailReader } from './details.js';

/**
 * @param {{memory: WebAssembly.Memory}} wasm the instantiated module's exports
 * @param {{Engine: any, EvalContext: any, detailCodesJson: () => string}} glue wasm-bindgen's classes and functions
 */
export function packageApi(wasm, glue) {
  const codes = JSON.parse(glue.detailCodesJson());
  return {
    EdgeFlagClient: bindClient({ ...glue, codes }),
    /** Reads flags and details from a low-level `Engine` (see details.js). */
    readDetails: (engine) => detailReader(codes, engine),
    /** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
    wasmMemoryBytes: () => wasm.memory.buffer.byteLength,
  };
}
