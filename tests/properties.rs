//! Property tests: determinism, no panics on hostile contexts or payloads,
//! exposure monotonicity, and split accuracy.

mod common;

use edgeflag::bucket::{bucket, slot_of, BUCKETS};
use edgeflag::{Context, Engine, Input, Keyring, Policy, Snapshot};
use proptest::prelude::*;
use serde_json::{json, Value};

fn golden_snapshot() -> Snapshot {
    let golden: Value = serde_json::from_str(include_str!("vectors/golden.json")).unwrap();
    let ring = Keyring::from_hex([golden["public_key"].as_str().unwrap()]).unwrap();
    let policy = Policy::new(golden["environment"].as_str().unwrap());
    edgeflag::envelope::verify(golden["envelope"].as_str().unwrap().as_bytes(), &ring, &policy, None, common::NOW).unwrap().snapshot
}

fn golden_payload() -> Vec<u8> {
    let golden: Value = serde_json::from_str(include_str!("vectors/golden.json")).unwrap();
    edgeflag::envelope::payload_unverified(golden["envelope"].as_str().unwrap().as_bytes()).unwrap()
}

/// Arbitrary JSON, biased towards the attribute names the example flags read.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-zA-Z0-9@.:/ -]{0,24}".prop_map(Value::from),
        prop_oneof![Just("2.4.0"), Just("10.1.2.3"), Just("DE"), Just("premium"), Just("2026-11-02T10:00:00Z")].prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(attribute_name(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn attribute_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("targetingKey"),
            Just("geo"),
            Just("country"),
            Just("email"),
            Just("ip"),
            Just("plan"),
            Just("app"),
            Just("version"),
            Just("account"),
            Just("age_days"),
            Just("session"),
            Just("id"),
            Just("signup_date"),
        ]
        .prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ]
}

fn context_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(attribute_name(), json_value(), 0..10).prop_map(|m| Value::Object(m.into_iter().collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_is_deterministic_and_total(ctx in context_object(), now in 1_790_000_000_000i64..1_800_000_000_000) {
        let snapshot = golden_snapshot();
        let again = golden_snapshot();
        let context = Context::from_json(&ctx.to_string()).unwrap();
        let input = Input::new(&context, now);
        let first = snapshot.evaluate_all(&input);
        let second = again.evaluate_all(&input);
        prop_assert_eq!(first.len(), snapshot.flag_count());
        for ((k1, d1), (k2, d2)) in first.iter().zip(&second) {
            prop_assert_eq!(k1, k2);
            prop_assert_eq!(serde_json::to_value(d1).unwrap(), serde_json::to_value(d2).unwrap());
            prop_assert!(d1.value.is_some(), "every known flag serves a variant");
        }
    }

    #[test]
    fn arbitrary_json_contexts_never_panic(ctx in json_value()) {
        let snapshot = golden_snapshot();
        if let Ok(context) = Context::from_json(&ctx.to_string()) {
            let _ = snapshot.evaluate_all(&Input::new(&context, common::NOW));
        }
    }

    #[test]
    fn arbitrary_payload_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut engine = Engine::new(Keyring::from_hex([common::key(1).public_key_hex()]).unwrap(), Policy::new("test"));
        let _ = engine.load_unverified_payload(&bytes);
        let _ = engine.load(&bytes, common::NOW);
    }

    #[test]
    fn mutated_payloads_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = golden_payload();
        for (index, byte) in flips {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        let mut engine = Engine::new(Keyring::from_hex([common::key(1).public_key_hex()]).unwrap(), Policy::new("test"));
        if engine.load_unverified_payload(&bytes).is_ok() {
            let context = Context::from_json(r#"{"targetingKey":"u","geo":{"country":"DE"}}"#).unwrap();
            let _ = engine.snapshot().unwrap().evaluate_all(&Input::new(&context, common::NOW));
        }
    }

    #[test]
    fn arbitrary_payload_structures_never_panic(flags in prop::collection::btree_map("[a-c]", json_value(), 0..4)) {
        let payload = json!({"schema": 1, "environment": "t", "version": 1, "issued_at": 0, "expires_at": 1, "flags": flags});
        let bytes = serde_json::to_vec(&payload).unwrap();
        let mut engine = Engine::new(Keyring::from_hex([common::key(1).public_key_hex()]).unwrap(), Policy::new("t"));
        let _ = engine.load_unverified_payload(&bytes);
    }

    #[test]
    fn raising_exposure_never_moves_a_unit(
        unit in "[a-z0-9-]{0,20}",
        cuts in prop::collection::vec(1u32..BUCKETS, 0..5),
        low in 0u32..=BUCKETS,
        high in 0u32..=BUCKETS,
    ) {
        let (low, high) = (low.min(high), low.max(high));
        let mut points = cuts;
        points.sort_unstable();
        points.dedup();
        let weights: Vec<u32> = points.iter().chain([&BUCKETS]).scan(0, |prev, &p| { let w = p - *prev; *prev = p; Some(w) }).collect();
        let b = bucket("prop-flag", &unit);
        if let Some(slot) = slot_of(weights.iter().copied(), b, low) {
            prop_assert_eq!(slot_of(weights.iter().copied(), b, high), Some(slot));
        }
        prop_assert!(slot_of(weights.iter().copied(), b, BUCKETS).is_some(), "at full exposure every unit has a slot");
    }
}

#[test]
fn splits_land_within_half_a_percent_of_their_weights() {
    const UNITS: u32 = 200_000;
    let splits: [&[u32]; 4] = [&[50_000, 50_000], &[34_000, 33_000, 33_000], &[10_000, 20_000, 30_000, 40_000], &[12_500; 8]];
    for (seed, weights) in ["split-a", "split-b", "split-c", "split-d"].iter().zip(splits) {
        let mut counts = vec![0u32; weights.len()];
        for i in 0..UNITS {
            let slot = slot_of(weights.iter().copied(), bucket(seed, &format!("unit-{i}")), BUCKETS).unwrap();
            counts[slot] += 1;
        }
        for (count, &weight) in counts.iter().zip(weights) {
            let share = f64::from(*count) / f64::from(UNITS);
            let expected = f64::from(weight) / f64::from(BUCKETS);
            assert!((share - expected).abs() <= 0.005, "{seed}: share {share:.4} vs weight {expected:.4}");
        }
    }
}
