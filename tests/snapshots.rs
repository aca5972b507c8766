//! Every snapshot check, in order, each refusal typed and named, and the
//! engine serving its last good snapshot through every refusal.

mod common;

use common::{first_decode_error, key, payload_json, NOW};
use edgeflag::envelope::{self, Envelope, EnvelopeSignature, PAYLOAD_TYPE};
use edgeflag::model::decode::DecodeErrorKind;
use edgeflag::{Engine, Keyring, Policy, SnapshotError};
use serde_json::{json, Value};

fn flags(value: bool) -> Value {
    json!({"f": {"type": "boolean", "variants": {"v": value}, "off_variant": "v", "default": "v"}})
}

fn payload_with(version: u64, patch: Value) -> Vec<u8> {
    let mut p = payload_json(flags(version % 2 == 0), json!({}));
    p["version"] = json!(version);
    for (k, v) in patch.as_object().unwrap() {
        p[k] = v.clone();
    }
    serde_json::to_vec(&p).unwrap()
}

fn signed(version: u64) -> String {
    envelope::sign(&payload_with(version, json!({})), &[key(1)])
}

fn engine() -> Engine {
    Engine::new(Keyring::from_hex([key(1).public_key_hex(), key(2).public_key_hex()]).unwrap(), Policy::new("test"))
}

fn serving_version(engine: &Engine) -> Option<u64> {
    engine.snapshot().map(|s| s.meta().version)
}

/// Loads `bad` into an engine serving version 10 and returns the refusal.
fn refused(bad: &[u8]) -> SnapshotError {
    let mut e = engine();
    e.load(signed(10).as_bytes(), NOW).expect("good snapshot loads");
    let error = e.load(bad, NOW).expect_err("bad snapshot is refused");
    assert_eq!(serving_version(&e), Some(10), "the last good snapshot keeps serving");
    error
}

fn envelope_json(payload: &[u8], signatures: Vec<(String, String)>) -> Vec<u8> {
    let envelope = Envelope {
        payload_type: PAYLOAD_TYPE.into(),
        payload: envelope::base64::encode(payload),
        signatures: signatures.into_iter().map(|(keyid, sig)| EnvelopeSignature { keyid, sig }).collect(),
    };
    serde_json::to_vec(&envelope).unwrap()
}

fn signature(n: u8, payload: &[u8]) -> (String, String) {
    let sig = key(n).sign(&envelope::pae(PAYLOAD_TYPE, payload));
    (key(n).key_id(), envelope::base64::encode(&sig))
}

#[test]
fn a_good_snapshot_loads_and_serves() {
    let mut e = engine();
    let report = e.load(signed(3).as_bytes(), NOW).unwrap();
    assert_eq!(report.changed, ["f"]);
    let meta = e.meta().unwrap();
    assert_eq!((meta.version, meta.environment.as_str()), (3, "test"));
    assert_eq!(e.highest_version(), Some(3));
    assert_eq!(e.load(signed(5).as_bytes(), NOW).unwrap().changed, Vec::<String>::new(), "same flag text");
    assert_eq!(e.load(signed(6).as_bytes(), NOW).unwrap().changed, ["f"], "the flag's value changed");
}

#[test]
fn size_is_checked_before_anything_else() {
    let mut e = Engine::new(Keyring::from_hex([key(1).public_key_hex()]).unwrap(), Policy { max_bytes: 100, ..Policy::new("test") });
    let error = e.load(&[b'x'; 101], NOW).unwrap_err();
    assert_eq!(error, SnapshotError::TooLarge { size: 101, limit: 100 });
    assert_eq!(error.check(), "size");
}

#[test]
fn malformed_envelopes_fail_the_envelope_check() {
    for bad in [&b""[..], b"not json", b"{\"payloadType\":1}", b"[]", br#"{"payloadType":"x","payload":"@@","signatures":[]}"#] {
        assert_eq!(refused(bad).check(), "envelope", "{:?}", String::from_utf8_lossy(bad));
    }
    let truncated = signed(11);
    assert_eq!(refused(&truncated.as_bytes()[..truncated.len() / 2]).check(), "envelope");
}

#[test]
fn envelopes_are_read_by_dsse_s_parsing_rules() {
    let payload = payload_with(11, json!({}));
    let (keyid, sig) = signature(1, &payload);
    let loads = |envelope: Value| {
        let mut e = engine();
        e.load(&serde_json::to_vec(&envelope).unwrap(), NOW).map(|_| serving_version(&e))
    };
    let base64 = envelope::base64::encode(&payload);
    let envelope = |payload: &str, signature: Value| json!({"payloadType": PAYLOAD_TYPE, "payload": payload, "signatures": [signature]});
    // Members a reader does not know are ignored, at the top and in a signature.
    let mut extra = envelope(&base64, json!({"keyid": keyid, "sig": sig, "cert": "…"}));
    extra["payloadUtf8"] = json!("ignored");
    assert_eq!(loads(extra), Ok(Some(11)));
    // `keyid` is optional: absent, null or empty, each trusted key is tried.
    for signature in [json!({"sig": sig}), json!({"keyid": null, "sig": sig}), json!({"keyid": "", "sig": sig})] {
        assert_eq!(loads(envelope(&base64, signature.clone())), Ok(Some(11)), "{signature}");
    }
    // A key id that names another key is not tried with the others.
    let misnamed = envelope(&base64, json!({"keyid": key(2).key_id(), "sig": sig}));
    assert_eq!(loads(misnamed), Err(SnapshotError::Signature { valid: 0, required: 1 }));
    // Base64 in the URL-safe alphabet reads as the standard one.
    let url_safe = |text: &str| text.replace('+', "-").replace('/', "_");
    assert_ne!(url_safe(&sig), sig, "the signature's base64 has a + or a /");
    assert_eq!(loads(envelope(&url_safe(&base64), json!({"keyid": keyid, "sig": url_safe(&sig)}))), Ok(Some(11)));
    // A member given twice is still refused: which payload was signed?
    let twice = format!(r#"{{"payloadType":"{PAYLOAD_TYPE}","payload":"{base64}","payload":"","signatures":[]}}"#);
    assert_eq!(refused(twice.as_bytes()).check(), "envelope");
}

#[test]
fn unnamed_signatures_count_each_trusted_key_once() {
    let ring = Keyring::from_hex([key(1).public_key_hex(), key(2).public_key_hex()]).unwrap().with_threshold(2).unwrap();
    let payload = payload_with(5, json!({}));
    let unnamed = |n: u8| (String::new(), signature(n, &payload).1);
    let mut e = Engine::new(ring, Policy::new("test"));
    let twice_by_one = envelope_json(&payload, vec![unnamed(1), unnamed(1)]);
    assert_eq!(e.load(&twice_by_one, NOW).unwrap_err(), SnapshotError::Signature { valid: 1, required: 2 });
    let by_two = envelope_json(&payload, vec![unnamed(2), unnamed(1)]);
    assert!(e.load(&by_two, NOW).is_ok());
}

#[test]
fn another_payload_type_is_refused() {
    let mut envelope: Value = serde_json::from_str(&signed(11)).unwrap();
    envelope["payloadType"] = json!("application/json");
    let error = refused(&serde_json::to_vec(&envelope).unwrap());
    assert_eq!(error, SnapshotError::PayloadType("application/json".into()));
}

#[test]
fn untrusted_keys_and_tampered_payloads_fail_the_signature_check() {
    let untrusted = envelope::sign(&payload_with(11, json!({})), &[key(9)]);
    assert_eq!(refused(untrusted.as_bytes()), SnapshotError::Signature { valid: 0, required: 1 });

    let genuine = payload_with(11, json!({}));
    let other = payload_with(12, json!({}));
    let swapped = envelope_json(&other, vec![signature(1, &genuine)]);
    assert_eq!(refused(&swapped).check(), "signature");

    let unsigned = envelope_json(&genuine, vec![]);
    assert_eq!(refused(&unsigned).check(), "signature");

    let garbage = envelope_json(&genuine, vec![(key(1).key_id(), "AAAA".into())]);
    assert_eq!(refused(&garbage).check(), "signature");
}

/// Adds the group order L to a signature's S half: the same signature to a
/// lax verifier, a forgery to a strict one.
fn malleated(signature: [u8; 64]) -> [u8; 64] {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0x10,
    ];
    let mut out = signature;
    let mut carry = 0u16;
    for (byte, l) in out[32..].iter_mut().zip(L) {
        let sum = u16::from(*byte) + u16::from(l) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    out
}

#[test]
fn signatures_are_checked_strictly() {
    let payload = payload_with(11, json!({}));
    let sig = key(1).sign(&envelope::pae(PAYLOAD_TYPE, &payload));
    let malleable = envelope_json(&payload, vec![(key(1).key_id(), envelope::base64::encode(&malleated(sig)))]);
    assert_eq!(refused(&malleable), SnapshotError::Signature { valid: 0, required: 1 });
    assert!(engine().load(&envelope_json(&payload, vec![signature(1, &payload)]), NOW).is_ok());
    // Small-order points (here the identity) are not keys anyone holds the secret of.
    let identity = format!("01{}", "0".repeat(62));
    assert_eq!(Keyring::from_hex([identity]).unwrap_err(), envelope::KeyError::Invalid);
}

#[test]
fn signatures_verify_the_exact_bytes_not_a_reserialisation() {
    let compact = payload_with(11, json!({}));
    let spaced = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&compact).unwrap()).unwrap();
    let mismatched = envelope_json(&spaced, vec![signature(1, &compact)]);
    assert_eq!(refused(&mismatched).check(), "signature");
    let mut e = engine();
    assert!(e.load(&envelope_json(&spaced, vec![signature(1, &spaced)]), NOW).is_ok());
}

#[test]
fn a_threshold_counts_distinct_trusted_keys_once() {
    let ring = Keyring::from_hex([key(1).public_key_hex(), key(2).public_key_hex()]).unwrap().with_threshold(2).unwrap();
    let payload = payload_with(5, json!({}));
    let mut e = Engine::new(ring, Policy::new("test"));
    let twice_by_one = envelope_json(&payload, vec![signature(1, &payload), signature(1, &payload)]);
    assert_eq!(e.load(&twice_by_one, NOW).unwrap_err(), SnapshotError::Signature { valid: 1, required: 2 });
    let with_untrusted = envelope_json(&payload, vec![signature(1, &payload), signature(9, &payload)]);
    assert_eq!(e.load(&with_untrusted, NOW).unwrap_err(), SnapshotError::Signature { valid: 1, required: 2 });
    let by_two = envelope_json(&payload, vec![signature(2, &payload), signature(1, &payload)]);
    assert!(e.load(&by_two, NOW).is_ok());
}

#[test]
fn a_signed_non_snapshot_fails_the_parse_check() {
    for payload in [&b"{}"[..], b"[1,2]", b"\xff\xfe", br#"{"schema":1}"#] {
        let bad = envelope::sign(payload, &[key(1)]);
        assert_eq!(refused(bad.as_bytes()).check(), "parse");
    }
    let duplicate = br#"{"schema":1,"environment":"test","version":11,"issued_at":0,"expires_at":4102444800000,
        "flags":{"f":{"type":"boolean","variants":{"v":true},"off_variant":"v","default":"v"},
                 "f":{"type":"boolean","variants":{"v":false},"off_variant":"v","default":"v"}}}"#;
    let error = refused(envelope::sign(duplicate, &[key(1)]).as_bytes());
    assert_eq!(first_decode_error(&error), ("flags.f", &DecodeErrorKind::DuplicateKey("f".into())), "{error}");
}

#[test]
fn another_environment_is_refused() {
    let bad = envelope::sign(&payload_with(11, json!({"environment": "staging"})), &[key(1)]);
    assert_eq!(refused(bad.as_bytes()), SnapshotError::Environment { expected: "test".into(), found: "staging".into() });
}

#[test]
fn expiry_and_issue_time_allow_only_the_skew() {
    let skew = Policy::new("test").skew_ms;
    let expired = envelope::sign(&payload_with(11, json!({"expires_at": NOW - skew - 1})), &[key(1)]);
    assert!(matches!(refused(expired.as_bytes()), SnapshotError::Expired { .. }));
    let within_skew = envelope::sign(&payload_with(11, json!({"expires_at": NOW - skew + 1})), &[key(1)]);
    assert!(engine().load(within_skew.as_bytes(), NOW).is_ok());
    let future = envelope::sign(&payload_with(11, json!({"issued_at": NOW + skew + 1})), &[key(1)]);
    assert!(matches!(refused(future.as_bytes()), SnapshotError::NotYetValid { .. }));
    assert_eq!(refused(future.as_bytes()).check(), "expiry");
}

#[test]
fn an_expired_snapshot_answers_until_replaced_or_until_the_policy_s_stale_limit() {
    let expires_at = NOW + 60_000;
    let expiring = envelope::sign(&payload_with(11, json!({"expires_at": expires_at})), &[key(1)]);
    let mut e = engine();
    e.load(expiring.as_bytes(), NOW).unwrap();
    assert!(e.snapshot_at(i64::MAX).is_some(), "by default an expired snapshot answers on (its details STALE)");

    let policy = Policy { max_stale_ms: Some(5_000), ..Policy::new("test") };
    let mut limited = Engine::new(Keyring::from_hex([key(1).public_key_hex()]).unwrap(), policy);
    limited.load(expiring.as_bytes(), NOW).unwrap();
    let answering = |at: i64| limited.snapshot_at(at).map(|s| s.meta().version);
    assert_eq!(answering(expires_at + 5_000), Some(11), "within the limit");
    assert_eq!(answering(expires_at + 5_001), None, "past it, nothing answers");
    assert_eq!(serving_version(&limited), Some(11), "the snapshot is still held, for a refresh to replace");
    limited.load(signed(12).as_bytes(), expires_at + 5_001).unwrap();
    assert_eq!(limited.snapshot_at(expires_at + 5_001).map(|s| s.meta().version), Some(12), "a fresh snapshot answers again");
}

#[test]
fn rollback_below_the_highest_accepted_version_or_the_floor_is_refused() {
    assert_eq!(refused(signed(9).as_bytes()), SnapshotError::Rollback { version: 9, highest: 10 });
    let mut e = engine();
    e.load(signed(10).as_bytes(), NOW).unwrap();
    assert!(e.load(signed(10).as_bytes(), NOW).is_ok(), "the same version may be re-fetched");
    let mut floored =
        Engine::new(Keyring::from_hex([key(1).public_key_hex()]).unwrap(), Policy { version_floor: Some(20), ..Policy::new("test") });
    assert_eq!(floored.load(signed(19).as_bytes(), NOW).unwrap_err(), SnapshotError::BelowFloor { version: 19, floor: 20 });
    assert!(floored.load(signed(20).as_bytes(), NOW).is_ok());
}

#[test]
fn a_signed_snapshot_with_invalid_rules_fails_the_compile_check() {
    let mut p = payload_json(
        json!({
        "a": {"type": "boolean", "variants": {"on": true}, "off_variant": "on", "default": "on",
              "prerequisites": [{"flag": "b", "variants": ["on"]}]},
        "b": {"type": "boolean", "variants": {"on": true}, "off_variant": "on", "default": "on",
              "prerequisites": [{"flag": "a", "variants": ["on"]}]}}),
        json!({}),
    );
    p["version"] = json!(11);
    let bad = envelope::sign(&serde_json::to_vec(&p).unwrap(), &[key(1)]);
    let error = refused(bad.as_bytes());
    assert_eq!(error.check(), "compile");
    assert!(error.to_string().contains("prerequisite cycle: a -> b -> a"), "{error}");
}

#[test]
fn checks_run_in_the_documented_order() {
    // Wrong environment, expired, rolled back and badly signed at once: the signature is reported.
    let everything_wrong = envelope::sign(&payload_with(1, json!({"environment": "staging", "expires_at": 0})), &[key(9)]);
    assert_eq!(refused(everything_wrong.as_bytes()).check(), "signature");
    // Signed, but wrong environment, expired and rolled back: environment comes first.
    let stale = envelope::sign(&payload_with(1, json!({"environment": "staging", "expires_at": 0})), &[key(1)]);
    assert_eq!(refused(stale.as_bytes()).check(), "environment");
    let old = envelope::sign(&payload_with(1, json!({"expires_at": 0})), &[key(1)]);
    assert_eq!(refused(old.as_bytes()).check(), "expiry");
}

#[test]
fn serving_snapshots_survive_later_loads_for_readers_holding_them() {
    let mut e = engine();
    e.load(signed(2).as_bytes(), NOW).unwrap();
    let held = e.snapshot().cloned().unwrap();
    e.load(signed(3).as_bytes(), NOW).unwrap();
    assert_eq!((held.meta().version, serving_version(&e)), (2, Some(3)));
}

#[test]
fn unloading_drops_the_snapshot_but_remembers_the_newest_version() {
    let mut e = engine();
    e.load(signed(10).as_bytes(), NOW).unwrap();
    let reader = e.snapshot().cloned().unwrap();
    e.unload();
    assert!(e.snapshot().is_none() && e.meta().is_none());
    assert_eq!(reader.meta().version, 10, "a reader holding the snapshot keeps it");
    assert_eq!(e.load(signed(9).as_bytes(), NOW).unwrap_err(), SnapshotError::Rollback { version: 9, highest: 10 });
    assert_eq!(e.load(signed(11).as_bytes(), NOW).unwrap().changed, ["f"], "after an unload every flag is new");
}

#[test]
fn unverified_loading_is_explicit_and_still_compiles() {
    let mut e = engine();
    assert!(e.load_unverified_payload(&payload_with(1, json!({}))).is_ok());
    assert_eq!(e.load_unverified_payload(b"{").unwrap_err().check(), "parse");
}
