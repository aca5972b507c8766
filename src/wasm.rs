//! WebAssembly bindings (wasm-bindgen). A snapshot crosses the boundary once
//! as bytes and is verified and compiled here; a context is converted once
//! into a handle that many evaluations reuse; flags are addressed by index;
//! typed getters return plain JS values.

use crate::eval::{Assignment, Assignments, Context, Detail, ErrorCode, Input};
use crate::{Engine, FlagId, Keyring, Policy, SnapshotError, SnapshotMeta};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// The error object handed to JS when a snapshot is refused: `{check, message}`.
#[derive(Serialize)]
struct Refusal {
    check: &'static str,
    message: String,
}

fn refusal(error: &SnapshotError) -> JsValue {
    to_js(&Refusal { check: error.check(), message: error.to_string() })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetaView<'a> {
    environment: &'a str,
    version: f64,
    issued_at: f64,
    expires_at: f64,
    flag_count: usize,
}

/// Options of the verifier, as passed from JS.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct EngineOptions {
    threshold: Option<usize>,
    skew_ms: Option<f64>,
    max_bytes: Option<usize>,
    version_floor: Option<f64>,
}

/// The serving snapshot and its verifier (`Engine` in JS).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    engine: Engine,
    generation: u32,
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Creates an engine trusting `publicKeys` (hex) for `environment`.
    #[wasm_bindgen(constructor)]
    pub fn new(public_keys: Vec<String>, environment: String, options: JsValue) -> Result<WasmEngine, JsError> {
        let options: EngineOptions =
            if options.is_undefined() || options.is_null() { EngineOptions::default() } else { serde_wasm_bindgen::from_value(options)? };
        let keyring = Keyring::from_hex(&public_keys)?.with_threshold(options.threshold.unwrap_or(1))?;
        let defaults = Policy::new(environment);
        let policy = Policy {
            skew_ms: options.skew_ms.map_or(defaults.skew_ms, |s| s as i64),
            max_bytes: options.max_bytes.unwrap_or(defaults.max_bytes),
            version_floor: options.version_floor.map(|v| v as u64),
            ..defaults
        };
        Ok(WasmEngine { engine: Engine::new(keyring, policy), generation: 0 })
    }

    /// Verifies and serves a signed envelope and returns the keys of the flags
    /// it changed; on refusal throws `{check, message}` and keeps serving the
    /// previous snapshot.
    pub fn load(&mut self, envelope: &[u8], now: f64) -> Result<Vec<String>, JsValue> {
        let report = self.engine.load(envelope, now as i64).map_err(|e| refusal(&e))?;
        self.generation += 1;
        Ok(report.changed)
    }

    /// Serves a payload WITHOUT verifying signatures, environment, expiry or
    /// version: for tests and local development only.
    #[wasm_bindgen(js_name = loadUnverifiedPayload)]
    pub fn load_unverified_payload(&mut self, payload: &[u8]) -> Result<Vec<String>, JsValue> {
        let report = self.engine.load_unverified_payload(payload).map_err(|e| refusal(&e))?;
        self.generation += 1;
        Ok(report.changed)
    }

    /// Counts successful loads; flag indices are valid within one generation.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// `{environment, version, issuedAt, expiresAt, flagCount}` of the serving snapshot, or null.
    pub fn meta(&self) -> JsValue {
        self.engine.snapshot().map_or(JsValue::NULL, |s| meta_view(s.meta(), s.flag_count()))
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

    /// A boolean flag's value, or `fallback` on any error.
    #[wasm_bindgen(js_name = getBoolean)]
    pub fn get_boolean(&self, index: i32, context: &mut EvalContext, fallback: bool, now: f64) -> bool {
        self.typed(index, context, now).and_then(|v| v.as_bool()).unwrap_or(fallback)
    }

    /// A string flag's value, or `fallback` on any error.
    #[wasm_bindgen(js_name = getString)]
    pub fn get_string(&self, index: i32, context: &mut EvalContext, fallback: String, now: f64) -> String {
        self.typed(index, context, now).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or(fallback)
    }

    /// A number flag's value, or `fallback` on any error.
    #[wasm_bindgen(js_name = getNumber)]
    pub fn get_number(&self, index: i32, context: &mut EvalContext, fallback: f64, now: f64) -> f64 {
        self.typed(index, context, now).and_then(|v| v.as_f64()).unwrap_or(fallback)
    }

    /// An object flag's value, or `fallback` on any error.
    #[wasm_bindgen(js_name = getObject)]
    pub fn get_object(&self, index: i32, context: &mut EvalContext, fallback: JsValue, now: f64) -> JsValue {
        self.typed(index, context, now).filter(|v| v.is_object()).map_or(fallback, to_js)
    }

    /// The full detail of one evaluation, as a plain object.
    pub fn detail(&self, index: i32, context: &mut EvalContext, now: f64) -> JsValue {
        let Some(snapshot) = self.engine.snapshot() else { return to_js(&Detail::error(ErrorCode::General)) };
        let Some(id) = valid_id(snapshot, index) else { return to_js(&Detail::error(ErrorCode::FlagNotFound)) };
        let detail = snapshot.evaluate_id(id, &context.input(now));
        context.remember(&detail);
        to_js(&detail)
    }

    /// Every flag's detail, as an object keyed by flag.
    #[wasm_bindgen(js_name = evaluateAll)]
    pub fn evaluate_all(&self, context: &mut EvalContext, now: f64) -> JsValue {
        let Some(snapshot) = self.engine.snapshot() else { return js_sys::Object::new().into() };
        let details = snapshot.evaluate_all(&context.input(now));
        details.iter().for_each(|(_, d)| context.remember(d));
        to_js(&InOrder(&details))
    }

    fn typed(&self, index: i32, context: &mut EvalContext, now: f64) -> Option<&serde_json::Value> {
        let snapshot = self.engine.snapshot()?;
        let detail = snapshot.evaluate_id(valid_id(snapshot, index)?, &context.input(now));
        context.remember(&detail);
        detail.value
    }
}

/// Flag details serialised as one object whose keys keep the snapshot's order.
struct InOrder<'a>(&'a [(&'a str, Detail<'a>)]);

impl Serialize for InOrder<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, detail)| (key, detail)))
    }
}

fn valid_id(snapshot: &crate::Snapshot, index: i32) -> Option<FlagId> {
    usize::try_from(index).ok().filter(|&i| i < snapshot.flag_count()).map(|i| FlagId(i as u32))
}

fn meta_view(meta: &SnapshotMeta, flag_count: usize) -> JsValue {
    to_js(&MetaView {
        environment: &meta.environment,
        version: meta.version as f64,
        issued_at: meta.issued_at as f64,
        expires_at: meta.expires_at as f64,
        flag_count,
    })
}

/// A context converted once for many evaluations, with the unit's stored
/// sticky assignments and the new ones made while evaluating.
#[wasm_bindgen]
pub struct EvalContext {
    context: Context,
    assignments: Assignments,
    fresh: Vec<Assignment>,
}

#[wasm_bindgen]
impl EvalContext {
    /// Converts `attributes` (a plain object) and `assignments` (an array of
    /// `{flag, variant, version}`, or undefined); throws `INVALID_CONTEXT: …` when refused.
    #[wasm_bindgen(constructor)]
    pub fn new(attributes: JsValue, assignments: JsValue) -> Result<EvalContext, JsError> {
        let deserializer = serde_wasm_bindgen::Deserializer::from(attributes);
        let context = Context::from_deserializer(deserializer)
            .map_err(|e| JsError::new(&format!("{}: {e}", ErrorCode::InvalidContext)))?;
        let assignments = if assignments.is_undefined() || assignments.is_null() {
            Assignments::new()
        } else {
            serde_wasm_bindgen::from_value(assignments)
                .map_err(|e| JsError::new(&format!("{}: assignments: {e}", ErrorCode::InvalidContext)))?
        };
        Ok(EvalContext { context, assignments, fresh: Vec::new() })
    }

    /// The assignments made since the last call, to persist: `[{flag, variant, version}]`.
    #[wasm_bindgen(js_name = takeAssignments)]
    pub fn take_assignments(&mut self) -> JsValue {
        to_js(&std::mem::take(&mut self.fresh))
    }

    fn input(&self, now: f64) -> Input<'_> {
        Input::new(&self.context, now as i64).with_assignments(&self.assignments)
    }

    /// Records a new sticky assignment so later evaluations of this context keep it.
    fn remember(&mut self, detail: &Detail<'_>) {
        if let Some(new) = detail.new_assignment {
            let assignment = Assignment { flag: new.flag.to_owned(), variant: new.variant.to_owned(), version: new.version };
            self.assignments.set(assignment.clone());
            self.fresh.push(assignment);
        }
    }
}
