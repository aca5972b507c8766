//! Shared golden vectors: a signed snapshot of examples/flags.yaml, contexts,
//! times and stored assignments, and the expected detail of every evaluation.
//! The wasm package runs the same file in Node, workerd and Chromium.
//!
//! Regenerate after an intended change with
//! `EDGEFLAG_BLESS=1 cargo test --all-features --test golden -- --test-threads=1`,
//! and review the diff.

mod common;

use edgeflag::{Assignments, Context, Engine, Input, Keyring, Policy};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const GOLDEN: &str = "tests/vectors/golden.json";
/// The payload's fixed times: issued 2026-11-01, expires 2100-01-01.
const ISSUED: i64 = 1_793_491_200_000;

#[derive(Serialize, Deserialize)]
struct Golden {
    /// Hex public key of the test signer (seed 7).
    public_key: String,
    environment: String,
    /// The signed envelope, as text.
    envelope: String,
    cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
struct Case {
    name: String,
    flag: String,
    context: Value,
    now: i64,
    #[serde(default)]
    assignments: Assignments,
    expected: Value,
}

fn load(golden: &Golden) -> Engine {
    let ring = Keyring::from_hex([&golden.public_key]).unwrap();
    let mut engine = Engine::new(ring, Policy::new(&golden.environment));
    engine.load(golden.envelope.as_bytes(), ISSUED).expect("golden envelope verifies");
    engine
}

fn actual(engine: &Engine, case: &Case) -> Value {
    let context = Context::from_json(&case.context.to_string()).unwrap();
    let input = Input::new(&context, case.now).with_assignments(&case.assignments);
    serde_json::to_value(engine.snapshot().unwrap().evaluate(&case.flag, &input)).unwrap()
}

#[test]
fn golden_vectors_hold() {
    if std::env::var_os("EDGEFLAG_BLESS").is_some() {
        bless::write();
    }
    let golden: Golden = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let engine = load(&golden);
    assert!(golden.cases.len() >= 100, "the vectors cover many cases");
    let failures: Vec<String> = golden
        .cases
        .iter()
        .filter_map(|case| {
            let got = actual(&engine, case);
            (got != case.expected).then(|| format!("{}: expected {}, got {}", case.name, case.expected, got))
        })
        .collect();
    assert!(failures.is_empty(), "{} golden vector(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[cfg(feature = "authoring")]
#[test]
fn golden_payload_is_the_example_source() {
    let golden: Golden = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let payload = edgeflag::envelope::payload_unverified(golden.envelope.as_bytes()).unwrap();
    let signed = edgeflag::model::Payload::from_json(std::str::from_utf8(&payload).unwrap()).unwrap();
    assert_eq!(signed, bless::example_payload(), "examples/flags.yaml changed: re-bless the golden vectors");
}

#[cfg(feature = "authoring")]
mod bless {
    use super::*;
    use edgeflag::model::{Payload, Timestamp};
    use edgeflag::Assignment;

    pub fn example_payload() -> Payload {
        let text = std::fs::read_to_string("examples/flags.yaml").unwrap();
        let mut payload = edgeflag::authoring::read_source(&text, "examples/flags.yaml").unwrap().payload;
        payload.version = 1;
        payload.issued_at = Timestamp(ISSUED);
        payload.expires_at = Timestamp(common::FAR);
        payload
    }

    fn contexts() -> Vec<(&'static str, Value)> {
        vec![
            ("empty", json!({})),
            ("anonymous-us", json!({"targetingKey": "anon-42", "geo": {"country": "US"}, "session": {"id": "s-42"}})),
            ("listed-user-1", json!({"targetingKey": "user-1", "geo": {"country": "DE"}})),
            ("excluded-user-13", json!({"targetingKey": "user-13", "geo": {"country": "US"}, "email": "x@example.com"})),
            ("staff-by-ip", json!({"targetingKey": "emp-7", "ip": "10.1.2.3", "geo": {"country": "FR"}})),
            ("staff-by-ipv6", json!({"targetingKey": "emp-8", "ip": "2001:db8::1"})),
            (
                "beta-eu-desktop",
                json!({"targetingKey": "user-2", "geo": {"country": "NL"}, "device": "DESKTOP",
                                        "account": {"age_days": 90, "orders": 3, "verified": true}}),
            ),
            ("beta-by-email", json!({"targetingKey": "u-77", "email": "Jo@BETA.example.com", "geo": {"country": "IT"}})),
            ("excluded-beta", json!({"targetingKey": "user-666", "geo": {"country": "DE"}})),
            (
                "premium-mobile",
                json!({"targetingKey": "user-123", "plan": "premium", "app": {"version": "2.4.0"},
                                       "user_agent": "Mozilla/5.0 (iPhone)", "geo": {"country": "CA"}, "session": {"id": "abc"}}),
            ),
            // A user agent one byte longer than `matches` searches: the rule that
            // would match it (iPhone, app 2.4.0) does not hold.
            (
                "overlong-user-agent",
                json!({"targetingKey": "user-125", "app": {"version": "2.4.0"},
                       "user_agent": format!("{}(iPhone)", "x".repeat(edgeflag::compile::limits::MAX_SEARCHED_BYTES + 1 - 8))}),
            ),
            (
                "old-app",
                json!({"targetingKey": "user-124", "app": {"version": "2.2.9"}, "user_agent": "Android", "geo": {"country": "BR"}}),
            ),
            ("high-contrast", json!({"targetingKey": "user-5", "settings": {"contrast": "high"}, "geo": {"country": "US"}})),
            ("new-unverified", json!({"targetingKey": 4242, "account": {"age_days": 2, "verified": false}, "geo": {"country": "JP"}})),
            ("recent-signup", json!({"targetingKey": "alice", "signup_date": "2026-11-02T10:00:00Z"})),
            ("promo-referrer", json!({"targetingKey": "bob", "referrer": "https://news.example/launch-week"})),
            ("spam-referrer", json!({"targetingKey": "carol", "referrer": "https://spam.launch.example"})),
            ("legacy", json!({"targetingKey": "dave", "signup_date": 1_500_000_000_000i64})),
            ("wrong-types", json!({"targetingKey": true, "geo": "DE", "plan": ["premium"], "app": {"version": 2}, "ip": 10})),
            ("unicode", json!({"targetingKey": "用户-42", "geo": {"country": "TW"}, "email": "ünï@example.com"})),
            // Numbers outside the parser's exact fast path (17 digits, a large exponent).
            (
                "long-numbers",
                json!({"targetingKey": "user-9", "account": {"age_days": 0.30000000000000004, "orders": 1e300, "verified": false}}),
            ),
        ]
    }

    fn times() -> [(&'static str, i64); 3] {
        [
            ("before-ramps", 1_793_491_200_000), // 2026-11-01
            ("mid-ramp", 1_795_651_200_000),     // 2026-11-26
            ("after-ramps", 1_798_761_600_000),  // 2027-01-01
        ]
    }

    pub fn write() {
        let key = common::key(7);
        let payload = example_payload();
        let envelope = edgeflag::envelope::sign(&serde_json::to_vec(&payload).unwrap(), std::slice::from_ref(&key));
        let mut golden = Golden { public_key: key.public_key_hex(), environment: payload.environment.clone(), envelope, cases: Vec::new() };
        let engine = load(&golden);
        let flags: Vec<String> = engine.snapshot().unwrap().flag_keys().map(str::to_owned).chain(["no-such-flag".to_owned()]).collect();
        let sticky = [Assignment { flag: "pricing-test".into(), variant: "discount-10".into(), version: 1 }];
        for (context_name, context) in contexts() {
            for (time_name, now) in times() {
                for flag in &flags {
                    let mut case = Case {
                        name: format!("{flag} / {context_name} / {time_name}"),
                        flag: flag.clone(),
                        context: context.clone(),
                        now,
                        assignments: Assignments::new(),
                        expected: Value::Null,
                    };
                    case.expected = actual(&engine, &case);
                    golden.cases.push(case);
                }
            }
            let mut case = Case {
                name: format!("pricing-test / {context_name} / sticky"),
                flag: "pricing-test".into(),
                context: context.clone(),
                now: times()[1].1,
                assignments: sticky.iter().cloned().collect(),
                expected: Value::Null,
            };
            case.expected = actual(&engine, &case);
            golden.cases.push(case);
        }
        std::fs::write(GOLDEN, serde_json::to_string_pretty(&golden).unwrap() + "\n").unwrap();
    }
}
