// Details built in JS from the core's numeric detail records: the core
// answers with numbers (variant, reason, rule, bucket, …) and the names they
// stand for come from each flag's description, read once per snapshot.

const STICKY = 1;
const UNIT_MISSING = 2;
const NEW_ASSIGNMENT = 4;

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads flags and details from one engine. `flag(index)` is the flag's
 * `{key, values, variants, rules, constant, timed}` (see `flagJson`; values
 * frozen); call `reset()` whenever the engine serves another snapshot.
 * @param {{slots: number, reasons: string[], errors: {code: string, message: string}[]}} codes the record layout (`detailCodesJson`)
 * @param {any} engine
 * @param {WebAssembly.Memory} memory the module's memory, where the engine leaves a flag's record (`recordAddress`)
 */
export function detailReader(codes, engine, memory) {
  const { slots } = codes;
  const address = engine.recordAddress();
  let flags = [];
  let latest = new Float64Array(0);

  const flag = (index) => (flags[index] ??= deepFreeze(JSON.parse(engine.flagJson(index))));

  /** The view of the engine's record; a view of a grown memory's old buffer is detached and has length 0. */
  const record = () => {
    if (latest.length === 0) latest = new Float64Array(memory.buffer, address, slots);
    return latest;
  };

  /**
   * The detail in `records` at `at`, for flag `index` (-1: none). Every
   * number is read before `flag()`, which may grow memory (detaching a view).
   */
  function build(records, at, index) {
    const variant = records[at];
    const reason = records[at + 1];
    const error = records[at + 2];
    const rule = records[at + 3];
    const bucket = records[at + 4];
    const exposure = records[at + 5];
    const failed = records[at + 6];
    const bits = records[at + 7];
    const version = records[at + 8];
    // Keys in the order the core's JSON details use.
    const detail = {};
    if (variant >= 0) {
      const { values, variants } = flag(index);
      detail.value = values[variant];
      detail.variant = variants[variant];
    }
    detail.reason = codes.reasons[reason];
    if (error >= 0) {
      detail.errorCode = codes.errors[error].code;
      detail.errorMessage = codes.errors[error].message;
    }
    if (rule >= 0) detail.ruleId = flag(index).rules[rule];
    if (bucket >= 0) detail.bucket = bucket;
    if (exposure >= 0) detail.exposure = exposure;
    if (failed >= 0) detail.failedPrerequisite = flag(failed).key;
    if (bits & STICKY) detail.sticky = true;
    if (bits & UNIT_MISSING) detail.unitMissing = true;
    if (bits & NEW_ASSIGNMENT) detail.newAssignment = { flag: flag(index).key, variant: detail.variant, version };
    return detail;
  }

  return {
    flag,
    /** One flag's detail for a context handle at `now`. */
    detail(index, handle, now) {
      engine.detailRecord(index, handle, now);
      return build(record(), 0, index);
    },
    /**
     * Every flag's detail for a context handle, keyed by flag, in snapshot
     * order (own keys, even `__proto__`). Assigned one by one: four times
     * faster than `Object.fromEntries` for a hundred flags.
     */
    all(handle, now) {
      const records = engine.evaluateAllRecords(handle, now);
      let details = {};
      for (let index = 0; index * slots < records.length; index += 1) {
        const key = flag(index).key;
        const detail = build(records, index * slots, index);
        // A spread defines the key (a computed one is not the prototype); assigning `__proto__` would set the prototype.
        if (key === '__proto__') details = { ...details, [key]: detail };
        else details[key] = detail;
      }
      return details;
    },
    reset() {
      flags = [];
    },
  };
}
