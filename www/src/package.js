// What every runtime's entry exports once its wasm is instantiated: the
// client and its contexts, the low-level context and detail reader for the
// Engine, and memory monitoring.
import { bindClient } from './client.js';
import { evalContextClass } from './context.js';
import { detailReader } from './details.js';

/**
 * @param {{memory: WebAssembly.Memory}} wasm the instantiated module's exports
 * @param {{Engine: any, contextInput: Function, openContext: Function, closeContext: Function, takeContextAssignmentsJson: Function, detailCodesJson: () => string}} glue wasm-bindgen's classes and functions
 */
export function packageApi(wasm, glue) {
  const codes = JSON.parse(glue.detailCodesJson());
  const { EvalContext, openHandle } = evalContextClass(glue, wasm.memory);
  return {
    ...bindClient({ ...glue, EvalContext, openHandle, codes, memory: wasm.memory }),
    EvalContext,
    /** Reads flags and details from a low-level `Engine` (see details.js). */
    readDetails: (engine) => detailReader(codes, engine, wasm.memory),
    /** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
    wasmMemoryBytes: () => wasm.memory.buffer.byteLength,
  };
}
