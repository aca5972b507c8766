// Contexts live inside the wasm core, and JS holds their handles (numbers):
// creating one costs no wasm-bindgen object, and one that is never freed is
// closed when it is garbage-collected.

/**
 * The `EvalContext` class bound to one instantiated module.
 * @param {{openContext: (attributes: string, assignments?: string) => number, closeContext: (handle: number) => void, takeContextAssignmentsJson: (handle: number) => string}} glue
 */
export function evalContextClass(glue) {
  // Registered with a cell, not the handle, and without an unregister token
  // (half the cost of registering): free() empties the cell, and closing 0 is a no-op.
  const finalizer = globalThis.FinalizationRegistry ? new FinalizationRegistry((cell) => glue.closeContext(cell.handle)) : { register() {} };

  /** A context converted once into the core, reusable for many evaluations. */
  return class EvalContext {
    #cell;

    /** Reads attributes and stored assignments (JSON text); throws `INVALID_CONTEXT: …` when refused. */
    constructor(attributesJson, assignmentsJson) {
      this.#cell = { handle: glue.openContext(attributesJson, assignmentsJson) };
      finalizer.register(this, this.#cell);
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
  };
}
