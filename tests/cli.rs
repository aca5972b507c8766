//! The `edgeflag` binary end to end: keys, build, cosign, verify, eval,
//! simulate, explain, check, and its exit codes.
#![cfg(feature = "cli")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn edgeflag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_edgeflag")).args(args).output().expect("runs")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

struct Workspace(PathBuf);

impl Workspace {
    fn new(name: &str) -> Workspace {
        let dir = std::env::temp_dir().join(format!("edgeflag-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Workspace(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
    /// Creates a key and a signed snapshot of the example flags.
    fn signed(&self) -> (String, String) {
        assert!(edgeflag(&["keygen", "--out", &self.path("dev")]).status.success());
        let out = self.path("snapshot.json");
        let built = edgeflag(&[
            "build",
            "examples/flags.yaml",
            "--key",
            &self.path("dev.key"),
            "--version",
            "42",
            "--expires-in",
            "1h",
            "-o",
            &out,
        ]);
        assert!(built.status.success(), "{:?}", text(&built));
        (out, self.path("dev.pub"))
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_can_read() {
    let ws = Workspace::new("keygen");
    let output = edgeflag(&["keygen", "--out", &ws.path("k")]);
    assert!(output.status.success());
    let mode = std::fs::metadata(ws.path("k.key")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let public = std::fs::read_to_string(ws.path("k.pub")).unwrap();
    assert_eq!(public.trim().len(), 64);
    assert!(text(&output).0.contains("key id:"));
    let again = edgeflag(&["keygen", "--out", &ws.path("k")]);
    assert_eq!(again.status.code(), Some(3), "existing keys are not overwritten without --force");
}

#[test]
fn build_then_verify_reports_version_and_environment() {
    let ws = Workspace::new("verify");
    let (snapshot, public) = ws.signed();
    let ok = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "production"]);
    let (stdout, _) = text(&ok);
    assert!(ok.status.success(), "{stdout}");
    assert!(stdout.contains("OK") && stdout.contains("version:     42") && stdout.contains("production"));

    let wrong_env = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "staging"]);
    assert_eq!(wrong_env.status.code(), Some(1));
    assert!(text(&wrong_env).1.contains("environment check failed"));

    let late = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "production", "--now", "2100-01-01"]);
    assert!(text(&late).1.contains("expiry check failed"));

    let floor = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "production", "--min-version", "43"]);
    assert!(text(&floor).1.contains("rollback check failed"));
}

#[test]
fn cosign_adds_a_second_signer_for_a_threshold_of_two() {
    let ws = Workspace::new("cosign");
    let (snapshot, first) = ws.signed();
    assert!(edgeflag(&["keygen", "--out", &ws.path("second")]).status.success());
    let second = ws.path("second.pub");
    let twice = ws.path("twice.json");
    let cosigned = edgeflag(&["cosign", &snapshot, "--key", &ws.path("second.key"), "-o", &twice]);
    let (_, stderr) = text(&cosigned);
    assert!(cosigned.status.success(), "{stderr}");
    let signed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&twice).unwrap()).unwrap();
    let keyids: Vec<&str> = signed["signatures"].as_array().unwrap().iter().map(|s| s["keyid"].as_str().unwrap()).collect();
    assert_eq!(keyids.len(), 2);
    assert!(
        stderr.contains("for `production`, version 42") && keyids.iter().all(|id| stderr.contains(id)),
        "says what was signed and by whom: {stderr}"
    );

    let threshold =
        |file: &str| edgeflag(&["verify", file, "--pubkey", &first, "--pubkey", &second, "--env", "production", "--threshold", "2"]);
    let (verified, _) = text(&threshold(&twice));
    assert!(verified.contains(&format!("signed by:   {}, {} (trusted; 2 required)", keyids[0], keyids[1])), "{verified}");
    let once = threshold(&snapshot);
    assert_eq!(once.status.code(), Some(1), "one signature does not meet a threshold of two");
    assert!(text(&once).1.contains("signature check failed"));

    let again = edgeflag(&["cosign", &twice, "--key", &ws.path("second.key")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("already signed by key"), "{:?}", text(&again));

    let foreign = ws.path("foreign.json");
    let mut envelope: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    envelope["payloadType"] = "application/json".into();
    std::fs::write(&foreign, envelope.to_string()).unwrap();
    let refused = edgeflag(&["cosign", &foreign, "--key", &ws.path("second.key")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).1.contains(&format!("{foreign}: payload_type check failed")), "{:?}", text(&refused));
}

#[test]
fn verify_json_reports_the_outcome_for_pipelines() {
    let ws = Workspace::new("verify-json");
    let (snapshot, public) = ws.signed();
    let ok = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "production", "--json"]);
    assert!(ok.status.success());
    let report: serde_json::Value = serde_json::from_str(&text(&ok).0).unwrap();
    assert_eq!(
        (report["ok"].as_bool(), report["environment"].as_str(), report["version"].as_u64()),
        (Some(true), Some("production"), Some(42))
    );
    assert_eq!((report["signers"].as_array().map(Vec::len), report["threshold"].as_u64()), (Some(1), Some(1)));
    assert!(report["expiresAt"].as_i64() > report["issuedAt"].as_i64());

    let refused = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "staging", "--json"]);
    assert_eq!(refused.status.code(), Some(1), "a refusal still fails the command");
    let report: serde_json::Value = serde_json::from_str(&text(&refused).0).unwrap();
    assert_eq!((report["ok"].as_bool(), report["check"].as_str()), (Some(false), Some("environment")));
    assert!(report["message"].as_str().unwrap().contains("staging"));
}

#[test]
fn a_tampered_snapshot_fails_the_signature_check() {
    let ws = Workspace::new("tamper");
    let (snapshot, public) = ws.signed();
    let mut envelope: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    let payload = edgeflag::envelope::base64::decode(envelope["payload"].as_str().unwrap()).unwrap();
    let tampered = String::from_utf8(payload).unwrap().replace("\"enabled\":false", "\"enabled\":true");
    envelope["payload"] = edgeflag::envelope::base64::encode(tampered.as_bytes()).into();
    std::fs::write(&snapshot, envelope.to_string()).unwrap();
    let output = edgeflag(&["verify", &snapshot, "--pubkey", &public, "--env", "production"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).1.contains("signature check failed"));
}

#[test]
fn eval_prints_json_details() {
    let ws = Workspace::new("eval");
    let (snapshot, public) = ws.signed();
    let context = r#"{"targetingKey":"user-1","plan":"premium"}"#;
    let output = edgeflag(&[
        "eval",
        &snapshot,
        "-p",
        &public,
        "--env",
        "production",
        "-c",
        context,
        "--json",
        "-f",
        "new-checkout",
        "-f",
        "max-cart-items",
        "-f",
        "payments-v2",
    ]);
    assert!(output.status.success(), "{:?}", text(&output));
    let details: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(details["new-checkout"]["reason"], "TARGETING_MATCH");
    assert_eq!(details["max-cart-items"]["value"], 100);
    assert_eq!(details["max-cart-items"]["ruleId"], "premium-plan");
    assert_eq!(details["payments-v2"]["reason"], "DISABLED");
}

#[test]
fn eval_reads_yaml_sources_and_refuses_envelopes_without_keys() {
    let table = edgeflag(&["eval", "examples/flags.yaml", "-c", r#"{"targetingKey":"user-13"}"#, "-f", "new-checkout"]);
    let (stdout, _) = text(&table);
    assert!(stdout.starts_with("FLAG") && stdout.contains("new-checkout") && stdout.contains("TARGETING_MATCH"), "{stdout}");
    let ws = Workspace::new("nokeys");
    let (snapshot, _) = ws.signed();
    assert_eq!(edgeflag(&["eval", &snapshot]).status.code(), Some(2));
    let unverified = edgeflag(&["eval", &snapshot, "--unverified", "-f", "greeting"]);
    assert!(unverified.status.success());
    assert!(text(&unverified).1.contains("NOT verified"));
}

#[test]
fn a_refused_context_is_named_by_its_file_or_as_the_option() {
    let ws = Workspace::new("contexts");
    let long = ws.path("long.json");
    std::fs::write(&long, format!(r#"{{"a":"{}"}}"#, "x".repeat(1 << 20))).unwrap();
    let from_file = edgeflag(&["eval", "examples/flags.yaml", "-c", &format!("@{long}")]);
    assert_eq!(from_file.status.code(), Some(1));
    assert_eq!(text(&from_file).1.trim(), format!("error: {long}: the context's text is longer than 1048576 bytes"));
    let deep = format!("{}1{}", r#"{"a":"#.repeat(40), "}".repeat(40));
    let inline = edgeflag(&["eval", "examples/flags.yaml", "-c", &deep]);
    assert_eq!(inline.status.code(), Some(1));
    assert_eq!(text(&inline).1.trim(), "error: --context: the context is nested deeper than 16 levels", "not the context itself");
}

#[test]
fn diff_names_what_a_release_changes_field_by_field() {
    let ws = Workspace::new("diff");
    let (snapshot, public) = ws.signed();
    let edited = ws.path("edited.yaml");
    let source = std::fs::read_to_string("examples/flags.yaml").unwrap();
    let edited_source = source
        .replacen("    enabled: false\n", "    enabled: true\n", 1)
        .replacen("included: [user-1, user-2, user-3]", "included: [user-1, user-2]", 1)
        .replacen("\n  greeting:\n", "\n  greeting-v2:\n", 1);
    assert_ne!(edited_source, source);
    std::fs::write(&edited, edited_source).unwrap();

    let output = edgeflag(&["diff", &snapshot, &edited, "--pubkey", &public, "--env", "production"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("old: ") && lines[0].contains("version 42"), "{stdout}");
    assert!(lines[1].ends_with("edited.yaml (source, environment `production`)"), "{stdout}");
    assert_eq!(
        lines[2..],
        [
            "flags: 1 added, 1 removed, 1 changed, 8 unchanged",
            "  + greeting-v2",
            "  - greeting",
            "  ~ payments-v2: enabled (now on)",
            "segments: 1 changed, 3 unchanged",
            "  ~ beta-testers: included",
        ]
    );

    let json = edgeflag(&["diff", "examples/flags.yaml", &edited, "--json"]);
    let changes: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(changes["flags"]["changed"], serde_json::json!({ "payments-v2": ["enabled"] }));
    assert_eq!(changes["segments"]["unchanged"], 3);

    let same = edgeflag(&["diff", "examples/flags.yaml", "examples/flags.yaml"]);
    assert!(text(&same).0.contains("flags: 10 unchanged\nsegments: 4 unchanged"), "{:?}", text(&same));
    let untrusted = edgeflag(&["diff", &snapshot, &edited]);
    assert_eq!(untrusted.status.code(), Some(2), "a snapshot is verified unless --unverified");
}

#[test]
fn simulate_shows_a_split_landing_on_its_weights() {
    let output = edgeflag(&["simulate", "examples/flags.yaml", "--flag", "homepage-layout", "--units", "20000"]);
    let (stdout, _) = text(&output);
    assert!(output.status.success(), "{stdout}");
    let share = |variant: &str| -> f64 {
        let line = stdout.lines().find(|l| l.starts_with(variant)).unwrap();
        line.split_whitespace().nth(2).unwrap().trim_end_matches('%').parse().unwrap()
    };
    assert!((share("classic") - 50.0).abs() < 1.5 && (share("modern") - 50.0).abs() < 1.5, "{stdout}");
    let ramp =
        edgeflag(&["simulate", "examples/flags.yaml", "--flag", "search-backend", "--units", "10000", "--now", "2026-11-26T00:00:00Z"]);
    let (stdout, _) = text(&ramp);
    let green = stdout.lines().find(|l| l.starts_with("green")).unwrap();
    let share: f64 = green.split_whitespace().nth(2).unwrap().trim_end_matches('%').parse().unwrap();
    assert!((share - 50.0).abs() < 2.0, "the step schedule is at 50 % on Nov 26th: {stdout}");
}

#[test]
fn explain_walks_the_evaluation_order() {
    let context = r#"{"targetingKey":"emp-7","ip":"10.1.2.3","geo":{"country":"US"}}"#;
    let output = edgeflag(&["explain", "examples/flags.yaml", "--flag", "pricing-test", "-c", context, "--now", "2026-11-26T00:00:00Z"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("prerequisite `new-checkout` landed on on → satisfied"), "{stdout}");
    assert!(stdout.contains("rule `not-in-eu`: MATCHED"));
    assert!(stdout.contains("segment `eu`: not in"));
    assert!(stdout.contains("rollout: bucket"));
    assert!(stdout.contains("reason SPLIT, rule `not-in-eu`"));
}

#[test]
fn check_reports_every_problem_with_file_line_and_column() {
    let ws = Workspace::new("check");
    let source = ws.path("bad.yaml");
    std::fs::write(
        &source,
        "flags:\n  a:\n    type: boolean\n    variants: {on: true, off: false}\n    off_variant: of\n    default: on\n  b:\n    type: nope\n",
    )
    .unwrap();
    let output = edgeflag(&["check", &source]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains(&format!("{source}:5:18: flags.a.off_variant: unknown variant `of`")), "{stderr}");
    assert!(stderr.contains(&format!("{source}:8:11: flags.b.type: unknown variant `nope`")), "{stderr}");
    assert!(stderr.contains(&format!("{source}:8:9: flags.b: missing field `variants`")), "{stderr}");
    assert!(stderr.contains("5 problem(s)"), "{stderr}");
    assert!(edgeflag(&["check", "examples/flags.yaml"]).status.success());
}

#[test]
fn check_lists_problems_in_file_order() {
    let ws = Workspace::new("order");
    let source = ws.path("order.yaml");
    // The compiler resolves prerequisites after every flag, so a's problem is found after b's.
    let flag = |extra: &str| format!("    type: boolean\n    variants: {{on: true, off: false}}\n    default: on\n{extra}");
    let text_of = format!(
        "flags:\n  a:\n{}  b:\n{}",
        flag("    off_variant: off\n    prerequisites: [{flag: b, variants: [maybe]}]\n"),
        flag("    off_variant: of\n")
    );
    std::fs::write(&source, text_of).unwrap();
    let (_, stderr) = text(&edgeflag(&["check", &source]));
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(": flags.")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("flags.a.prerequisites[0].variants[0]: unknown variant `maybe`"), "{stderr}");
    assert!(lines[1].contains("flags.b.off_variant: unknown variant `of`"), "{stderr}");
}

#[test]
fn exit_codes_distinguish_usage_and_io_errors() {
    assert_eq!(edgeflag(&["build"]).status.code(), Some(2));
    assert_eq!(edgeflag(&["check", "/nonexistent/flags.yaml"]).status.code(), Some(3));
    assert!(text(&edgeflag(&["check", "/nonexistent/flags.yaml"])).1.contains("/nonexistent/flags.yaml"));
    let help = edgeflag(&["simulate", "--help"]);
    assert!(help.status.success() && text(&help).0.contains("--units"));
    assert!(Path::new(env!("CARGO_BIN_EXE_edgeflag")).exists());
}
