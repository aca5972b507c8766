//! Every clause operator: match, no match, missing attribute, wrong type,
//! negation, case-insensitivity and list attributes.

mod common;

use common::holds;
use serde_json::json;

fn clause(attribute: &str, op: &str, values: serde_json::Value) -> serde_json::Value {
    json!({"attribute": attribute, "op": op, "values": values})
}

#[test]
fn equals_and_in_compare_strings_numbers_and_booleans() {
    let c = clause("plan", "in", json!(["gold", "silver"]));
    assert!(holds(c.clone(), json!({"plan": "gold"})));
    assert!(!holds(c.clone(), json!({"plan": "Gold"})));
    assert!(!holds(c, json!({"plan": 3})));
    assert!(holds(clause("n", "equals", json!([42])), json!({"n": 42})));
    assert!(holds(clause("n", "equals", json!([42])), json!({"n": 42.0})));
    assert!(holds(clause("b", "equals", json!(false)), json!({"b": false})));
    assert!(!holds(clause("b", "equals", json!(false)), json!({"b": true})));
}

#[test]
fn string_operators_and_their_case_insensitive_forms() {
    assert!(holds(clause("email", "ends_with", json!("@example.com")), json!({"email": "a@example.com"})));
    assert!(!holds(clause("email", "ends_with", json!("@example.com")), json!({"email": "a@EXAMPLE.com"})));
    let ci = json!({"attribute": "email", "op": "ends_with", "values": "@Example.COM", "ignore_case": true});
    assert!(holds(ci, json!({"email": "a@EXAMPLE.com"})));
    assert!(holds(clause("ua", "contains", json!(["Firefox", "Safari"])), json!({"ua": "Mozilla Safari/605"})));
    assert!(holds(clause("path", "starts_with", json!("/shop")), json!({"path": "/shop/cart"})));
    assert!(!holds(clause("path", "starts_with", json!("/shop")), json!({"path": "/blog"})));
    let ci_eq = json!({"attribute": "country", "op": "equals", "values": ["de"], "ignore_case": true});
    assert!(holds(ci_eq, json!({"country": "DE"})));
}

#[test]
fn case_insensitive_operators_lower_each_character_alone() {
    // A final capital sigma lowers to σ as any other does, not to the final form ς.
    let word = json!({"attribute": "city", "op": "equals", "values": "ΟΔΟΣ", "ignore_case": true});
    assert!(holds(word.clone(), json!({"city": "οδοσ"})));
    assert!(holds(word.clone(), json!({"city": "Οδοσ"})));
    assert!(!holds(word, json!({"city": "οδος"})));
    let suffix = json!({"attribute": "name", "op": "ends_with", "values": "ÇA", "ignore_case": true});
    assert!(holds(suffix, json!({"name": "Ça va, ça"})));
}

#[test]
fn matches_uses_regular_expressions() {
    let c = clause("ua", "matches", json!("^Mozilla/5\\.0 .*(iPhone|Android)"));
    assert!(holds(c.clone(), json!({"ua": "Mozilla/5.0 (iPhone; CPU)"})));
    assert!(!holds(c, json!({"ua": "curl/8.0"})));
    let ci = json!({"attribute": "ua", "op": "matches", "values": "iphone", "ignore_case": true});
    assert!(holds(ci, json!({"ua": "IPHONE"})));
}

#[test]
fn matches_does_not_search_strings_beyond_its_limit() {
    use edgeflag::compile::limits::MAX_SEARCHED_BYTES;
    let ends_with_x = clause("ua", "matches", json!("x$"));
    let negated = json!({"attribute": "ua", "op": "matches", "values": "x$", "negate": true});
    let at_limit = format!("{}x", "a".repeat(MAX_SEARCHED_BYTES - 1));
    assert!(holds(ends_with_x.clone(), json!({ "ua": at_limit })));
    let beyond = format!("a{at_limit}");
    assert!(!holds(ends_with_x, json!({ "ua": beyond })));
    assert!(!holds(negated.clone(), json!({ "ua": beyond })), "neither the clause nor its negation holds");
    assert!(holds(negated, json!({ "ua": "a".repeat(MAX_SEARCHED_BYTES) })));
}

#[test]
fn numeric_comparisons() {
    for (op, value, expected) in
        [("lt", 9, true), ("lt", 10, false), ("le", 10, true), ("gt", 11, true), ("gt", 10, false), ("ge", 10, true)]
    {
        assert_eq!(holds(clause("age", op, json!(10)), json!({"age": value})), expected, "{op} {value}");
    }
    assert!(holds(clause("score", "ge", json!(0.5)), json!({"score": 0.75})));
    assert!(!holds(clause("age", "lt", json!(10)), json!({"age": "9"})));
}

#[test]
fn time_comparisons_accept_rfc3339_and_epoch_ms() {
    let before = clause("signup", "before", json!("2026-01-01T00:00:00Z"));
    assert!(holds(before.clone(), json!({"signup": "2025-12-31T23:59:59Z"})));
    assert!(!holds(before.clone(), json!({"signup": "2026-01-01T00:00:00Z"})));
    assert!(holds(before, json!({"signup": 1_700_000_000_000i64})));
    let after = clause("signup", "after", json!(1_767_225_600_000i64));
    assert!(holds(after.clone(), json!({"signup": "2026-01-01T00:00:00.001Z"})));
    assert!(!holds(after, json!({"signup": "not a date"})));
}

#[test]
fn semver_comparisons_follow_precedence() {
    let cases = [
        ("semver_eq", "1.2.3", "1.2.3", true),
        ("semver_eq", "1.2.3", "v1.2.3", true),
        ("semver_lt", "2.0.0", "2.0.0-rc.1", true),
        ("semver_lt", "2.0.0", "2.0.0", false),
        ("semver_le", "2.0.0", "2.0.0", true),
        ("semver_gt", "1.9.0", "1.10.0", true),
        ("semver_ge", "1.10.0", "1.9.9", false),
        ("semver_eq", "1.2.3", "1.2.3+build.7", true),
    ];
    for (op, bound, version, expected) in cases {
        assert_eq!(holds(clause("v", op, json!(bound)), json!({"v": version})), expected, "{version} {op} {bound}");
    }
    assert!(!holds(clause("v", "semver_gt", json!("1.0.0")), json!({"v": "banana"})));
}

#[test]
fn exists_and_missing_attributes() {
    assert!(holds(json!({"attribute": "geo.country", "op": "exists"}), json!({"geo": {"country": "DE"}})));
    assert!(!holds(json!({"attribute": "geo.country", "op": "exists"}), json!({"geo": {"country": null}})));
    assert!(!holds(json!({"attribute": "geo.country", "op": "exists"}), json!({})));
}

#[test]
fn ip_in_cidr_for_v4_v6_and_mapped_addresses() {
    let c = clause("ip", "in_cidr", json!(["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"]));
    assert!(holds(c.clone(), json!({"ip": "10.200.3.4"})));
    assert!(!holds(c.clone(), json!({"ip": "11.0.0.1"})));
    assert!(holds(c.clone(), json!({"ip": "2001:db8:1::5"})));
    assert!(holds(c.clone(), json!({"ip": "::ffff:10.1.2.3"})));
    assert!(holds(c.clone(), json!({"ip": "192.168.1.7"})));
    assert!(!holds(c.clone(), json!({"ip": "192.168.1.8"})));
    assert!(!holds(c, json!({"ip": "not-an-ip"})));
    assert!(holds(clause("ip", "in_cidr", json!("0.0.0.0/0")), json!({"ip": "8.8.8.8"})));
}

#[test]
fn negation_never_matches_a_missing_attribute() {
    let not_gold = json!({"attribute": "plan", "op": "equals", "values": "gold", "negate": true});
    assert!(holds(not_gold.clone(), json!({"plan": "silver"})));
    assert!(!holds(not_gold.clone(), json!({"plan": "gold"})));
    assert!(!holds(not_gold.clone(), json!({})));
    assert!(!holds(not_gold, json!({"plan": null})));
    // A type mismatch is "no match", so its negation holds.
    assert!(holds(json!({"attribute": "age", "op": "lt", "values": 3, "negate": true}), json!({"age": "x"})));
}

#[test]
fn list_attributes_match_when_any_element_matches() {
    let c = clause("groups", "equals", json!("admins"));
    assert!(holds(c.clone(), json!({"groups": ["staff", "admins"]})));
    assert!(!holds(c, json!({"groups": ["staff"]})));
}

#[test]
fn all_any_not_combine_conditions() {
    let gold = clause("plan", "equals", json!("gold"));
    let de = clause("country", "equals", json!("DE"));
    let all = json!({"all": [gold, de]});
    let any = json!({"any": [gold, de]});
    assert!(holds(all.clone(), json!({"plan": "gold", "country": "DE"})));
    assert!(!holds(all, json!({"plan": "gold", "country": "FR"})));
    assert!(holds(any.clone(), json!({"plan": "free", "country": "DE"})));
    assert!(!holds(any, json!({"plan": "free", "country": "FR"})));
    assert!(holds(json!({"not": gold}), json!({"plan": "free"})));
    assert!(holds(json!({"all": []}), json!({})));
    assert!(!holds(json!({"any": []}), json!({})));
}

#[test]
fn segments_include_exclude_and_nest() {
    let snapshot = common::snapshot(
        json!({"f": {"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off",
                      "rules": [{"when": {"segment": ["beta", "eu-staff"]}, "serve": "on"}], "default": "off"}}),
        json!({
            "beta": {"included": ["u1"], "excluded": ["u2"], "rules": [{"attribute": "email", "op": "ends_with", "values": "@beta.io"}]},
            "eu": {"rules": [{"attribute": "country", "op": "in", "values": ["DE", "FR"]}]},
            "eu-staff": {"rules": [{"all": [{"segment": "eu"}, {"attribute": "staff", "op": "equals", "values": true}]}]}
        }),
    );
    let on = |ctx: serde_json::Value| common::eval(&snapshot, "f", &common::context(ctx)).variant == Some("on");
    assert!(on(json!({"targetingKey": "u1"})));
    assert!(!on(json!({"targetingKey": "u2", "email": "x@beta.io"})));
    assert!(on(json!({"targetingKey": "u3", "email": "x@beta.io"})));
    assert!(on(json!({"country": "DE", "staff": true})));
    assert!(!on(json!({"country": "US", "staff": true})));
    assert!(on(json!({"targetingKey": 17, "email": "x@beta.io"})));
}
