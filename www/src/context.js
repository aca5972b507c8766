// Contexts live inside the wasm core, and JS holds their handles (numbers):
// creating one costs no wasm-bindgen object, and one that is never freed is
// closed when it is garbage-collected.
//
// Attributes, and the unit's stored sticky assignments after them, cross in
// the core's compact form (src/eval/context/compact.rs): their strings'
// UTF-8 into one buffer and their structure as 32-bit words into another,
// written here without JSON.stringify. Only values whose JSON text is
// certain take that path; anything else (a Date, a toJSON method, a class
// instance, an integer beyond ±2^53, a lone surrogate, a cycle, more values
// than a context holds…) crosses as JSON text, so both paths read exactly
// the same context.

/** Contexts awaiting registration at most; more are registered at once. */
const PENDING_LIMIT = 1024;

// The compact form's words, as the core reads them.
const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const LIST = 5;
const OBJECT = 6;
const END = 7;
/** The core's MAX_CONTEXT_DEPTH: deeper values take the JSON path, which refuses them. */
const MAX_DEPTH = 16;
/**
 * The core's MAX_CONTEXT_BYTES: a longer text (JSON, or the compact form's
 * strings) is not written, and the core refuses its length unread, so a
 * huge attribute never grows the memory. (A string word holds a length in
 * 29 bits: longer strings are refused here already.)
 */
const MAX_BYTES = 2 ** 20;
/** The length given for a text not written for being longer than MAX_BYTES. */
const TOO_LONG_LENGTH = MAX_BYTES + 1;
/**
 * The core's MAX_CONTEXT_VALUES: more take the JSON path, which refuses
 * them, rather than growing the buffers for a context bound to be refused
 * (or for a sparse array of a billion holes).
 */
const MAX_VALUES = 10_000;

/** Stored assignments as JSON text for the core, or undefined for none. */
const storedJson = (assignments) => (assignments?.length ? JSON.stringify(assignments) : undefined);

// How writing a value in the compact form went.
const WRITTEN = 0;
const NO_ROOM = 1;
const JSON_ONLY = 2;
const TOO_LONG = 3;

/**
 * The `EvalContext` class bound to one instantiated module.
 * @param {{contextInput: (capacity: number) => number, contextWords: (capacity: number) => number, openContext: (length: number, assignments?: string) => number, openCompactContext: (length: number, words: number, stored: number) => number, closeContext: (handle: number) => void, takeContextAssignmentsJson: (handle: number) => string}} glue
 * @param {WebAssembly.Memory} memory the module's memory
 */
export function evalContextClass(glue, memory) {
  const encoder = new TextEncoder();
  const float = new Float64Array(1);
  const halves = new Uint32Array(float.buffer);
  let text = new Uint8Array(0);
  let words = new Uint32Array(0);
  let textAt = 0;
  let wordsAt = 0;
  let values = 0;
  // The room a write that ran out asks for: text bytes, or words.
  let textWanted = 0;
  let wordsWanted = 0;

  /**
   * Views of the core's buffers (see `contextInput` and `contextWords`) with
   * room for `bytes` and `count` words. Both are taken after both calls:
   * either may grow memory, which detaches every view (length 0, so renewed
   * here next time), or move its buffer.
   */
  const room = (bytes, count) => {
    if (text.length >= bytes && words.length >= count) return;
    const textBytes = Math.max(bytes, text.length);
    const wordCount = Math.max(count, words.length);
    const textAddress = glue.contextInput(textBytes);
    const wordsAddress = glue.contextWords(wordCount);
    text = new Uint8Array(memory.buffer, textAddress, textBytes);
    words = new Uint32Array(memory.buffer, wordsAddress, wordCount);
  };

  /**
   * Encodes JSON text into the core's text buffer; returns its length in
   * bytes, or TOO_LONG_LENGTH (unwritten) when it is longer than MAX_BYTES.
   * Each UTF-16 unit takes one to three bytes of UTF-8.
   */
  const writeJson = (json) => {
    if (json.length > MAX_BYTES) return TOO_LONG_LENGTH;
    room(Math.min(json.length * 3, MAX_BYTES), 0);
    const { read, written } = encoder.encodeInto(json, text);
    return read < json.length ? TOO_LONG_LENGTH : written;
  };

  /** Whether `count` more words fit; when not, asks for twice the room. */
  const wordsFit = (count) => {
    if (wordsAt + count <= words.length) return true;
    wordsWanted = 2 * words.length;
    return false;
  };

  /**
   * A string's UTF-8 (at least a byte per UTF-16 unit, at most three) with
   * room for the worst case, or, once the text buffer has grown to
   * MAX_BYTES, whatever fits there.
   */
  const writeString = (string) => {
    const length = string.length;
    if (!wordsFit(1)) return NO_ROOM;
    // The text buffer never exceeds MAX_BYTES: within it, the cap is only checked where the worst case does not fit.
    if (textAt + 3 * length > text.length) {
      if (textAt + length > MAX_BYTES) return TOO_LONG;
      if (text.length < MAX_BYTES) {
        textWanted = Math.min(MAX_BYTES, Math.max(2 * text.length, textAt + 3 * length));
        return NO_ROOM;
      }
    }
    let at = textAt;
    for (let i = 0; i < length; i += 1) {
      const unit = string.charCodeAt(i);
      if (unit > 0x7f) return writeUnicode(string);
      text[at++] = unit;
    }
    words[wordsAt++] = STRING + length * 8;
    textAt = at;
    return WRITTEN;
  };

  /** A string beyond ASCII, UTF-8 encoded; one with a lone surrogate (which JSON escapes and the core refuses) goes as JSON. */
  const writeUnicode = (string) => {
    if (!string.isWellFormed?.()) return JSON_ONLY;
    const { read, written } = encoder.encodeInto(string, text.subarray(textAt));
    if (read < string.length) return TOO_LONG;
    words[wordsAt++] = STRING + written * 8;
    textAt += written;
    return WRITTEN;
  };

  const writeValue = (value, depth) => {
    if (++values > MAX_VALUES) return JSON_ONLY;
    if (!wordsFit(3)) return NO_ROOM;
    switch (typeof value) {
      case 'string':
        return writeString(value);
      case 'boolean':
        words[wordsAt++] = value ? TRUE : FALSE;
        return WRITTEN;
      case 'number':
        if (!Number.isFinite(value)) {
          words[wordsAt++] = NULL; // as JSON.stringify writes it
          return WRITTEN;
        }
        if (Number.isInteger(value) && !Number.isSafeInteger(value)) return JSON_ONLY; // its JSON digits are rounded
        float[0] = value;
        words[wordsAt] = NUMBER;
        words[wordsAt + 1] = halves[0];
        words[wordsAt + 2] = halves[1];
        wordsAt += 3;
        return WRITTEN;
      case 'object':
        if (value === null) {
          words[wordsAt++] = NULL;
          return WRITTEN;
        }
        if (depth >= MAX_DEPTH || typeof value.toJSON === 'function') return JSON_ONLY;
        switch (Object.getPrototypeOf(value)) {
          case Array.prototype:
            return writeList(value, depth);
          case Object.prototype:
          case null:
            return writeObject(value, depth);
          default:
            return JSON_ONLY;
        }
      default:
        return JSON_ONLY;
    }
  };

  const writeList = (list, depth) => {
    words[wordsAt++] = LIST;
    for (let i = 0; i < list.length; i += 1) {
      const item = list[i];
      const outcome = item === undefined ? writeValue(null, depth) : writeValue(item, depth + 1);
      if (outcome !== WRITTEN) return outcome;
    }
    return writeEnd();
  };

  /**
   * An object's own enumerable members, as JSON.stringify takes them
   * (undefined ones left out). `for…in` (2.5× faster than `Object.keys`
   * here) also takes inherited ones: `writeCompact` checks first that
   * `Object.prototype`, the only prototype let through, has none.
   */
  const writeObject = (object, depth) => {
    words[wordsAt++] = OBJECT;
    for (const key in object) {
      const value = object[key];
      if (value === undefined) continue;
      const outcome = writeString(key);
      if (outcome !== WRITTEN) return outcome;
      const valueOutcome = writeValue(value, depth + 1);
      if (valueOutcome !== WRITTEN) return valueOutcome;
    }
    return writeEnd();
  };

  const writeEnd = () => {
    if (!wordsFit(1)) return NO_ROOM;
    words[wordsAt++] = END;
    return WRITTEN;
  };

  /**
   * Stored sticky assignments after the attributes: each a flag string, a
   * variant string and a version. Only `{flag, variant, version}` objects
   * that the core's JSON reader would take (no other member, a version in
   * 0..2^32-1) are written; anything else goes as JSON, refused or not alike.
   */
  const writeAssignments = (assignments) => {
    for (const assignment of assignments) {
      if (typeof assignment !== 'object' || assignment === null || Object.getPrototypeOf(assignment) !== Object.prototype) return JSON_ONLY;
      let members = 0;
      for (const _ in assignment) members += 1;
      const { flag, variant, version } = assignment;
      if (members !== 3 || typeof flag !== 'string' || typeof variant !== 'string') return JSON_ONLY;
      if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) return JSON_ONLY;
      // WRITTEN is 0: each write runs only once the one before it was written.
      const outcome = writeString(flag) || writeString(variant) || writeValue(version, 0);
      if (outcome !== WRITTEN) return outcome;
    }
    return WRITTEN;
  };

  /** Whether `object` has enumerable members, own or inherited. */
  const enumerable = (object) => {
    for (const _ in object) return true;
    return false;
  };

  /**
   * Writes attributes and stored assignments (an array, or undefined) in the
   * compact form: WRITTEN, TOO_LONG, or JSON_ONLY where only their JSON can
   * say what they hold or where a getter among them opened a context
   * meanwhile (which wrote over the buffers).
   */
  const writeCompact = (attributes, assignments) => {
    if (enumerable(Object.prototype)) return JSON_ONLY; // polluted: for…in would read its members as attributes
    const before = opened;
    room(256, 64);
    for (;;) {
      textAt = 0;
      wordsAt = 0;
      values = 0;
      textWanted = 0;
      wordsWanted = 0;
      let outcome = writeValue(attributes, 0);
      if (outcome === WRITTEN && assignments) outcome = writeAssignments(assignments);
      if (opened !== before || text.length === 0) return JSON_ONLY;
      if (outcome !== NO_ROOM) return outcome;
      room(textWanted, wordsWanted);
    }
  };

  /** Contexts opened so far, to tell when one was opened while attributes were being written. */
  let opened = 0;

  /** Refused by the core unread: a length over its cap, for a text not written for being too long. */
  const openTooLong = () => glue.openContext(TOO_LONG_LENGTH);

  /**
   * Opens a context in the core from JSON text; returns its handle.
   * Assignments' JSON alone longer than MAX_BYTES is not passed (the string
   * would be copied into wasm memory first): the length refuses it unread.
   */
  const openJson = (json, assignments) => {
    opened += 1;
    const assignmentsJson = typeof assignments === 'string' ? assignments : storedJson(assignments);
    if (assignmentsJson?.length > MAX_BYTES) return openTooLong();
    return glue.openContext(writeJson(json), assignmentsJson);
  };

  /**
   * Opens a context in the core from attributes (any value: the core refuses
   * what is not an object) and stored assignments (an array, JSON text, or
   * undefined); returns its handle.
   */
  const open = (attributes, assignments) => {
    opened += 1;
    const stored = Array.isArray(assignments) ? assignments : undefined;
    const outcome = stored || assignments == null ? writeCompact(attributes, stored) : JSON_ONLY;
    if (outcome === WRITTEN) return glue.openCompactContext(textAt, wordsAt, stored?.length ?? 0);
    if (outcome === TOO_LONG) return openTooLong();
    // JSON.stringify answers undefined for undefined: the core refuses "null" as not an object.
    return openJson(JSON.stringify(attributes) ?? 'null', assignments);
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
    #refusal;

    /**
     * Reads attributes (an object, or its JSON text) and stored assignments
     * (`[{flag, variant, version}]`, or its JSON text); throws
     * `INVALID_CONTEXT: …` when refused, unless `keepRefused` (the client's
     * contexts): then it holds no handle and `refusal` says why.
     */
    constructor(attributes, assignments, keepRefused = false) {
      let handle = 0;
      try {
        handle = typeof attributes === 'string' ? openJson(attributes, assignments) : open(attributes, assignments);
      } catch (refusal) {
        if (!keepRefused) throw refusal;
        this.#refusal = String(refusal?.message ?? refusal);
      }
      this.#cell = { handle };
      if (!handle) return;
      if (pending.push(this) === 1) queueMicrotask(EvalContext.#registerPending);
      else if (pending.length >= PENDING_LIMIT) EvalContext.#registerPending();
    }

    /** Why the core refused the attributes (`INVALID_CONTEXT: …`), or undefined. */
    get refusal() {
      return this.#refusal;
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
  const openHandle = (attributes) => open(attributes);
  return { EvalContext, openHandle };
}
