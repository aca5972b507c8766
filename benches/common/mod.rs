//! Snapshots shared by the native benchmarks: the evaluation scenarios (E1 …
//! O5, as the JS benchmarks define them) and the load mix (60 % static, 25 %
//! one clause, 15 % nested or rollout).

use edgeflag::model::Payload;
use edgeflag::{envelope, Context, SigningKey, Snapshot};
use serde_json::{json, Value};

/// The evaluation instant of every benchmark (2026-11-26).
pub const NOW: i64 = 1_795_651_200_000;

/// The 5-attribute context of the scenarios (as in www/bench/scenarios.mjs).
pub const FIVE_ATTRIBUTES: &str =
    r#"{"targetingKey":"user-123","tier":"premium","country":"DE","app":{"version":"2.4.1"},"email":"jo@example.org"}"#;

/// [`FIVE_ATTRIBUTES`] in the compact form the JS shim writes: its strings' text and its words.
pub fn five_attributes_compact() -> (String, Vec<u32>) {
    use edgeflag::eval::context::compact::{END, OBJECT, STRING, TAG_BITS};
    let strings = ["targetingKey", "user-123", "tier", "premium", "country", "DE", "app", "version", "2.4.1", "email", "jo@example.org"];
    let string = |s: &str| STRING | (s.len() as u32) << TAG_BITS;
    let mut words = vec![OBJECT];
    words.extend(strings[..6].iter().map(|s| string(s)));
    words.extend([string("app"), OBJECT, string("version"), string("2.4.1"), END, string("email"), string("jo@example.org"), END]);
    (strings.concat(), words)
}

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
        12..=16 => boolean(rule(json!({"attribute": "tier", "op": "equals", "values": format!("tier-{i}")}), "on")),
        17 | 18 => boolean(rule(nested(), "on")),
        _ => boolean(json!({"default": split(&["on", "off"])})),
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

/// A flag part with one rule serving `serve` when `when` holds.
fn rule(when: Value, serve: &str) -> Value {
    json!({"rules": [{"when": when, "serve": serve}]})
}

/// An even split over `variants` (weights in percent, 12.5 for eight).
fn split(variants: &[&str]) -> Value {
    let weight = 100.0 / variants.len() as f64;
    let weight = if weight.fract() == 0.0 { json!(weight as u32) } else { json!(weight) };
    json!({"rollout": {"split": variants.iter().map(|v| json!({"variant": v, "weight": weight})).collect::<Vec<_>>()}})
}

/// The nested condition of E6: all(country in …, any(version ≥ 2.0.0, beta), not e-mail ends with …).
fn nested() -> Value {
    json!({"all": [
        {"attribute": "country", "op": "in", "values": ["DE", "FR", "NL"]},
        {"any": [{"attribute": "app.version", "op": "semver_ge", "values": "2.0.0"}, {"attribute": "beta", "op": "equals", "values": true}]},
        {"attribute": "email", "op": "ends_with", "values": "@example.com", "negate": true}]})
}

/// The flags of the evaluation scenarios, by the issue's ids (E1 … O5), the
/// same as www/bench/scenarios.mjs defines for the JS benchmarks.
pub fn scenarios() -> Snapshot {
    let letters = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let flags: serde_json::Map<String, Value> = [
        ("E1", boolean(json!({"default": "on"}))),
        ("E4", boolean(rule(json!({"attribute": "tier", "op": "equals", "values": "premium"}), "on"))),
        (
            "E6",
            json!({"type": "string", "variants": {"a": "A", "b": "B", "c": "C"}, "off_variant": "a",
                   "rules": [{"when": nested(), "serve": "b"}], "default": "c"}),
        ),
        ("E9", boolean(rule(json!({"attribute": "tier", "op": "equals", "values": "gold"}), "on"))),
        ("E10", boolean(json!({"enabled": false, "default": "on"}))),
        ("O1", boolean(json!({"default": split(&["on", "off"])}))),
        (
            "O2",
            json!({"type": "string", "variants": letters.iter().map(|v| (v.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                   "off_variant": "a", "default": split(&letters)}),
        ),
        ("O3", boolean(rule(json!({"attribute": "app.version", "op": "semver_ge", "values": "2.3.0"}), "on"))),
        ("O4", boolean(rule(json!({"attribute": "email", "op": "matches", "values": "^[a-z0-9.]+@example\\.(com|org)$"}), "on"))),
        (
            "O5",
            boolean(json!({"default": {"rollout": {"split": [{"variant": "on", "weight": 100}], "exposure": {"linear": [
                {"at": "2026-01-01T00:00:00Z", "percent": 0}, {"at": "2027-01-01T00:00:00Z", "percent": 100}]}}}})),
        ),
    ]
    .into_iter()
    .map(|(key, flag)| (key.to_owned(), flag))
    .collect();
    Snapshot::compile(Payload::from_json(&payload(flags).to_string()).unwrap()).unwrap()
}

/// Contexts of `count` distinct units (`targetingKey` unit-0 …).
pub fn units(count: usize) -> Vec<Context> {
    (0..count).map(|i| Context::from_json(&format!(r#"{{"targetingKey":"unit-{i}"}}"#)).unwrap()).collect()
}
