// Contexts live inside the wasm core, and JS holds their handles (numbers):
// creating one costs no wasm-bindgen object, and one that is never freed is
// closed when it is garbage-collected.

/** Contexts awaiting registration at most; more are registered at once. */
const PENDING_LIMIT = 1024;

/**
 * The `EvalContext` class bound to one instantiated module.
 * @param {{contextInput: (capacity: number) => number, openContext: (length: number, assignments?: string) => number, closeContext: (handle: number) => void, takeContextAssignmentsJson: (handle: number) => string}} glue
 * @param {WebAssembly.Memory} memory the module's memory
 */
export function evalContextClass(glue, memory) {
  const encoder = new TextEncoder();
  let input = new Uint8Array(0);
  /** Encodes `text` into the core's input buffer (see `contextInput`); returns the bytes written. */
  const writeInput = (text) => {
    const needed = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    // A view of a grown memory's old buffer is detached and has length 0.
    if (input.length < needed) {
      const address = glue.contextInput(needed); // may grow memory: read memory.buffer after
      input = new Uint8Array(memory.buffer, address, needed);
    }
    return encoder.encodeInto(text, input).written;
  };

  // Registered with a cell, not the handle, and without an unregister token
  // (half the cost of registering): free() empties the cell, and closing 0 is a no-op.
  const finalizer = globalThis.FinalizationRegistry ? new FinalizationRegistry((cell) => glue.closeContext(cell.handle)) : { register() {} };
  // Registering costs more than evaluating a flag, and most contexts (one per
  // request) are freed in the task that created them. So registration waits
  // for the end of the task, holding the context meanwhile (it cannot be
  // collected unregistered), and a context freed by then skips it.
  let pending = [];

  /** A context converted once into the core, reusable for many evaluations. */
  class EvalContext {
    #cell;

    /** Reads attributes and stored assignments (JSON text); throws `INVALID_CONTEXT: …` when refused. */
    constructor(attributesJson, assignmentsJson) {
      this.#cell = { handle: glue.openContext(writeInput(attributesJson), assignmentsJson) };
      if (pending.push(this) === 1) queueMicrotask(EvalContext.#registerPending);
      else if (pending.length >= PENDING_LIMIT) EvalContext.#registerPending();
    }

    static #registerPending() {
      const contexts = pending;
      pending = [];
      for (const context of contexts) if (context.#cell.handle) finalizer.register(context, context.#cell);
    }

    /** The core's handle, for `Engine` calls; 0 once freed. */
    get handle() {
      return this.#cell.handle;
    }

    /** JSON text of the sticky assignments made since the last call. */
    takeAssignmentsJson() {
      return glue.takeContextAssignmentsJson(this.#cell.handle);
    }

    /** Releases the context in the core; evaluating it afterwards answers the caller's default. */
    free() {
      glue.closeContext(this.#cell.handle);
      this.#cell.handle = 0;
    }
  }

  /** Opens a context in the core without a JS object (closed by the caller with `glue.closeContext`). */
  const openHandle = (attributesJson) => glue.openContext(writeInput(attributesJson));
  return { EvalContext, openHandle };
}
