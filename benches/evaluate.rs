//! Native evaluation and load benchmarks (criterion). They print figures and
//! never fail on time: `cargo bench --bench evaluate`.

mod common;

use common::{five_attributes_compact, mixed_envelope, mixed_payload, scenarios, units, FIVE_ATTRIBUTES, NOW};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use edgeflag::model::Payload;
use edgeflag::{Context, Engine, Input, Keyring, Policy, Snapshot};

fn evaluation(c: &mut Criterion) {
    let snapshot = scenarios();
    let five = Context::from_json(FIVE_ATTRIBUTES).unwrap();
    let empty = Context::new();
    let input = Input::new(&five, NOW);
    let single = [("E1", &empty), ("E4", &five), ("E6", &five), ("E9", &five), ("E10", &five), ("O3", &five), ("O4", &five)];
    for (flag, context) in single {
        let id = snapshot.flag_id(flag).unwrap();
        let input = Input::new(context, NOW);
        c.bench_function(&format!("evaluate/{flag}"), |b| b.iter(|| black_box(snapshot.evaluate_id(black_box(id), &input))));
    }
    c.bench_function("evaluate/E11-missing", |b| b.iter(|| black_box(snapshot.evaluate(black_box("no-such-flag"), &input))));
    let units = units(10_000);
    for flag in ["O1", "O2", "O5"] {
        let id = snapshot.flag_id(flag).unwrap();
        let mut next = 0;
        c.bench_function(&format!("evaluate/{flag}-10000-units"), |b| {
            b.iter(|| {
                next = (next + 1) % units.len();
                black_box(snapshot.evaluate_id(id, &Input::new(&units[next], NOW)))
            })
        });
    }
    c.bench_function("context/5-attributes-from-json", |b| b.iter(|| black_box(Context::from_json(black_box(FIVE_ATTRIBUTES)))));
    let mut reused = Context::new();
    c.bench_function("context/5-attributes-read-into-a-used-context", |b| {
        b.iter(|| {
            reused.read_json(black_box(FIVE_ATTRIBUTES)).unwrap();
            black_box(&reused);
        })
    });
    let (text, words) = five_attributes_compact();
    c.bench_function("context/5-attributes-compact-into-a-used-context", |b| {
        b.iter(|| {
            reused.read_compact(black_box(&text), black_box(&words)).unwrap();
            black_box(&reused);
        })
    });
    let ten: Vec<_> = ["E1", "E4", "E6", "E9", "E10", "O1", "O2", "O3", "O4", "O5"].iter().map(|f| snapshot.flag_id(f).unwrap()).collect();
    c.bench_function("per-request/context+10-flags", |b| {
        b.iter(|| {
            let context = Context::from_json(black_box(FIVE_ATTRIBUTES)).unwrap();
            let input = Input::new(&context, NOW);
            ten.iter().for_each(|&id| {
                black_box(snapshot.evaluate_id(id, &input));
            });
        })
    });
    let hundred = Snapshot::compile(Payload::from_json(std::str::from_utf8(&mixed_payload(100)).unwrap()).unwrap()).unwrap();
    c.bench_function("evaluate-all/100-flags", |b| b.iter(|| black_box(hundred.evaluate_all(&input))));
}

fn loading(c: &mut Criterion) {
    let ring = Keyring::from_hex([common::key().public_key_hex()]).unwrap();
    let mut group = c.benchmark_group("verify+load");
    for count in [5, 200, 1_000, 10_000] {
        let envelope = mixed_envelope(count);
        group.sample_size(if count >= 10_000 { 10 } else { 50 });
        group.bench_function(format!("{count}-flags"), |b| {
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
    group.finish();
}

criterion_group!(benches, evaluation, loading);
criterion_main!(benches);
