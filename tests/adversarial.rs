//! Adversarial snapshots and contexts: each hostile input is answered by a
//! typed error naming the check, never a panic, and the previous snapshot
//! keeps serving.

mod common;

use common::{first_decode_error, key, payload_json, NOW};
use edgeflag::compile::limits;
use edgeflag::envelope::PayloadError;
use edgeflag::model::decode::DecodeErrorKind;
use edgeflag::{envelope, Context, Engine, Input, Keyring, Policy, SnapshotError};
use serde_json::json;

/// An engine serving version 1 of a small, valid snapshot.
fn serving() -> Engine {
    let mut engine = Engine::new(Keyring::from_hex([key(1).public_key_hex()]).unwrap(), Policy::new("test"));
    let good = payload_json(json!({"f": {"type": "boolean", "variants": {"on": true}, "off_variant": "on", "default": "on"}}), json!({}));
    engine.load(envelope::sign(good.to_string().as_bytes(), &[key(1)]).as_bytes(), NOW).unwrap();
    engine
}

/// Signs `payload` text, loads it, and returns the refusal; asserts version 1 still serves.
fn refused(payload: &str) -> SnapshotError {
    let mut engine = serving();
    let error = engine.load(envelope::sign(payload.as_bytes(), &[key(1)]).as_bytes(), NOW).expect_err("refused");
    assert_eq!(engine.meta().map(|m| m.version), Some(1), "the previous snapshot keeps serving after {error}");
    error
}

/// A valid payload (version 2) with one flag whose JSON text is `flag`.
fn with_flag(flag: &str) -> String {
    format!(r#"{{"schema":1,"environment":"test","version":2,"issued_at":0,"expires_at":4102444800000,"flags":{{"x":{flag}}}}}"#)
}

fn clause_flag(clause: &str) -> String {
    with_flag(&format!(
        r#"{{"type":"boolean","variants":{{"on":true,"off":false}},"off_variant":"off","rules":[{{"when":{clause},"serve":"on"}}],"default":"off"}}"#
    ))
}

#[test]
fn deep_nesting_is_refused_while_parsing() {
    let deep = format!("{}{}", r#"{"not":"#.repeat(200), r#"{"attribute":"a","op":"exists"}"#.to_owned() + &"}".repeat(200));
    let error = refused(&clause_flag(&deep));
    assert!(matches!(first_decode_error(&error), ("", DecodeErrorKind::Syntax(e)) if e.message == "nested too deeply"), "{error}");
    let nested_too_far = format!("{}{}", r#"{"not":"#.repeat(20), r#"{"attribute":"a","op":"exists"}"#.to_owned() + &"}".repeat(20));
    assert_eq!(refused(&clause_flag(&nested_too_far)).check(), "compile");
}

#[test]
fn huge_in_lists_are_refused_above_the_limit() {
    let values = |n: usize| (0..n).map(|i| format!("\"v{i}\"")).collect::<Vec<_>>().join(",");
    let over = clause_flag(&format!(r#"{{"attribute":"a","op":"in","values":[{}]}}"#, values(limits::MAX_CLAUSE_VALUES + 1)));
    assert_eq!(refused(&over).check(), "compile");
    let at_limit = clause_flag(&format!(r#"{{"attribute":"a","op":"in","values":[{}]}}"#, values(limits::MAX_CLAUSE_VALUES)));
    let mut engine = serving();
    engine.load(envelope::sign(at_limit.as_bytes(), &[key(1)]).as_bytes(), NOW).unwrap();
    let ctx = Context::from_json(r#"{"a":"v9999"}"#).unwrap();
    assert_eq!(engine.snapshot().unwrap().evaluate("x", &Input::new(&ctx, NOW)).variant, Some("on"));
}

#[test]
fn pathological_regexes_are_linear_or_refused() {
    let mut engine = serving();
    let nested = clause_flag(r#"{"attribute":"a","op":"matches","values":"^(a+)+$"}"#);
    engine.load(envelope::sign(nested.as_bytes(), &[key(1)]).as_bytes(), NOW).unwrap();
    let evil = format!(r#"{{"a":"{}!"}}"#, "a".repeat(100_000));
    let ctx = Context::from_json(&evil).unwrap();
    assert_eq!(engine.snapshot().unwrap().evaluate("x", &Input::new(&ctx, NOW)).variant, Some("off"), "no catastrophic backtracking");

    let huge = clause_flag(r#"{"attribute":"a","op":"matches","values":"(a{1000}){1000}"}"#);
    let error = refused(&huge);
    assert!(matches!(&error, SnapshotError::Compile(e) if e[0].to_string().contains("invalid regular expression")), "{error}");
    let long = clause_flag(&format!(r#"{{"attribute":"a","op":"matches","values":"{}"}}"#, "a".repeat(limits::MAX_PATTERN_BYTES + 1)));
    assert_eq!(refused(&long).check(), "compile");
}

#[test]
fn non_finite_and_oversized_numbers_are_refused() {
    for bad in ["NaN", "Infinity", "-Infinity", "1e400"] {
        let flag = format!(r#"{{"type":"number","variants":{{"n":{bad}}},"off_variant":"n","default":"n"}}"#);
        assert_eq!(refused(&with_flag(&flag)).check(), "parse", "{bad}");
    }
    let huge_version =
        r#"{"schema":1,"environment":"test","version":123456789012345678901234567890,"issued_at":0,"expires_at":4102444800000,"flags":{}}"#;
    assert!(matches!(first_decode_error(&refused(huge_version)), ("version", DecodeErrorKind::NotUnsigned(_))));
    let negative = r#"{"schema":1,"environment":"test","version":-3,"issued_at":0,"expires_at":4102444800000,"flags":{}}"#;
    assert_eq!(refused(negative).check(), "parse");
    let big_but_fine = with_flag(r#"{"type":"number","variants":{"n":1e300},"off_variant":"n","default":"n"}"#);
    let mut engine = serving();
    assert!(engine.load(envelope::sign(big_but_fine.as_bytes(), &[key(1)]).as_bytes(), NOW).is_ok());
}

#[test]
fn duplicate_keys_and_fields_are_refused() {
    let duplicate_variant = with_flag(r#"{"type":"boolean","variants":{"on":true,"on":false},"off_variant":"on","default":"on"}"#);
    let error = refused(&duplicate_variant);
    assert_eq!(first_decode_error(&error), ("flags.x.variants.on", &DecodeErrorKind::DuplicateKey("on".into())));
    let duplicate_field = with_flag(r#"{"type":"boolean","type":"string","variants":{"on":true},"off_variant":"on","default":"on"}"#);
    let error = refused(&duplicate_field);
    assert_eq!(first_decode_error(&error), ("flags.x.type", &DecodeErrorKind::DuplicateField("type".into())));
}

#[test]
fn invalid_utf8_is_refused() {
    let mut engine = serving();
    let mut bytes = with_flag(r#"{"type":"string","variants":{"s":"XX"},"off_variant":"s","default":"s"}"#).into_bytes();
    let at = bytes.windows(2).position(|w| w == b"XX").unwrap();
    bytes[at] = 0xC3;
    bytes[at + 1] = 0x28;
    let error = engine.load(envelope::sign(&bytes, &[key(1)]).as_bytes(), NOW).unwrap_err();
    assert!(matches!(&error, SnapshotError::Parse(PayloadError::NotUtf8(_))), "{error}");
    assert_eq!(engine.meta().unwrap().version, 1);
}

#[test]
fn reference_cycles_are_refused() {
    let cyclic = r#"{"schema":1,"environment":"test","version":2,"issued_at":0,"expires_at":4102444800000,
      "segments":{"a":{"rules":[{"segment":"b"}]},"b":{"rules":[{"segment":"a"}]}},"flags":{}}"#;
    assert!(matches!(refused(cyclic), SnapshotError::Compile(e) if e[0].to_string().contains("segment cycle")));
}

#[test]
fn hostile_contexts_never_break_evaluation() {
    let engine = serving();
    let snapshot = engine.snapshot().unwrap();
    let deep = format!("{}1{}", r#"{"a":"#.repeat(100), "}".repeat(100));
    let huge = format!(r#"{{"a":[{}]}}"#, vec!["0"; 20_000].join(","));
    for hostile in [deep.as_str(), huge.as_str(), "[]", "\"x\"", "{", r#"{"a":"\ud800"}"#] {
        assert!(Context::from_json(hostile).is_err(), "{hostile:.40}");
    }
    let wrong_types = Context::from_json(r#"{"targetingKey":{"x":[1,2]},"geo":7,"email":false,"ip":[],"v":null}"#).unwrap();
    let detail = snapshot.evaluate("f", &Input::new(&wrong_types, NOW));
    assert_eq!(detail.variant, Some("on"));
    let long_key = Context::from_json(&format!(r#"{{"targetingKey":"{}"}}"#, "k".repeat(1_000_000))).unwrap();
    assert!(snapshot.evaluate_all(&Input::new(&long_key, NOW)).iter().all(|(_, d)| d.value.is_some()));
}

#[test]
fn references_that_fan_out_exponentially_are_refused() {
    // Two flags per level, each requiring both flags of the next level: evaluation work doubles per level.
    let levels = 12;
    let mut flags = serde_json::Map::new();
    for level in 0..levels {
        for side in ["a", "b"] {
            let prerequisites: Vec<_> = if level + 1 < levels {
                ["a", "b"].iter().map(|s| json!({"flag": format!("{s}{}", level + 1), "variants": ["on"]})).collect()
            } else {
                vec![]
            };
            flags.insert(
                format!("{side}{level}"),
                json!({"type": "boolean", "variants": {"on": true}, "off_variant": "on", "default": "on", "prerequisites": prerequisites}),
            );
        }
    }
    let payload = payload_json(serde_json::Value::Object(flags), json!({}));
    let mut with_version = payload.clone();
    with_version["version"] = json!(2);
    let error = refused(&with_version.to_string());
    assert!(matches!(&error, SnapshotError::Compile(e) if e[0].to_string().contains("fan out to more than 1000")), "{error}");

    let mut segments = serde_json::Map::new();
    for level in 0..levels {
        for side in ["a", "b"] {
            let rules: Vec<_> = if level + 1 < levels {
                ["a", "b"].iter().map(|s| json!({"segment": format!("{s}{}", level + 1)})).collect()
            } else {
                vec![]
            };
            segments.insert(format!("{side}{level}"), json!({"rules": rules}));
        }
    }
    let mut payload = payload_json(json!({}), serde_json::Value::Object(segments));
    payload["version"] = json!(2);
    assert_eq!(refused(&payload.to_string()).check(), "compile");
}
