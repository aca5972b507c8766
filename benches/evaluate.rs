//! Native evaluation and load benchmarks (criterion). They print figures and
//! never fail on time: `cargo bench --bench evaluate`.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use edgeflag::model::Payload;
use edgeflag::{envelope, Context, Engine, Input, Keyring, Policy, SigningKey, Snapshot};
use serde_json::{json, Value};

const NOW: i64 = 1_795_651_200_000;

fn boolean(extra: Value) -> Value {
    let mut flag = json!({"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off", "default": "off"});
    extra.as_object().unwrap().iter().for_each(|(k, v)| flag[k] = v.clone());
    flag
}

fn payload(flags: serde_json::Map<String, Value>) -> Value {
    json!({"schema": 1, "environment": "bench", "version": 1, "issued_at": 0, "expires_at": 4_102_444_800_000i64, "flags": flags})
}

/// A flag of the mix used for load tests: 60 % static, 25 % one clause, 15 % nested or rollout.
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

fn mixed_payload(count: usize) -> Vec<u8> {
    let flags = (0..count).map(|i| (format!("flag-{i:05}"), mixed_flag(i))).collect();
    serde_json::to_vec(&payload(flags)).unwrap()
}

fn scenarios() -> Snapshot {
    let mut flags = serde_json::Map::new();
    flags.insert("static".into(), boolean(json!({"default": "on"})));
    flags.insert(
        "one-clause".into(),
        boolean(json!({"rules": [{"when": {"attribute": "tier", "op": "equals", "values": "premium"}, "serve": "on"}]})),
    );
    flags.insert("nested".into(), mixed_flag(17));
    flags.insert("rollout".into(), mixed_flag(19));
    Snapshot::compile(&Payload::from_json(&payload(flags).to_string()).unwrap()).unwrap()
}

fn evaluation(c: &mut Criterion) {
    let snapshot = scenarios();
    let context =
        Context::from_json(r#"{"targetingKey":"user-123","tier":"premium","country":"DE","app":{"version":"2.4.1"},"email":"a@b.io"}"#)
            .unwrap();
    let input = Input::new(&context, NOW);
    for flag in ["static", "one-clause", "nested"] {
        let id = snapshot.flag_id(flag).unwrap();
        c.bench_function(&format!("evaluate/{flag}"), |b| b.iter(|| black_box(snapshot.evaluate_id(black_box(id), &input))));
    }
    let units: Vec<Context> = (0..1024).map(|i| Context::from_json(&format!(r#"{{"targetingKey":"unit-{i}"}}"#)).unwrap()).collect();
    let rollout = snapshot.flag_id("rollout").unwrap();
    let mut next = 0;
    c.bench_function("evaluate/rollout-50-50", |b| {
        b.iter(|| {
            next = (next + 1) % units.len();
            black_box(snapshot.evaluate_id(rollout, &Input::new(&units[next], NOW)))
        })
    });
    let hundred = Snapshot::compile(&Payload::from_json(std::str::from_utf8(&mixed_payload(100)).unwrap()).unwrap()).unwrap();
    c.bench_function("evaluate-all/100-flags", |b| b.iter(|| black_box(hundred.evaluate_all(&input))));
}

fn loading(c: &mut Criterion) {
    let key = SigningKey::from_seed([7; 32]);
    let ring = Keyring::from_hex([key.public_key_hex()]).unwrap();
    for count in [200, 1_000] {
        let envelope = envelope::sign(&mixed_payload(count), std::slice::from_ref(&key));
        c.bench_function(&format!("verify+load/{count}-flags"), |b| {
            b.iter_batched(
                || Engine::new(ring.clone(), Policy::new("bench")),
                |mut engine| {
                    engine.load(envelope.as_bytes(), NOW).unwrap();
                    engine
                },
                BatchSize::SmallInput,
            )
        });
    }
}

criterion_group!(benches, evaluation, loading);
criterion_main!(benches);
