//! WebAssembly bindings (wasm-bindgen). A snapshot crosses the boundary once
//! as bytes and is verified and compiled here; a context crosses once (in the
//! compact form the shim writes, or as JSON text) into a handle (a number,
//! see [`crate::contexts`]) that many evaluations reuse; flags are addressed
//! by index. An evaluation answers with numbers only: the served variant's
//! index for typed getters, or a detail record (see [`RECORD_SLOTS`]) that
//! the shim turns into an OpenFeature-style detail with the flag's names,
//! fetched once per snapshot (`flagJson`).

use crate::contexts::{self, EvalContext};
use crate::eval::context::compact;
use crate::eval::context::MAX_CONTEXT_BYTES;
use crate::eval::{Assignment, Assignments, Context, ContextError, Detail, ErrorCode, Reason};
use crate::json::write::{to_string as to_json, Object, ToJson};
use crate::model::decode::decode_assignments;
use crate::time::EpochMillis;
use crate::{Engine, FlagId, Keyring, Policy, Snapshot, SnapshotError};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The host's `JSON.parse`, to hand JS a plain object without js-sys.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn parse_json(text: &str) -> JsValue;
}

/// The error thrown to JS when a snapshot is refused: `{check, message}`.
fn refusal(error: &SnapshotError) -> JsValue {
    let message = error.to_string();
    parse_json(&to_json(&Object(&[("check", &error.check()), ("message", &message)])))
}

/// The serving snapshot and its verifier (`Engine` in JS).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    engine: Engine,
    generation: u32,
    /// The latest detail record, where JS reads it (`recordAddress`): no
    /// allocation and no copy into a new typed array per detail.
    record: Box<Cell<Record>>,
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Creates an engine trusting `publicKeys` (hex) for `environment`.
    /// `threshold`, `skewMs`, `maxBytes`, `versionFloor` and `maxStaleMs` may
    /// be undefined for the defaults (see `Policy`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        public_keys: Vec<String>,
        environment: String,
        threshold: Option<u32>,
        skew_ms: Option<f64>,
        max_bytes: Option<f64>,
        version_floor: Option<f64>,
        max_stale_ms: Option<f64>,
    ) -> Result<WasmEngine, JsError> {
        let keyring = Keyring::from_hex(&public_keys)?.with_threshold(threshold.unwrap_or(1) as usize)?;
        let defaults = Policy::new(environment);
        let policy = Policy {
            skew_ms: skew_ms.map_or(defaults.skew_ms, |s| s as i64),
            max_bytes: max_bytes.map_or(defaults.max_bytes, |b| b as usize),
            version_floor: version_floor.map(|v| v as u64),
            max_stale_ms: max_stale_ms.map(|ms| ms as i64),
            ..defaults
        };
        Ok(WasmEngine { engine: Engine::new(keyring, policy), generation: 0, record: Box::default() })
    }

    /// Verifies and serves a signed envelope and returns the keys of the flags
    /// it changed as JSON text of an array (one string crosses, not one per
    /// flag); on refusal throws `{check, message}` and keeps serving the
    /// previous snapshot.
    #[wasm_bindgen(js_name = loadJson)]
    pub fn load_json(&mut self, envelope: &[u8], now: f64) -> Result<String, JsValue> {
        let report = self.engine.load(envelope, now as i64).map_err(|e| refusal(&e))?;
        self.generation += 1;
        Ok(to_json(&report.changed))
    }

    /// Throws the `size` refusal `loadJson` would for an envelope of `length`
    /// bytes: run first, it keeps an oversized envelope out of the module's
    /// memory (wasm-bindgen copies `loadJson`'s bytes in before any check).
    #[wasm_bindgen(js_name = checkSize)]
    pub fn check_size(&self, length: f64) -> Result<(), JsValue> {
        self.engine.policy().check_size(length as usize).map_err(|e| refusal(&e))
    }

    /// The envelope size cap in bytes (the `maxBytes` given, or the core's
    /// default): sources are told it, so as not to download a longer envelope.
    #[wasm_bindgen(getter, js_name = maxBytes)]
    pub fn max_bytes(&self) -> f64 {
        self.engine.policy().max_bytes as f64
    }

    /// Serves a payload WITHOUT verifying signatures, environment, expiry or
    /// version: for tests and local development only.
    #[wasm_bindgen(js_name = loadUnverifiedPayloadJson)]
    pub fn load_unverified_payload_json(&mut self, payload: &[u8]) -> Result<String, JsValue> {
        let report = self.engine.load_unverified_payload(payload).map_err(|e| refusal(&e))?;
        self.generation += 1;
        Ok(to_json(&report.changed))
    }

    /// Stops serving and drops the snapshot now, not when JS collects this
    /// object (see `Engine::unload`); evaluations then answer as before the
    /// first load.
    pub fn unload(&mut self) {
        self.engine.unload();
        self.generation += 1;
    }

    /// Counts successful loads and unloads; flag indices are valid within one generation.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// JSON `{environment, version, issuedAt, expiresAt, flagCount}` of the serving snapshot, or `null`.
    #[wasm_bindgen(js_name = metaJson)]
    pub fn meta_json(&self) -> String {
        let Some(snapshot) = self.engine.snapshot() else { return "null".to_owned() };
        let meta = snapshot.meta();
        to_json(&Object(&[
            ("environment", &meta.environment),
            ("version", &meta.version),
            ("issuedAt", &meta.issued_at),
            ("expiresAt", &meta.expires_at),
            ("flagCount", &snapshot.flag_count()),
        ]))
    }

    /// The flag keys of the serving snapshot, in order.
    #[wasm_bindgen(js_name = flagKeys)]
    pub fn flag_keys(&self) -> Vec<String> {
        self.engine.snapshot().map_or_else(Vec::new, |s| s.flag_keys().map(str::to_owned).collect())
    }

    /// The index of a flag in the serving snapshot, or -1.
    #[wasm_bindgen(js_name = flagIndex)]
    pub fn flag_index(&self, key: &str) -> i32 {
        self.engine.snapshot().and_then(|s| s.flag_id(key)).map_or(-1, |id| id.0 as i32)
    }

    /// JSON text `{key, values, variants, rules, constant, timed}` of a flag:
    /// its key, its variant values and names (what variant indices index), its
    /// rule ids (what rule indices index), the variant it serves to every
    /// context at every time or `null` (see `Snapshot::constant_variant`), and
    /// whether its value can change with the evaluation time (see
    /// `Snapshot::depends_on_time`; every flag's can where the policy stops
    /// answering from an expired snapshot). `null` for an unknown index.
    #[wasm_bindgen(js_name = flagJson)]
    pub fn flag_json(&self, index: i32) -> String {
        let Some(snapshot) = self.engine.snapshot() else { return "null".to_owned() };
        let Some(id) = valid_id(snapshot, index) else { return "null".to_owned() };
        let expiry_ends_answers = self.engine.policy().max_stale_ms.is_some();
        to_json(&Object(&[
            ("key", &snapshot.flag_key(id).unwrap_or_default()),
            ("values", &snapshot.variant_values(id).collect::<Vec<_>>()),
            ("variants", &snapshot.variant_names(id).collect::<Vec<_>>()),
            ("rules", &snapshot.rule_ids(id).collect::<Vec<_>>()),
            ("constant", &snapshot.constant_variant(id).filter(|_| !expiry_ends_answers)),
            ("timed", &(expiry_ends_answers || snapshot.depends_on_time(id))),
        ]))
    }

    /// Evaluates a flag for the context `handle` and returns the index of the
    /// variant served (into `flagJson`'s variants), or -1 when the caller's
    /// default stands (no snapshot answering at `now`, an unknown index or
    /// handle, an error). The typed getters' one call: no strings cross.
    #[wasm_bindgen(js_name = variantIndex)]
    pub fn variant_index(&self, index: i32, handle: f64, now: f64) -> i32 {
        let Some(snapshot) = self.engine.snapshot_at(now as EpochMillis) else { return -1 };
        let Some(id) = valid_id(snapshot, index) else { return -1 };
        contexts::with(handle, |context| context.evaluate(snapshot, id, now).variant_id.map_or(-1, i32::from)).unwrap_or(-1)
    }

    /// Where [`WasmEngine::detail_record`] leaves its record: the address in
    /// linear memory of [`RECORD_SLOTS`] f64s, fixed for the engine's life.
    #[wasm_bindgen(js_name = recordAddress)]
    pub fn record_address(&self) -> u32 {
        self.record.as_ptr() as u32
    }

    /// Evaluates a flag for the context `handle` and leaves its detail record
    /// (see [`RECORD_SLOTS`]) at `recordAddress`.
    #[wasm_bindgen(js_name = detailRecord)]
    pub fn detail_record(&self, index: i32, handle: f64, now: f64) {
        self.record.set(self.evaluate_record(index, handle, now));
    }

    fn evaluate_record(&self, index: i32, handle: f64, now: f64) -> Record {
        let Some(snapshot) = self.engine.snapshot_at(now as EpochMillis) else { return record(None, &Detail::error(ErrorCode::General)) };
        let Some(id) = valid_id(snapshot, index) else { return record(None, &Detail::error(ErrorCode::FlagNotFound)) };
        contexts::with(handle, |context| record(Some((snapshot, id)), &context.evaluate(snapshot, id, now)))
            .unwrap_or_else(|| record(None, &Detail::error(ErrorCode::InvalidContext)))
    }

    /// Evaluates every flag for the context `handle`, in snapshot order, and
    /// returns their detail records one after the other (flag i's at
    /// `i * RECORD_SLOTS`); none without a snapshot answering at `now` or for
    /// an unknown handle.
    #[wasm_bindgen(js_name = evaluateAllRecords)]
    pub fn evaluate_all_records(&self, handle: f64, now: f64) -> Box<[f64]> {
        let Some(snapshot) = self.engine.snapshot_at(now as EpochMillis) else { return Box::new([]) };
        let mut records = Vec::with_capacity(snapshot.flag_count() * RECORD_SLOTS);
        contexts::with(handle, |context| {
            for i in 0..snapshot.flag_count() {
                let id = FlagId(i as u32);
                records.extend_from_slice(&record(Some((snapshot, id)), &context.evaluate(snapshot, id, now)));
            }
        });
        records.into_boxed_slice()
    }
}

/// Numbers per detail record: the served variant's index, the reason's and
/// the error code's positions in `detailCodesJson`, the deciding rule's index,
/// the bucket, the exposure, the failed prerequisite's flag index (each -1
/// when absent), flag bits (1 sticky, 2 unit missing, 4 new assignment), and
/// the new assignment's sticky version (-1).
pub const RECORD_SLOTS: usize = 9;

/// One detail record.
type Record = [f64; RECORD_SLOTS];

/// The record of `detail`, an evaluation of `flag` (none when it failed before reaching one).
#[inline]
fn record(flag: Option<(&Snapshot, FlagId)>, detail: &Detail<'_>) -> Record {
    let position = |found: Option<usize>| found.map_or(-1.0, |i| i as f64);
    let rule = detail.rule_id.and_then(|ruled| flag.and_then(|(s, id)| s.rule_ids(id).position(|rule| rule == ruled)));
    let failed = detail.failed_prerequisite.and_then(|key| flag.and_then(|(s, _)| s.flag_id(key)));
    let bits = u8::from(detail.sticky) | u8::from(detail.unit_missing) << 1 | u8::from(detail.new_assignment.is_some()) << 2;
    [
        detail.variant_id.map_or(-1.0, f64::from),
        position(Reason::ALL.iter().position(|&r| r == detail.reason)),
        position(detail.error.and_then(|e| ErrorCode::ALL.iter().position(|&c| c == e))),
        position(rule),
        detail.bucket.map_or(-1.0, f64::from),
        detail.exposure.map_or(-1.0, f64::from),
        position(failed.map(|id| id.0 as usize)),
        f64::from(bits),
        detail.new_assignment.map_or(-1.0, |a| f64::from(a.version)),
    ]
}

/// JSON text `{slots, reasons, errors: [{code, message}]}`: the numbers per
/// detail record, and the names its reason and error positions stand for.
#[wasm_bindgen(js_name = detailCodesJson)]
pub fn detail_codes_json() -> String {
    /// An error code with its message.
    struct Code(ErrorCode);
    impl ToJson for Code {
        fn write_json(&self, out: &mut String) {
            Object(&[("code", &self.0.as_str()), ("message", &self.0.message())]).write_json(out);
        }
    }
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    let errors: Vec<Code> = ErrorCode::ALL.iter().map(|&e| Code(e)).collect();
    to_json(&Object(&[("slots", &RECORD_SLOTS), ("reasons", &reasons), ("errors", &errors)]))
}

fn valid_id(snapshot: &Snapshot, index: i32) -> Option<FlagId> {
    usize::try_from(index).ok().filter(|&i| i < snapshot.flag_count()).map(|i| FlagId(i as u32))
}

thread_local! {
    /// Where JS writes a context's JSON, or its compact form's text, before
    /// `openContext` or `openCompactContext` reads it.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Where JS writes a compact form's words (see [`crate::eval::context::compact`]).
    static WORDS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// The address of a buffer of at least `capacity` bytes for a context's
/// JSON or compact text. JS writes the text straight into it (JSON with one
/// `TextEncoder.encodeInto`, about a quarter of the cost of wasm-bindgen's
/// string passing for a typical context; the compact form's strings byte by
/// byte) and keeps the address until it needs more room or memory grows.
/// The buffer keeps the largest capacity asked for.
#[wasm_bindgen(js_name = contextInput)]
pub fn context_input(capacity: usize) -> usize {
    INPUT.with_borrow_mut(|input| reserve(input, capacity))
}

/// The address of a buffer of at least `capacity` 32-bit words for a
/// compact form's structure; kept like [`context_input`]'s.
#[wasm_bindgen(js_name = contextWords)]
pub fn context_words(capacity: usize) -> usize {
    WORDS.with_borrow_mut(|words| reserve(words, capacity))
}

/// Grows `buffer` to at least `capacity` items (never shrinks it); its address.
fn reserve<T: Copy + Default>(buffer: &mut Vec<T>, capacity: usize) -> usize {
    buffer.resize(capacity.max(buffer.len()), T::default());
    buffer.as_mut_ptr() as usize
}

/// Opens a context: the `length` bytes of JSON (an object) written at
/// `contextInput`, and `assignments` (JSON text of `[{flag, variant,
/// version}]`, or undefined), read once for many evaluations. Returns its
/// handle, or throws `INVALID_CONTEXT: …` when refused. Close it with
/// `closeContext`. The assignments' text counts towards the context's
/// [`MAX_CONTEXT_BYTES`], as their strings do in the compact form.
#[wasm_bindgen(js_name = openContext)]
pub fn open_context(length: usize, assignments: Option<String>) -> Result<f64, JsError> {
    if length.saturating_add(assignments.as_ref().map_or(0, String::len)) > MAX_CONTEXT_BYTES {
        return Err(invalid(ContextError::TooLong.to_string()));
    }
    let stored = match assignments {
        None => Assignments::new(),
        Some(text) => {
            let decoded = decode_assignments(&text).map_err(|e| invalid(format!("assignments: {}", e[0])))?;
            decoded.into_iter().map(|(flag, variant, version)| Assignment { flag, variant, version }).collect()
        }
    };
    let mut stored = Some(stored);
    open(length, &mut |context, json| context.read_json(json).map(|()| stored.take().unwrap_or_default()))
}

/// Opens a context from its compact form: `length` bytes of text written at
/// `contextInput` and `words` words at `contextWords`, holding the
/// attributes and then `stored` assignments. As `openContext` otherwise.
#[wasm_bindgen(js_name = openCompactContext)]
pub fn open_compact_context(length: usize, words: usize, stored: usize) -> Result<f64, JsError> {
    WORDS.with_borrow(|written| {
        let written = written.get(..words).ok_or_else(|| invalid(format!("{words} words were not written")))?;
        open(length, &mut |context, text| {
            let end = context.read_compact_attributes(text, written)?;
            Ok(compact::assignments(text, written, end, stored)?.into_iter().collect())
        })
    })
}

/// Opens a context whose attributes and stored assignments `read` takes from
/// the `length` bytes at `contextInput`. A length beyond
/// [`MAX_CONTEXT_BYTES`] is refused unread: JS gives the length of a text it
/// did not write for being too long. One body for both forms (a `dyn`
/// reader): inlined into each binding, it cost the module 3.5 KB.
fn open(length: usize, read: &mut dyn FnMut(&mut Context, &str) -> Result<Assignments, ContextError>) -> Result<f64, JsError> {
    if length > MAX_CONTEXT_BYTES {
        return Err(invalid(ContextError::TooLong.to_string()));
    }
    INPUT.with_borrow(|input| {
        let bytes = input.get(..length).ok_or_else(|| invalid(format!("{length} bytes were not written")))?;
        let text = std::str::from_utf8(bytes).map_err(|e| invalid(e.to_string()))?;
        contexts::open(|context| read(context, text)).map_err(|error| invalid(error.to_string()))
    })
}

/// The error thrown when a context is refused: `INVALID_CONTEXT: why`.
fn invalid(why: String) -> JsError {
    JsError::new(&format!("{}: {why}", ErrorCode::InvalidContext))
}

/// Closes a context, keeping its slot for the next; unknown or closed handles are ignored.
#[wasm_bindgen(js_name = closeContext)]
pub fn close_context(handle: f64) {
    contexts::close(handle);
}

/// The assignments a context made since the last call, to persist, as JSON
/// text `[{flag, variant, version}]` (`[]` for an unknown handle).
#[wasm_bindgen(js_name = takeContextAssignmentsJson)]
pub fn take_context_assignments_json(handle: f64) -> String {
    to_json(&contexts::with(handle, EvalContext::take_fresh).unwrap_or_default())
}
