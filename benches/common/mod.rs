//! Snapshots shared by the native benchmarks: the evaluation scenarios and the
//! load mix (60 % static, 25 % one clause, 15 % nested or rollout).

use edgeflag::model::Payload;
use edgeflag::{envelope, Context, SigningKey, Snapshot};
use serde_json::{json, Value};

/// The evaluation instant of every benchmark (2026-11-26).
pub const NOW: i64 = 1_795_651_200_000;

/// The 5-attribute context of the scenarios.
pub const FIVE_ATTRIBUTES: &str =
    r#"{"targetingKey":"user-123","tier":"premium","country":"DE","app":{"version":"2.4.1"},"email":"a@b.io"}"#;

fn boolean(extra: Value) -> Value {
    let mut flag = json!({"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off", "default": "off"});
    extra.as_object().unwrap().iter().for_each(|(k, v)| flag[k] = v.clone());
    flag
}

fn payload(flags: serde_json::Map<String, Value>) -> Value {
    json!({"schema": 1, "environment": "bench", "version": 1, "issued_at": 0, "expires_at": 4_102_444_800_000i64, "flags": flags})
}

/// A flag of the load mix.
fn mixed_flag(i: usize) -> Value {
    match i % 20 {
        0..=11 => boolean(json!({})),
        12..=16 => {
            boolean(json!({"rules": [{"when": {"attribute": "tier", "op": "equals", "values": format!("tier-{i}")}, "serve": "on"}]}))
        }
        17 | 18 => boolean(json!({"rules": [{"when": {"all": [
            {"attribute": "country", "op": "in", "values": ["DE", "FR", "NL"]},
            {"any": [{"attribute": "app.version", "op": "semver_ge", "values": "2.0.0"}, {"attribute": "beta", "op": "equals", "values": true}]},
            {"attribute": "email", "op": "ends_with", "values": "@example.com", "negate": true}]}, "serve": "on"}]})),
        _ => boolean(json!({"default": {"rollout": {"split": [{"variant": "on", "weight": 50}, {"variant": "off", "weight": 50}]}}})),
    }
}

/// The payload bytes of `count` flags of the load mix.
pub fn mixed_payload(count: usize) -> Vec<u8> {
    let flags = (0..count).map(|i| (format!("flag-{i:05}"), mixed_flag(i))).collect();
    serde_json::to_vec(&payload(flags)).unwrap()
}

/// The signing key of the benchmarks.
pub fn key() -> SigningKey {
    SigningKey::from_seed([7; 32])
}

/// A signed envelope of `count` flags of the load mix.
pub fn mixed_envelope(count: usize) -> String {
    envelope::sign(&mixed_payload(count), &[key()])
}

/// The scenario flags: `static`, `one-clause`, `nested`, `rollout` and `regex`.
pub fn scenarios() -> Snapshot {
    let mut flags = serde_json::Map::new();
    flags.insert("static".into(), boolean(json!({"default": "on"})));
    flags.insert(
        "one-clause".into(),
        boolean(json!({"rules": [{"when": {"attribute": "tier", "op": "equals", "values": "premium"}, "serve": "on"}]})),
    );
    flags.insert("nested".into(), mixed_flag(17));
    flags.insert("rollout".into(), mixed_flag(19));
    flags.insert(
        "regex".into(),
        boolean(
            json!({"rules": [{"when": {"attribute": "email", "op": "matches", "values": "^[a-z0-9.]+@b\\.(io|org)$"}, "serve": "on"}]}),
        ),
    );
    Snapshot::compile(&Payload::from_json(&payload(flags).to_string()).unwrap()).unwrap()
}

/// Contexts of `count` distinct units (`targetingKey` unit-0 …).
pub fn units(count: usize) -> Vec<Context> {
    (0..count).map(|i| Context::from_json(&format!(r#"{{"targetingKey":"unit-{i}"}}"#)).unwrap()).collect()
}
