//! Every step of DESIGN.md's evaluation order, typed access, sticky
//! assignment, schedules and staleness.

mod common;

use common::{context, eval, snapshot, NOW};
use edgeflag::{Assignment, Assignments, ErrorCode, Input, Reason};
use serde_json::json;

fn shop() -> edgeflag::Snapshot {
    snapshot(
        json!({
            "base": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                     "rules": [{"id": "members", "when": {"attribute": "member", "op": "equals", "values": true}, "serve": "on"}],
                     "default": "off"},
            "killed": {"type": "boolean", "enabled": false, "variants": {"on": true, "off": false}, "off_variant": "off",
                       "targets": {"on": ["vip"]}, "default": "on"},
            "child": {"type": "string", "variants": {"a": "A", "b": "B", "off": "OFF"}, "off_variant": "off",
                      "prerequisites": [{"flag": "base", "variants": ["on"]}],
                      "targets": {"b": ["vip"]},
                      "rules": [
                        {"id": "half", "when": {"attribute": "country", "op": "equals", "values": "DE"},
                         "serve": {"rollout": {"split": [{"variant": "a", "weight": 100}], "exposure": 0}}},
                        {"id": "german", "when": {"attribute": "country", "op": "equals", "values": "DE"}, "serve": "b"}
                      ],
                      "default": "a"},
            "experiment": {"type": "string", "variants": {"x": "X", "y": "Y", "off": "-"}, "off_variant": "off",
                           "sticky": {"version": 2},
                           "targets": {"y": ["vip"]},
                           "default": {"rollout": {"split": [{"variant": "x", "weight": 50}, {"variant": "y", "weight": 50}]}}},
            "static": {"type": "number", "variants": {"n": 7}, "off_variant": "n", "default": "n"}
        }),
        json!({}),
    )
}

#[test]
fn unknown_flag_is_flag_not_found() {
    let s = shop();
    let d = eval(&s, "nope", &context(json!({})));
    assert_eq!((d.reason, d.error, d.value), (Reason::Error, Some(ErrorCode::FlagNotFound), None));
}

#[test]
fn a_disabled_flag_serves_its_off_variant_even_to_targets() {
    let s = shop();
    let d = eval(&s, "killed", &context(json!({"targetingKey": "vip"})));
    assert_eq!((d.reason, d.variant), (Reason::Disabled, Some("off")));
}

#[test]
fn a_failed_prerequisite_serves_off_and_names_the_prerequisite() {
    let s = shop();
    let d = eval(&s, "child", &context(json!({"targetingKey": "vip", "member": false})));
    assert_eq!((d.reason, d.variant, d.failed_prerequisite), (Reason::PrerequisiteFailed, Some("off"), Some("base")));
    let d = eval(&s, "child", &context(json!({"targetingKey": "vip", "member": true})));
    assert_eq!((d.reason, d.variant), (Reason::TargetingMatch, Some("b")));
}

#[test]
fn targets_win_over_rules() {
    let s = shop();
    let d = eval(&s, "child", &context(json!({"targetingKey": "vip", "member": true, "country": "FR"})));
    assert_eq!((d.reason, d.variant, d.rule_id), (Reason::TargetingMatch, Some("b"), None));
}

#[test]
fn a_unit_outside_a_rollout_falls_through_to_the_next_rule() {
    let s = shop();
    let d = eval(&s, "child", &context(json!({"targetingKey": "u1", "member": true, "country": "DE"})));
    assert_eq!((d.reason, d.variant, d.rule_id), (Reason::TargetingMatch, Some("b"), Some("german")));
}

#[test]
fn default_reason_is_default_with_targeting_and_static_without() {
    let s = shop();
    let d = eval(&s, "child", &context(json!({"targetingKey": "u1", "member": true, "country": "FR"})));
    assert_eq!((d.reason, d.variant), (Reason::Default, Some("a")));
    let d = eval(&s, "static", &context(json!({})));
    assert_eq!((d.reason, d.value), (Reason::Static, Some(&json!(7))));
}

#[test]
fn a_rollout_reports_bucket_exposure_and_a_new_sticky_assignment() {
    let s = shop();
    let d = eval(&s, "experiment", &context(json!({"targetingKey": "user-123"})));
    assert_eq!(d.reason, Reason::Split);
    assert_eq!(d.bucket, Some(edgeflag::bucket::bucket("experiment", "user-123")));
    assert_eq!(d.exposure, Some(100_000));
    let assigned = d.new_assignment.expect("sticky flags hand back the assignment");
    assert_eq!((assigned.flag, assigned.variant, assigned.version), ("experiment", d.variant.unwrap(), 2));
}

#[test]
fn a_stored_assignment_wins_over_targets_until_the_sticky_version_changes() {
    let s = shop();
    let ctx = context(json!({"targetingKey": "vip"}));
    let stored: Assignments = [Assignment { flag: "experiment".into(), variant: "x".into(), version: 2 }].into_iter().collect();
    let d = s.evaluate("experiment", &Input::new(&ctx, NOW).with_assignments(&stored));
    assert_eq!((d.reason, d.variant, d.sticky, d.new_assignment), (Reason::Split, Some("x"), true, None));

    let outdated: Assignments = [Assignment { flag: "experiment".into(), variant: "x".into(), version: 1 }].into_iter().collect();
    let d = s.evaluate("experiment", &Input::new(&ctx, NOW).with_assignments(&outdated));
    assert_eq!((d.reason, d.variant, d.sticky), (Reason::TargetingMatch, Some("y"), false));

    let vanished: Assignments = [Assignment { flag: "experiment".into(), variant: "gone".into(), version: 2 }].into_iter().collect();
    let d = s.evaluate("experiment", &Input::new(&ctx, NOW).with_assignments(&vanished));
    assert!(!d.sticky);
}

#[test]
fn a_missing_unit_falls_through_and_is_reported() {
    let s = shop();
    let d = eval(&s, "experiment", &context(json!({})));
    assert_eq!((d.reason, d.variant, d.unit_missing), (Reason::Default, Some("off"), true));
    let d = eval(&s, "experiment", &context(json!({"targetingKey": {"nested": 1}})));
    assert!(d.unit_missing);
    let d = eval(&s, "experiment", &context(json!({"targetingKey": 42})));
    assert_eq!(d.bucket, Some(edgeflag::bucket::bucket("experiment", "42")));
    let d = eval(&s, "experiment", &context(json!({"targetingKey": -7})));
    assert_eq!(d.bucket, Some(edgeflag::bucket::bucket("experiment", "-7")));
}

#[test]
fn typed_access_checks_the_declared_type() {
    let s = shop();
    let ctx = context(json!({"member": true}));
    let input = Input::new(&ctx, NOW);
    assert!(s.value("base", false, &input).value);
    let wrong = s.value("base", "default".to_owned(), &input);
    assert_eq!((wrong.value.as_str(), wrong.detail.error), ("default", Some(ErrorCode::TypeMismatch)));
    assert_eq!(s.value("static", 0.0, &input).value, 7.0);
    let missing = s.value("missing", 1.5, &input);
    assert_eq!((missing.value, missing.detail.error), (1.5, Some(ErrorCode::FlagNotFound)));
}

#[test]
fn an_expired_snapshot_serves_its_values_as_stale() {
    let s = shop();
    let ctx = context(json!({"member": true}));
    let d = s.evaluate("base", &Input::new(&ctx, common::FAR + 1));
    assert_eq!((d.reason, d.variant, d.rule_id), (Reason::Stale, Some("on"), Some("members")));
}

#[test]
fn evaluate_all_covers_every_flag_in_order() {
    let text = r#"{"schema":1,"environment":"t","version":1,"issued_at":0,"expires_at":4102444800000,"flags":{
        "zeta":{"type":"boolean","variants":{"on":true},"off_variant":"on","default":"on"},
        "alpha":{"type":"boolean","variants":{"on":true},"off_variant":"on","default":"on"},
        "mid":{"type":"boolean","variants":{"on":true},"off_variant":"on","default":"on"}}}"#;
    let s = edgeflag::Snapshot::compile(edgeflag::model::Payload::from_json(text).unwrap()).unwrap();
    let ctx = context(json!({}));
    let all = s.evaluate_all(&Input::new(&ctx, NOW));
    let keys: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, ["zeta", "alpha", "mid"]);
    assert!(all.iter().all(|(_, d)| d.reason == Reason::Static));
}

#[test]
fn explain_records_each_step() {
    use edgeflag::eval::Step;
    let s = shop();
    let ctx = context(json!({"targetingKey": "u1", "member": true, "country": "DE"}));
    let (detail, steps) = s.explain("child", &Input::new(&ctx, NOW));
    assert_eq!(detail.rule_id, Some("german"));
    assert!(matches!(steps[0], Step::Prerequisite { flag: "base", satisfied: true, .. }));
    assert!(steps.contains(&Step::Target { variant: None }));
    assert!(steps.contains(&Step::Rule { id: "half", matched: true }));
    assert!(steps.iter().any(|s| matches!(s, Step::Rollout { exposure: 0, variant: None, .. })));
    assert_eq!(steps.last(), Some(&Step::Rule { id: "german", matched: true }));
}

#[test]
fn schedules_ramp_exposure_with_now() {
    let s = snapshot(
        json!({"ramp": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                        "default": {"rollout": {"split": [{"variant": "on", "weight": 100}],
                          "exposure": {"linear": [{"at": 0, "percent": 0}, {"at": 1000, "percent": 100}]}}}},
               "steps": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                        "default": {"rollout": {"split": [{"variant": "on", "weight": 100}],
                          "exposure": {"steps": [{"at": "1970-01-01T00:00:01Z", "percent": 25}, {"at": 2000, "percent": 75}]}}}}}),
        json!({}),
    );
    // A unit bucketed low enough to be inside both rollouts at 25 % exposure.
    let low = (0..)
        .map(|i| format!("user-{i}"))
        .find(|u| edgeflag::bucket::bucket("ramp", u) < 25_000 && edgeflag::bucket::bucket("steps", u) < 25_000);
    let ctx = context(json!({"targetingKey": low.unwrap()}));
    let exposure = |flag: &str, now: i64| s.evaluate(flag, &Input::new(&ctx, now)).exposure;
    let on_at = |flag: &str, now: i64| s.evaluate(flag, &Input::new(&ctx, now)).variant == Some("on");
    assert_eq!(exposure("ramp", 500), Some(50_000));
    assert_eq!(exposure("ramp", 1000), Some(100_000));
    assert!(!on_at("ramp", -1));
    assert_eq!(exposure("steps", 1999), Some(25_000));
    assert_eq!(exposure("steps", 2000), Some(75_000));
    assert!(!on_at("steps", 999));
}

#[test]
fn constant_values_are_exactly_the_context_free_ones() {
    let s = shop();
    let constant = |key: &str| s.constant_value(s.flag_id(key).unwrap()).cloned();
    assert_eq!(constant("killed"), Some(json!(false)), "a disabled flag serves its off variant");
    assert_eq!(constant("static"), Some(json!(7)));
    assert_eq!(constant("base"), None, "rules depend on the context");
    assert_eq!(constant("child"), None, "prerequisites depend on the context");
    assert_eq!(constant("experiment"), None, "sticky and rollouts depend on the unit");
    let ctx = context(json!({"targetingKey": "vip", "member": true}));
    for key in ["killed", "static"] {
        assert_eq!(eval(&s, key, &ctx).value.cloned(), constant(key), "{key}");
    }
}

#[test]
fn a_detail_variant_id_indexes_the_flag_variant_values() {
    let s = shop();
    for ctx in [context(json!({"targetingKey": "vip", "member": true})), context(json!({"targetingKey": "u-7"}))] {
        for key in ["killed", "static", "base", "child", "experiment"] {
            let id = s.flag_id(key).unwrap();
            let detail = eval(&s, key, &ctx);
            let indexed = detail.variant_id.and_then(|v| s.variant_values(id).nth(v as usize));
            assert_eq!(indexed, detail.value, "{key}");
        }
    }
    assert_eq!(s.constant_variant(s.flag_id("static").unwrap()), Some(0));
    assert_eq!(s.constant_variant(s.flag_id("base").unwrap()), None);
}

#[test]
fn only_scheduled_rollouts_make_a_flag_depend_on_time() {
    let s = snapshot(
        json!({
            "ramp": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                     "default": {"rollout": {"split": [{"variant": "on", "weight": 100}], "exposure": {"linear": [{"at": 0, "percent": 0}, {"at": 10, "percent": 100}]}}}},
            "fixed": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                      "default": {"rollout": {"split": [{"variant": "on", "weight": 100}], "exposure": 50}}},
            "gated": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off", "default": "on",
                      "prerequisites": [{"flag": "ramp", "variants": ["on"]}]}
        }),
        json!({}),
    );
    let timed = |key: &str| s.depends_on_time(s.flag_id(key).unwrap());
    assert!(timed("ramp"));
    assert!(!timed("fixed"));
    assert!(timed("gated"), "a prerequisite on a ramp makes the flag time-dependent");
}

/// A boolean flag `f` that is on when every `(attribute, value)` equals.
fn all_equal(pairs: &[(&str, &str)]) -> edgeflag::Snapshot {
    let clauses: Vec<_> = pairs.iter().map(|(a, v)| json!({"attribute": a, "op": "equals", "values": v})).collect();
    common::gated(json!({"all": clauses}))
}

#[test]
fn a_context_remembers_attributes_per_snapshot() {
    // Path 0 is `tier` in one snapshot and `country` in the other: what the
    // context found for one must not answer for the other.
    let by_tier = all_equal(&[("tier", "premium")]);
    let by_country = all_equal(&[("country", "DE")]);
    let ctx = context(json!({"tier": "premium", "country": "DE"}));
    for _ in 0..2 {
        assert_eq!(eval(&by_tier, "f", &ctx).variant, Some("on"));
        assert_eq!(eval(&by_country, "f", &ctx).variant, Some("on"));
    }
}

#[test]
fn a_context_read_again_forgets_what_it_found() {
    let by_tier = all_equal(&[("tier", "premium")]);
    let mut ctx = context(json!({"tier": "premium"}));
    assert_eq!(eval(&by_tier, "f", &ctx).variant, Some("on"));
    ctx.read_json(r#"{"tier":"basic"}"#).unwrap();
    assert_eq!(eval(&by_tier, "f", &ctx).variant, Some("off"));
    ctx.read_json(r#"{"other":"premium","tier":"premium"}"#).unwrap();
    assert_eq!(eval(&by_tier, "f", &ctx).variant, Some("on"));
}

#[test]
fn paths_that_share_a_remembered_slot_take_turns_in_it() {
    // 20 paths, 16 slots: some paths replace each other in one slot on every
    // evaluation. Each wants its own value, so reading a path from a slot that
    // another one holds would turn the flag off.
    let wanted = |i: usize| if i % 2 == 0 { "even" } else { "odd" };
    let names: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
    let pairs: Vec<(&str, &str)> = names.iter().enumerate().map(|(i, n)| (n.as_str(), wanted(i))).collect();
    let snapshot = all_equal(&pairs);
    let attributes = |last: &str| {
        let mut map: serde_json::Map<_, _> = names.iter().enumerate().map(|(i, n)| (n.clone(), json!(wanted(i)))).collect();
        map.insert("a19".to_owned(), json!(last));
        context(serde_json::Value::Object(map))
    };
    let (every, last_differs) = (attributes("odd"), attributes("even"));
    for _ in 0..3 {
        assert_eq!(eval(&snapshot, "f", &every).variant, Some("on"));
        assert_eq!(eval(&snapshot, "f", &last_differs).variant, Some("off"));
    }
}

#[test]
fn snapshots_can_be_shared_across_threads_and_contexts_sent_between_them() {
    fn shared<T: Send + Sync>() {}
    fn sent<T: Send>() {}
    shared::<edgeflag::Snapshot>();
    sent::<edgeflag::Context>();
    let snapshot = std::sync::Arc::new(all_equal(&[("tier", "premium")]));
    let ctx = context(json!({"tier": "premium"}));
    let worker = std::thread::spawn({
        let snapshot = snapshot.clone();
        move || eval(&snapshot, "f", &ctx).variant.map(str::to_owned)
    });
    assert_eq!(worker.join().unwrap().as_deref(), Some("on"));
}
