//! WebAssembly bindings (wasm-bindgen). A snapshot crosses the boundary once
//! as bytes and is verified and compiled here; a context crosses once as JSON
//! text into a handle that many evaluations reuse; flags are addressed by
//! index; typed getters return plain JS values; details come back as JSON text
//! for the shim to parse.

use crate::eval::{Assignment, Assignments, Context, Detail, ErrorCode, Input};
use crate::model::decode::decode_assignments;
use crate::{json, Engine, FlagId, Keyring, Policy, Snapshot, SnapshotError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The error thrown to JS when a snapshot is refused: `{check, message}`.
fn refusal(error: &SnapshotError) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"check".into(), &error.check().into());
    let _ = js_sys::Reflect::set(&object, &"message".into(), &error.to_string().into());
    object.into()
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
    /// `threshold`, `skewMs`, `maxBytes` and `versionFloor` may be undefined for the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(
        public_keys: Vec<String>,
        environment: String,
        threshold: Option<u32>,
        skew_ms: Option<f64>,
        max_bytes: Option<f64>,
        version_floor: Option<f64>,
    ) -> Result<WasmEngine, JsError> {
        let keyring = Keyring::from_hex(&public_keys)?.with_threshold(threshold.unwrap_or(1) as usize)?;
        let defaults = Policy::new(environment);
        let policy = Policy {
            skew_ms: skew_ms.map_or(defaults.skew_ms, |s| s as i64),
            max_bytes: max_bytes.map_or(defaults.max_bytes, |b| b as usize),
            version_floor: version_floor.map(|v| v as u64),
            ..defaults
        };
        Ok(WasmEngine { engine: Engine::new(keyring, policy), generation: 0 })
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

    /// Serves a payload WITHOUT verifying signatures, environment, expiry or
    /// version: for tests and local development only.
    #[wasm_bindgen(js_name = loadUnverifiedPayloadJson)]
    pub fn load_unverified_payload_json(&mut self, payload: &[u8]) -> Result<String, JsValue> {
        let report = self.engine.load_unverified_payload(payload).map_err(|e| refusal(&e))?;
        self.generation += 1;
        Ok(to_json(&report.changed))
    }

    /// Counts successful loads; flag indices are valid within one generation.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// JSON `{environment, version, issuedAt, expiresAt, flagCount}` of the serving snapshot, or `null`.
    #[wasm_bindgen(js_name = metaJson)]
    pub fn meta_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct MetaView<'a> {
            environment: &'a str,
            version: u64,
            issued_at: i64,
            expires_at: i64,
            flag_count: usize,
        }
        match self.engine.snapshot() {
            None => "null".to_owned(),
            Some(s) => to_json(&MetaView {
                environment: &s.meta().environment,
                version: s.meta().version,
                issued_at: s.meta().issued_at,
                expires_at: s.meta().expires_at,
                flag_count: s.flag_count(),
            }),
        }
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

    /// JSON text of a flag's variant values, in declaration order: what
    /// `variantIndex` and `constantVariant` index. `[]` for an unknown index.
    #[wasm_bindgen(js_name = variantsJson)]
    pub fn variants_json(&self, index: i32) -> String {
        let Some(snapshot) = self.engine.snapshot() else { return "[]".to_owned() };
        valid_id(snapshot, index).map_or_else(|| "[]".to_owned(), |id| to_json(&snapshot.variant_values(id).collect::<Vec<_>>()))
    }

    /// The variant a flag serves to every context at every time, or -1 when
    /// it depends on the context or time (see `Snapshot::constant_variant`).
    #[wasm_bindgen(js_name = constantVariant)]
    pub fn constant_variant(&self, index: i32) -> i32 {
        let Some(snapshot) = self.engine.snapshot() else { return -1 };
        valid_id(snapshot, index).and_then(|id| snapshot.constant_variant(id)).map_or(-1, i32::from)
    }

    /// Whether a flag's value can change with the evaluation time (see `Snapshot::depends_on_time`).
    #[wasm_bindgen(js_name = dependsOnTime)]
    pub fn depends_on_time(&self, index: i32) -> bool {
        self.engine.snapshot().is_some_and(|s| valid_id(s, index).is_some_and(|id| s.depends_on_time(id)))
    }

    /// Evaluates a flag and returns the index of the variant served (into
    /// `variantsJson`), or -1 when the caller's default stands (no snapshot,
    /// unknown index, an error). The typed getters' one call: no strings cross.
    #[wasm_bindgen(js_name = variantIndex)]
    pub fn variant_index(&self, index: i32, context: &mut EvalContext, now: f64) -> i32 {
        let Some(snapshot) = self.engine.snapshot() else { return -1 };
        let Some(id) = valid_id(snapshot, index) else { return -1 };
        context.evaluate(snapshot, id, now).variant_id.map_or(-1, i32::from)
    }

    /// The full detail of one evaluation, as JSON text.
    #[wasm_bindgen(js_name = detailJson)]
    pub fn detail_json(&self, index: i32, context: &mut EvalContext, now: f64) -> String {
        let Some(snapshot) = self.engine.snapshot() else { return to_json(&Detail::error(ErrorCode::General)) };
        let Some(id) = valid_id(snapshot, index) else { return to_json(&Detail::error(ErrorCode::FlagNotFound)) };
        to_json(&context.evaluate(snapshot, id, now))
    }

    /// Every flag's detail as JSON text of one object keyed by flag, in snapshot order.
    #[wasm_bindgen(js_name = evaluateAllJson)]
    pub fn evaluate_all_json(&self, context: &mut EvalContext, now: f64) -> String {
        let Some(snapshot) = self.engine.snapshot() else { return "{}".to_owned() };
        let details = snapshot.evaluate_all(&context.input(now));
        details.iter().for_each(|(_, d)| context.remember(d));
        to_json(&InOrder(&details))
    }
}

/// Flag details serialised as one object whose keys keep the snapshot's order.
struct InOrder<'a>(&'a [(&'a str, Detail<'a>)]);

impl Serialize for InOrder<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, detail)| (key, detail)))
    }
}

fn valid_id(snapshot: &Snapshot, index: i32) -> Option<FlagId> {
    usize::try_from(index).ok().filter(|&i| i < snapshot.flag_count()).map(|i| FlagId(i as u32))
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
    /// Reads `attributes` (JSON text of an object) and `assignments` (JSON text
    /// of `[{flag, variant, version}]`, or undefined); throws `INVALID_CONTEXT: …` when refused.
    #[wasm_bindgen(constructor)]
    pub fn new(attributes: &str, assignments: Option<String>) -> Result<EvalContext, JsError> {
        let invalid = |why: String| JsError::new(&format!("{}: {why}", ErrorCode::InvalidContext));
        let context = Context::from_json(attributes).map_err(|e| invalid(e.to_string()))?;
        let assignments = match assignments {
            None => Assignments::new(),
            Some(text) => {
                let parsed = json::parse(&text).map_err(|e| invalid(format!("assignments: {e}")))?;
                let decoded = decode_assignments(&parsed).map_err(|e| invalid(format!("assignments: {}", e[0])))?;
                decoded.into_iter().map(|(flag, variant, version)| Assignment { flag, variant, version }).collect()
            }
        };
        Ok(EvalContext { context, assignments, fresh: Vec::new() })
    }

    /// The assignments made since the last call, to persist, as JSON text `[{flag, variant, version}]`.
    #[wasm_bindgen(js_name = takeAssignmentsJson)]
    pub fn take_assignments_json(&mut self) -> String {
        to_json(&std::mem::take(&mut self.fresh))
    }

    fn input(&self, now: f64) -> Input<'_> {
        Input::new(&self.context, now as i64).with_assignments(&self.assignments)
    }

    /// Evaluates one flag for this context, remembering a new sticky assignment.
    fn evaluate<'s>(&mut self, snapshot: &'s Snapshot, id: FlagId, now: f64) -> Detail<'s> {
        let detail = snapshot.evaluate_id(id, &self.input(now));
        self.remember(&detail);
        detail
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
