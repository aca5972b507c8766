//! Native evaluation and load benchmarks (criterion). They print figures and
//! never fail on time: `cargo bench --bench evaluate`.

mod common;

use common::{mixed_envelope, mixed_payload, scenarios, units, FIVE_ATTRIBUTES, NOW};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use edgeflag::model::Payload;
use edgeflag::{Context, Engine, Input, Keyring, Policy, Snapshot};

fn evaluation(c: &mut Criterion) {
    let snapshot = scenarios();
    let context = Context::from_json(FIVE_ATTRIBUTES).unwrap();
    let input = Input::new(&context, NOW);
    for flag in ["static", "one-clause", "nested", "regex"] {
        let id = snapshot.flag_id(flag).unwrap();
        c.bench_function(&format!("evaluate/{flag}"), |b| b.iter(|| black_box(snapshot.evaluate_id(black_box(id), &input))));
    }
    let units = units(1024);
    let rollout = snapshot.flag_id("rollout").unwrap();
    let mut next = 0;
    c.bench_function("evaluate/rollout-50-50", |b| {
        b.iter(|| {
            next = (next + 1) % units.len();
            black_box(snapshot.evaluate_id(rollout, &Input::new(&units[next], NOW)))
        })
    });
    c.bench_function("context/5-attributes-from-json", |b| b.iter(|| black_box(Context::from_json(black_box(FIVE_ATTRIBUTES)))));
    let hundred = Snapshot::compile(&Payload::from_json(std::str::from_utf8(&mixed_payload(100)).unwrap()).unwrap()).unwrap();
    c.bench_function("evaluate-all/100-flags", |b| b.iter(|| black_box(hundred.evaluate_all(&input))));
}

fn loading(c: &mut Criterion) {
    let ring = Keyring::from_hex([common::key().public_key_hex()]).unwrap();
    for count in [200, 1_000] {
        let envelope = mixed_envelope(count);
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
