//! What the CLI prints: tables, JSON, simulations and explanations.

use crate::inputs::Failure;
use edgeflag::eval::{ClauseOutcome, Step};
use edgeflag::time::format_rfc3339;
use edgeflag::{Context, Detail, Input, Snapshot, SnapshotError, SnapshotMeta};
use std::collections::BTreeMap;
use std::path::Path;

pub fn verified(path: &Path, meta: &SnapshotMeta, signers: &[String], threshold: usize, now: i64) {
    println!("{}: OK", path.display());
    println!("  environment: {}", meta.environment);
    println!("  version:     {}", meta.version);
    println!("  issued at:   {}", format_rfc3339(meta.issued_at));
    let left_hours = (meta.expires_at - now) as f64 / 3_600_000.0;
    println!("  expires at:  {} (in {left_hours:.1} h)", format_rfc3339(meta.expires_at));
    println!("  signed by:   {} (trusted; {threshold} required)", signers.join(", "));
}

/// `verify --json` of a snapshot that passed every check.
pub fn verified_json(meta: &SnapshotMeta, signers: &[String], threshold: usize) {
    let report = serde_json::json!({
        "ok": true,
        "environment": meta.environment,
        "version": meta.version,
        "issuedAt": meta.issued_at,
        "expiresAt": meta.expires_at,
        "signers": signers,
        "threshold": threshold,
    });
    println!("{report}");
}

/// `verify --json` of a snapshot refused by a check.
pub fn refused_json(error: &SnapshotError) {
    println!("{}", serde_json::json!({ "ok": false, "check": error.check(), "message": error.to_string() }));
}

fn value_text(detail: &Detail<'_>) -> String {
    detail.value.map_or_else(|| "(caller default)".to_owned(), ToString::to_string)
}

fn percent(units: u32) -> String {
    format!("{:.3}%", f64::from(units) / 1000.0)
}

/// Prints rows with columns padded to their widest cell.
fn table(rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

pub fn details_table(results: &[(&str, Detail<'_>)]) {
    let mut rows = vec![["FLAG", "VALUE", "VARIANT", "REASON", "RULE", "BUCKET"].map(String::from).to_vec()];
    for (key, d) in results {
        let reason = match (d.error, d.failed_prerequisite) {
            (Some(code), _) => format!("{} ({code})", d.reason),
            (None, Some(prerequisite)) => format!("{} ({prerequisite})", d.reason),
            _ => d.reason.to_string(),
        };
        rows.push(vec![
            (*key).to_owned(),
            value_text(d),
            d.variant.unwrap_or("-").to_owned(),
            reason,
            d.rule_id.unwrap_or("-").to_owned(),
            d.bucket.map_or("-".to_owned(), |b| b.to_string()),
        ]);
    }
    table(&rows);
}

pub fn details_json(results: &[(&str, Detail<'_>)]) {
    let object: serde_json::Map<String, serde_json::Value> =
        results.iter().map(|(k, d)| ((*k).to_owned(), serde_json::to_value(d).unwrap_or_default())).collect();
    println!("{}", serde_json::to_string_pretty(&object).unwrap_or_default());
}

/// Sets a dotted path in a JSON object, creating objects on the way.
fn set_path(target: &mut serde_json::Value, path: &str, value: &str) {
    let mut node = target;
    for key in path.split('.') {
        if !node.is_object() {
            *node = serde_json::Value::Object(Default::default());
        }
        node = node.as_object_mut().map(|o| o.entry(key).or_insert(serde_json::Value::Null)).unwrap_or_else(|| unreachable!());
    }
    *node = serde_json::Value::String(value.to_owned());
}

pub fn simulation(snapshot: &Snapshot, flag: &str, units: u32, base: &serde_json::Value, now: i64) -> Result<(), Failure> {
    let id = snapshot.flag_id(flag).ok_or_else(|| Failure::Refused(format!("flag `{flag}` is not in the snapshot")))?;
    let mut unit_paths = snapshot.bucketing_attributes(id);
    unit_paths.push("targetingKey");
    let mut by_variant: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_reason: BTreeMap<&str, u32> = BTreeMap::new();
    for i in 0..units {
        let unit = format!("sim-unit-{i}");
        let mut context = base.clone();
        unit_paths.iter().for_each(|p| set_path(&mut context, p, &unit));
        let context = Context::from_json(&context.to_string()).map_err(|e| Failure::Refused(format!("--context: {e}")))?;
        let detail = snapshot.evaluate_id(id, &Input::new(&context, now));
        *by_variant.entry(detail.variant.unwrap_or("(default)").to_owned()).or_default() += 1;
        *by_reason.entry(detail.reason.as_str()).or_default() += 1;
    }
    println!("{flag}: {units} synthetic units at {}", format_rfc3339(now));
    let share = |n: u32| format!("{:.2}%", f64::from(n) * 100.0 / f64::from(units.max(1)));
    let mut rows = vec![vec!["VARIANT".to_owned(), "UNITS".to_owned(), "SHARE".to_owned()]];
    rows.extend(by_variant.iter().map(|(v, &n)| vec![v.clone(), n.to_string(), share(n)]));
    table(&rows);
    println!();
    let mut rows = vec![vec!["REASON".to_owned(), "UNITS".to_owned(), "SHARE".to_owned()]];
    rows.extend(by_reason.iter().map(|(r, &n)| vec![(*r).to_owned(), n.to_string(), share(n)]));
    table(&rows);
    Ok(())
}

fn outcome_text(outcome: ClauseOutcome, negate: bool) -> &'static str {
    match (outcome, negate) {
        (ClauseOutcome::Missing, _) => "attribute missing: no match",
        (ClauseOutcome::TooLong, _) => "longer than `matches` searches: no match, even negated",
        (ClauseOutcome::TypeMismatch, false) => "wrong type: no match",
        (ClauseOutcome::TypeMismatch, true) => "wrong type: no match, negated: holds",
        (ClauseOutcome::Match, false) | (ClauseOutcome::NoMatch, true) => "holds",
        (ClauseOutcome::NoMatch, false) | (ClauseOutcome::Match, true) => "does not hold",
    }
}

fn step_text(step: &Step<'_>) -> String {
    match step {
        Step::Disabled => "flag is switched off → off variant".to_owned(),
        Step::Prerequisite { flag, variant, satisfied } => format!(
            "prerequisite `{flag}` landed on {} → {}",
            variant.unwrap_or("nothing"),
            if *satisfied { "satisfied" } else { "FAILED" }
        ),
        Step::Sticky { variant, stored_version, served } => format!(
            "stored sticky assignment `{variant}` (version {stored_version}) → {}",
            if *served { "served" } else { "ignored: version changed" }
        ),
        Step::Target { variant } => match variant {
            Some(v) => format!("individually targeted → `{v}`"),
            None => "not individually targeted".to_owned(),
        },
        Step::Rule { id, matched } => format!("rule `{id}`: {}", if *matched { "MATCHED" } else { "no match" }),
        Step::Clause { attribute, op, negate, outcome } => {
            format!("    clause {}{attribute} {}: {}", if *negate { "not " } else { "" }, op.name(), outcome_text(*outcome, *negate))
        }
        Step::Segment { key, matched } => format!("    segment `{key}`: {}", if *matched { "in" } else { "not in" }),
        Step::Rollout { bucket, exposure, variant } => match (bucket, variant) {
            (None, _) => format!("    rollout: unit attribute missing (exposure {}) → falls through", percent(*exposure)),
            (Some(b), Some(v)) => format!("    rollout: bucket {b}, exposure {} → `{v}`", percent(*exposure)),
            (Some(b), None) => format!("    rollout: bucket {b}, exposure {} → outside, falls through", percent(*exposure)),
        },
        Step::Default => "no target or rule decided → default".to_owned(),
    }
}

pub fn explanation(flag: &str, now: i64, detail: &Detail<'_>, steps: &[Step<'_>]) {
    println!("{flag} at {}", format_rfc3339(now));
    steps.iter().for_each(|s| println!("  {}", step_text(s)));
    print!("result: {} ", value_text(detail));
    if let Some(variant) = detail.variant {
        print!("(variant `{variant}`) ");
    }
    print!("reason {}", detail.reason);
    if let Some(rule) = detail.rule_id {
        print!(", rule `{rule}`");
    }
    if let Some(code) = detail.error {
        print!(", error {code}: {}", code.message());
    }
    println!();
}
