//! The compiler's validation: references, cycles, weights, schedules, regexes,
//! types and limits, all reported together with their paths.

mod common;

use edgeflag::compile::{limits, CompileErrorKind};
use edgeflag::model::decode::DecodeErrorKind;
use edgeflag::model::PercentError;
use edgeflag::regex::RegexErrorKind;
use edgeflag::Snapshot;
use serde_json::{json, Value};

fn errors(flags: Value, segments: Value) -> Vec<(String, CompileErrorKind)> {
    Snapshot::compile(common::payload(flags, segments))
        .expect_err("payload must not compile")
        .into_iter()
        .map(|e| (e.path, e.kind))
        .collect()
}

fn boolean(extra: Value) -> Value {
    let mut flag = json!({"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off", "default": "off"});
    for (k, v) in extra.as_object().unwrap() {
        flag[k] = v.clone();
    }
    flag
}

#[test]
fn reports_every_problem_with_its_path() {
    let found = errors(
        json!({
            "a": {"type": "boolean", "variants": {"on": true, "off": "no"}, "off_variant": "of", "default": "on"},
            "b": boolean(json!({"rules": [{"when": {"segment": "ghost"}, "serve": "on"},
                                          {"when": {"attribute": "v", "op": "matches", "values": "(open"}, "serve": "maybe"}]}))
        }),
        json!({}),
    );
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["flags.a.variants.off", "flags.a.off_variant", "flags.b.rules[0].when.segment", "flags.b.rules[1].when", "flags.b.rules[1].serve"]
    );
    assert_eq!(found[1].1, CompileErrorKind::UnknownVariant("of".into()));
    assert!(
        matches!(&found[3].1, CompileErrorKind::InvalidRegex { pattern, reason } if pattern == "(open" && reason.kind == RegexErrorKind::UnclosedGroup)
    );
}

#[test]
fn prerequisite_and_segment_cycles_are_rejected() {
    let found = errors(
        json!({
            "a": boolean(json!({"prerequisites": [{"flag": "b", "variants": ["on"]}]})),
            "b": boolean(json!({"prerequisites": [{"flag": "c", "variants": ["on"]}]})),
            "c": boolean(json!({"prerequisites": [{"flag": "a", "variants": ["on"]}]})),
            "self": boolean(json!({"prerequisites": [{"flag": "self", "variants": ["on"]}]}))
        }),
        json!({"s1": {"rules": [{"segment": "s2"}]}, "s2": {"rules": [{"not": {"segment": "s1"}}]}}),
    );
    assert!(found.contains(&("segments.s1".into(), CompileErrorKind::SegmentCycle(vec!["s1".into(), "s2".into(), "s1".into()]))));
    assert!(found.iter().any(|(_, k)| matches!(k, CompileErrorKind::PrerequisiteCycle(keys) if keys.len() == 4)));
}

#[test]
fn prerequisites_must_name_existing_flags_and_variants() {
    let found = errors(
        json!({"a": boolean(json!({"prerequisites": [{"flag": "ghost", "variants": ["on"]}]})),
                              "b": boolean(json!({"prerequisites": [{"flag": "a", "variants": ["maybe"]}]}))}),
        json!({}),
    );
    assert_eq!(found[0], ("flags.a.prerequisites[0].flag".into(), CompileErrorKind::UnknownFlag("ghost".into())));
    assert_eq!(found[1], ("flags.b.prerequisites[0].variants[0]".into(), CompileErrorKind::UnknownVariant("maybe".into())));
}

#[test]
fn split_weights_must_sum_to_100_percent_with_distinct_variants() {
    let rollout = |split: Value| boolean(json!({"default": {"rollout": {"split": split}}}));
    let found = errors(
        json!({
            "short": rollout(json!([{"variant": "on", "weight": 50}, {"variant": "off", "weight": 49.999}])),
            "twice": rollout(json!([{"variant": "on", "weight": 50}, {"variant": "on", "weight": 50}])),
            "empty": rollout(json!([]))
        }),
        json!({}),
    );
    assert_eq!(found[0].1, CompileErrorKind::WeightsSum { total: 99_999 });
    assert_eq!(found[1].1, CompileErrorKind::DuplicateSplitVariant("on".into()));
    assert_eq!(found[2].1, CompileErrorKind::Empty("split"));
}

#[test]
fn percentages_allow_three_decimals_only() {
    let bad = json!({"type": "boolean", "variants": {"on": true}, "off_variant": "on",
                     "default": {"rollout": {"split": [{"variant": "on", "weight": 100}], "exposure": 12.3456}}});
    let error = edgeflag::model::Payload::from_json(&common::payload_json(json!({"f": bad}), json!({})).to_string()).unwrap_err();
    assert_eq!(error[0].path, "flags.f.default.rollout.exposure");
    assert_eq!(error[0].kind, DecodeErrorKind::BadPercent { text: "12.3456".into(), problem: PercentError::TooPrecise });
    let ok = json!({"type": "boolean", "variants": {"on": true}, "off_variant": "on",
                    "default": {"rollout": {"split": [{"variant": "on", "weight": "100%"}], "exposure": "0.001%"}}});
    assert!(edgeflag::model::Payload::from_json(&common::payload_json(json!({"f": ok}), json!({})).to_string()).is_ok());
}

#[test]
fn schedules_must_increase_in_time() {
    let flag = boolean(json!({"default": {"rollout": {"split": [{"variant": "on", "weight": 100}],
        "exposure": {"steps": [{"at": 2000, "percent": 10}, {"at": 2000, "percent": 20}]}}}}));
    assert_eq!(errors(json!({"f": flag}), json!({}))[0].1, CompileErrorKind::ScheduleOrder);
}

#[test]
fn operator_values_are_checked_at_compile_time() {
    let clause =
        |op: &str, values: Value| boolean(json!({"rules": [{"when": {"attribute": "x", "op": op, "values": values}, "serve": "on"}]}));
    let cases = [
        ("lt", json!("ten")),
        ("lt", json!([1, 2])),
        ("before", json!("yesterday")),
        ("semver_gt", json!("1.2")),
        ("in_cidr", json!("10.0.0.0/33")),
        ("exists", json!(["x"])),
        ("equals", json!([])),
        ("contains", json!([1])),
        ("equals", json!([{"nested": true}])),
    ];
    for (op, values) in cases {
        let found = errors(json!({"f": clause(op, values.clone())}), json!({}));
        assert_eq!(found.len(), 1, "{op} {values}");
        assert_eq!(found[0].0, "flags.f.rules[0].when");
    }
    let ci = boolean(json!({"rules": [{"when": {"attribute": "x", "op": "gt", "values": 1, "ignore_case": true}, "serve": "on"}]}));
    assert_eq!(errors(json!({"f": ci}), json!({}))[0].1, CompileErrorKind::IgnoreCaseUnsupported("gt"));
}

#[test]
fn a_unit_targeted_to_two_variants_is_rejected() {
    let found = errors(json!({"f": boolean(json!({"targets": {"on": ["u1"], "off": ["u1"]}}))}), json!({}));
    assert_eq!(found[0], ("flags.f.targets.off[0]".into(), CompileErrorKind::DuplicateTarget("u1".into())));
}

#[test]
fn rule_ids_are_unique() {
    let rule = json!({"id": "same", "when": {"all": []}, "serve": "on"});
    let found = errors(json!({"f": boolean(json!({"rules": [rule, rule]}))}), json!({}));
    assert_eq!(found[0].1, CompileErrorKind::DuplicateRuleId("same".into()));
    // A rule without an id is `rule-<position>`, which an explicit id may repeat.
    let unnamed = json!({"when": {"all": []}, "serve": "on"});
    let named = json!({"id": "rule-2", "when": {"all": []}, "serve": "on"});
    let found = errors(json!({"f": boolean(json!({"rules": [named, unnamed]}))}), json!({}));
    assert_eq!(found, [("flags.f.rules[1].id".into(), CompileErrorKind::DuplicateRuleId("rule-2".into()))]);
    // Beyond the scanned few, ids are hashed: a repeat there is found too.
    let mut rules = vec![unnamed; 40];
    rules.push(json!({"id": "rule-33", "when": {"all": []}, "serve": "on"}));
    let found = errors(json!({"f": boolean(json!({"rules": rules}))}), json!({}));
    assert_eq!(found, [("flags.f.rules[40].id".into(), CompileErrorKind::DuplicateRuleId("rule-33".into()))]);
}

#[test]
fn nesting_depth_is_limited() {
    let mut condition = json!({"attribute": "x", "op": "exists"});
    for _ in 0..=limits::MAX_CONDITION_DEPTH {
        condition = json!({"not": condition});
    }
    let found = errors(json!({"f": boolean(json!({"rules": [{"when": condition, "serve": "on"}]}))}), json!({}));
    assert_eq!(found[0].1, CompileErrorKind::TooDeep { limit: limits::MAX_CONDITION_DEPTH });
}

#[test]
fn prerequisite_chains_are_limited() {
    let mut flags = serde_json::Map::new();
    for i in 0..=limits::MAX_REFERENCE_DEPTH + 1 {
        let prerequisites = if i == 0 { json!([]) } else { json!([{"flag": format!("f{}", i - 1), "variants": ["on"]}]) };
        flags.insert(format!("f{i}"), boolean(json!({"prerequisites": prerequisites})));
    }
    let found = errors(Value::Object(flags), json!({}));
    assert!(matches!(found[0].1, CompileErrorKind::TooDeep { .. }));
}

#[test]
fn clause_value_counts_are_limited() {
    let values: Vec<String> = (0..=limits::MAX_CLAUSE_VALUES).map(|i| i.to_string()).collect();
    let flag = boolean(json!({"rules": [{"when": {"attribute": "x", "op": "in", "values": values}, "serve": "on"}]}));
    let found = errors(json!({"f": flag}), json!({}));
    assert!(matches!(found[0].1, CompileErrorKind::TooMany { what: "clause values", .. }));
}

#[test]
fn the_schema_version_is_checked() {
    let mut payload = common::payload(json!({}), json!({}));
    payload.schema = 2;
    let found = Snapshot::compile(payload).unwrap_err();
    assert_eq!(found[0].kind, CompileErrorKind::UnsupportedSchema(2));
}
