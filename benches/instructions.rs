//! Fixed workloads whose instruction counts are budgets: run under callgrind
//! by `scripts/instruction-budgets.sh`, which counts only what happens inside
//! `measured` (setup is not counted) and fails when a count exceeds its
//! ceiling. Counts are deterministic, unlike times on a shared machine.
//!   cargo bench --bench instructions -- <workload>   (runs it once, prints nothing)

mod common;

use common::{five_attributes_compact, mixed_envelope, scenarios, units, FIVE_ATTRIBUTES, NOW};
use edgeflag::{Context, Engine, FlagId, Input, Keyring, Policy, Snapshot};
use std::hint::black_box;

/// Evaluations per evaluation workload; its count divided by this is per evaluation.
const EVALUATIONS: usize = 1_000;

/// What one workload needs, prepared before measuring.
enum Workload {
    Load {
        engine: Engine,
        envelope: String,
    },
    Evaluate {
        snapshot: Snapshot,
        flag: &'static str,
        contexts: Vec<Context>,
    },
    /// Reading contexts into one reused context, as the bindings' slab does.
    Context(Box<Context>),
    /// A request's core work as the bindings do it: the five attributes read
    /// in the compact form the JS shim writes (its text and words) into a
    /// reused context, then `flags` evaluated once each (none: the read alone).
    Request {
        snapshot: Snapshot,
        flags: Vec<FlagId>,
        context: Box<Context>,
        text: String,
        words: Vec<u32>,
    },
}

/// The flags a request evaluates (as the JS benchmarks' per-request scenario).
const REQUEST_FLAGS: [&str; 10] = ["E1", "E4", "E6", "E9", "E10", "O1", "O2", "O3", "O4", "O5"];

fn prepare(name: &str) -> Workload {
    let ring = Keyring::from_hex([common::key().public_key_hex()]).unwrap();
    let evaluate = |flag, contexts| Workload::Evaluate { snapshot: scenarios(), flag, contexts };
    let five = || vec![Context::from_json(FIVE_ATTRIBUTES).unwrap()];
    if let Some(flag) = ["E4", "E6", "O3", "O4"].into_iter().find(|flag| *flag == name) {
        return evaluate(flag, five());
    }
    match name {
        "load-1000" => Workload::Load { engine: Engine::new(ring, Policy::new("bench")), envelope: mixed_envelope(1_000) },
        "reload-1000" => {
            // A refresh: the engine already serves this snapshot (the same version may load again).
            let (mut engine, envelope) = (Engine::new(ring, Policy::new("bench")), mixed_envelope(1_000));
            engine.load(envelope.as_bytes(), NOW).unwrap();
            Workload::Load { engine, envelope }
        }
        "E1" => evaluate("E1", vec![Context::new()]),
        "O1" => evaluate("O1", units(EVALUATIONS)),
        "context" => Workload::Context(Box::default()),
        "context-compact" | "request" => {
            let snapshot = scenarios();
            let flags =
                if name == "request" { REQUEST_FLAGS.iter().map(|flag| snapshot.flag_id(flag).unwrap()).collect() } else { Vec::new() };
            let (text, words) = five_attributes_compact();
            Workload::Request { snapshot, flags, context: Box::default(), text, words }
        }
        other => panic!("unknown workload {other}"),
    }
}

#[inline(never)]
fn measured(workload: &mut Workload) {
    match workload {
        Workload::Load { engine, envelope } => {
            engine.load(envelope.as_bytes(), NOW).unwrap();
        }
        Workload::Evaluate { snapshot, flag, contexts } => {
            let id = snapshot.flag_id(flag).unwrap();
            for i in 0..EVALUATIONS {
                black_box(snapshot.evaluate_id(id, &Input::new(&contexts[i % contexts.len()], NOW)).variant_id);
            }
        }
        Workload::Context(context) => {
            for _ in 0..EVALUATIONS {
                context.read_json(black_box(FIVE_ATTRIBUTES)).unwrap();
                black_box(&*context);
            }
        }
        Workload::Request { snapshot, flags, context, text, words } => {
            for _ in 0..EVALUATIONS {
                context.read_compact(black_box(text), black_box(words)).unwrap();
                for &id in flags.iter() {
                    black_box(snapshot.evaluate_id(id, &Input::new(context, NOW)).variant_id);
                }
                black_box(&*context);
            }
        }
    }
}

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "load-1000".to_owned());
    let mut workload = prepare(&name);
    measured(&mut workload);
}
