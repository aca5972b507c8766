//! Helpers shared by the integration tests: payloads from JSON fragments,
//! contexts, signing keys and evaluation shorthands.
#![allow(dead_code)]

use edgeflag::envelope::PayloadError;
use edgeflag::model::decode::{DecodeError, DecodeErrorKind};
use edgeflag::model::Payload;
use edgeflag::{Context, Detail, Input, SigningKey, Snapshot, SnapshotError};
use serde_json::{json, Value};

/// A fixed evaluation time: 2026-11-26T00:00:00Z.
pub const NOW: i64 = 1_795_651_200_000;
/// Far in the future: 2100-01-01.
pub const FAR: i64 = 4_102_444_800_000;

/// A full payload around flags and segments.
pub fn payload_json(flags: Value, segments: Value) -> Value {
    json!({
        "schema": 1, "environment": "test", "version": 1,
        "issued_at": NOW - 1000, "expires_at": FAR,
        "segments": segments, "flags": flags
    })
}

pub fn payload(flags: Value, segments: Value) -> Payload {
    Payload::from_json(&payload_json(flags, segments).to_string()).expect("payload parses")
}

pub fn snapshot(flags: Value, segments: Value) -> Snapshot {
    Snapshot::compile(payload(flags, segments)).expect("payload compiles")
}

pub fn context(value: Value) -> Context {
    Context::from_json(&value.to_string()).expect("context")
}

/// A boolean flag `f` that serves `on` when the condition holds.
pub fn gated(condition: Value) -> Snapshot {
    snapshot(
        json!({"f": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                      "rules": [{"id": "r", "when": condition, "serve": "on"}], "default": "off"}}),
        json!({}),
    )
}

/// Whether the condition holds for the context, via a gated flag.
pub fn holds(condition: Value, ctx: Value) -> bool {
    let snapshot = gated(condition);
    let context = context(ctx);
    let detail = snapshot.evaluate("f", &Input::new(&context, NOW));
    detail.variant == Some("on")
}

pub fn eval<'s>(snapshot: &'s Snapshot, flag: &str, ctx: &Context) -> Detail<'s> {
    snapshot.evaluate(flag, &Input::new(ctx, NOW))
}

/// The test signing keys, from fixed seeds.
pub fn key(n: u8) -> SigningKey {
    SigningKey::from_seed([n; 32])
}

/// The first problem a payload was refused for while decoding, with its path.
pub fn first_decode_error(error: &SnapshotError) -> (&str, &DecodeErrorKind) {
    match error {
        SnapshotError::Parse(PayloadError::Decode(errors)) => {
            let DecodeError { path, kind } = &errors[0];
            (path, kind)
        }
        other => panic!("not refused while decoding: {other}"),
    }
}
