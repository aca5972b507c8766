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
 */
export function detailReader(codes, engine) {
  const { slots } = codes;
  let flags = [];

  const flag = (index) => (flags[index] ??= deepFreeze(JSON.parse(engine.flagJson(index))));

  /** The detail in `records` at `at`, for flag `index` (-1: none). */
  function build(records, at, index) {
    const variant = records[at];
    const error = records[at + 2];
    const rule = records[at + 3];
    const bucket = records[at + 4];
    const exposure = records[at + 5];
    const failed = records[at + 6];
    const bits = records[at + 7];
    // Keys in the order the core's JSON details use.
    const detail = {};
    if (variant >= 0) {
      const { values, variants } = flag(index);
      detail.value = values[variant];
      detail.variant = variants[variant];
    }
    detail.reason = codes.reasons[records[at + 1]];
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
    if (bits & NEW_ASSIGNMENT) detail.newAssignment = { flag: flag(index).key, variant: detail.variant, version: records[at + 8] };
    return detail;
  }

  return {
    flag,
    /** One flag's detail for a context handle at `now`. */
    detail: (index, handle, now) => build(engine.detailRecord(index, handle, now), 0, index),
    /** Every flag's detail for a context handle, keyed by flag, in snapshot order (own keys, even `__proto__`). */
    all(handle, now) {
      const records = engine.evaluateAllRecords(handle, now);
      const entries = [];
      for (let index = 0; index * slots < records.length; index += 1) entries.push([flag(index).key, build(records, index * slots, index)]);
      return Object.fromEntries(entries);
    },
    reset() {
      flags = [];
    },
  };
}
